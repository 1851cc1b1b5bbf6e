import Foundation
import Logging

/// Logging set-up shared by the commands: swift-log to standard error.
enum CommandLogging {
    /// Info on a terminal, warnings and errors otherwise (cron), errors only with `--quiet`.
    static func logger(interactive: Bool, quiet: Bool) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = quiet ? .error : (interactive ? .info : .warning)
            return handler
        }
        return Logger(label: "onestop")
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    /// `warning: …` on standard error.
    static func printWarning(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }
}
