import ArgumentParser
import Foundation

/// The `onestop` command: flags only; the work is in `OneStopPipeline`.
@main
struct OneStop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onestop",
        abstract: "Turns one-stop-shop dossier exports (XML, plain or gzip) into the PAR Index / SIPAS figures.",
        discussion: """
            Exit codes: 0 done · 64 bad usage · 65 a file could not be read to its end, or too many rejects · \
            66 no input files, or a file named on the command line does not exist · 70 internal error · \
            71 an operating-system limit (ulimit -n, ulimit -v) is too low · 73 the output cannot be written \
            (read-only, full, file-size limit, in use by another run) · 75 a database could not be reached (the \
            output set is published; send it again with `onestop sink`) · 78 invalid pipeline, dialect or \
            catalogue file. Errors are printed on standard error as "error: …".
            """,
        version: version,
        subcommands: [Run.self, Merge.self, Validate.self, Inspect.self, Generate.self, Sink.self, History.self],
        defaultSubcommand: nil
    )

    /// The version `onestop --version` prints; the one place it is written.
    static let version = "onestop 1.0.0"

    /// Every error, the argument parser's included, starts with `error: ` like the commands' own.
    static var _errorPrefix: String { "error: " }

    /// Runs the command after the process-wide settings every command needs.
    static func main() {
        ResourceLimits.ignoreFileSizeSignal()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    /// The running binary's real path (links resolved), for finding the shipped dialects.
    static var executablePath: String {
        if let resolved = realpath("/proc/self/exe", nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}
