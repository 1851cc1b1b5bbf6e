import Foundation
import Logging
import OneStopPipeline

/// Everything the commands say on standard error, in one style: `error: …`, `warning: …`, or the
/// bare message for information; whatever the layer (argument parsing, configuration, the run).
/// Every message is escaped with `TerminalText`, since most carry names and values read from files.
enum CommandLogging {
    /// Info on a terminal, warnings and errors otherwise (cron), errors only with `--quiet`.
    static func logger(interactive: Bool, quiet: Bool) -> Logger {
        let level: Logger.Level = quiet ? .error : (interactive ? .info : .warning)
        LoggingSystem.bootstrap { _ in StandardErrorLogHandler(logLevel: level) }
        return Logger(label: "onestop")
    }

    /// `error: message` on standard error, outside any logger (before one is set up).
    static func printError(_ message: String) {
        writeLine("error: " + TerminalText.escaped(message))
    }

    /// `warning: …` on standard error, control characters escaped.
    static func printWarning(_ message: String) {
        writeLine("warning: " + TerminalText.escaped(message))
    }

    /// One line to standard error in a single write, so lines of concurrent threads never mix.
    static func writeLine(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}

/// swift-log's handler for the commands: one line per message in `CommandLogging`'s style, no
/// timestamp or label (cron and systemd add their own), metadata as `key=value` after it.
struct StandardErrorLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let prefix = switch event.level {
        case .error, .critical: "error: "
        case .warning: "warning: "
        case .trace, .debug, .info, .notice: ""
        }
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let details = merged.keys.sorted().map { " \($0)=\(merged[$0]!)" }.joined()
        CommandLogging.writeLine(prefix + TerminalText.escaped(event.message.description + details))
    }

    /// `warning: …` on standard error.
    static func printWarning(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }
}
