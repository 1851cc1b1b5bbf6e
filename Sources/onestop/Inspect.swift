import ArgumentParser
import Foundation
import OneStopModel
import OneStopPipeline

extension OneStop {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what a dialect reads from one export: records, fields found, rejects, sample records.",
            discussion: "For writing and checking a new dialect file. Never shows personal data: it is never collected.")

        @Argument(help: "An export file (.xml or .xml.gz).")
        var file: String

        @Option(help: "A dialect name (looked up in --dialects) or the path of a dialect file.")
        var dialect: String

        @Option(help: "The folder of dialect files.")
        var dialects: String = "Pipelines/dialects"

        @Option(help: "Time zone for dates without an offset.")
        var timezone: String = "Asia/Ho_Chi_Minh"

        @Option(help: "How many normalised records to show.")
        var samples: Int = 3

        func run() throws {
            let path = dialect.hasSuffix(".yaml") || dialect.contains("/") ? dialect : "\(dialects)/\(dialect).yaml"
            guard let clock = LocalClock(identifier: timezone) else {
                throw ValidationError("--timezone '\(timezone)' is not an IANA zone name (e.g. Asia/Ho_Chi_Minh)")
            }
            guard FileManager.default.fileExists(atPath: file) else {
                CommandLogging.printError("\(file) does not exist")
                throw ExitCode(ExitStatus.noInput.rawValue)
            }
            do {
                let loaded = try DialectFile.load(path: path)
                let inspection = try Inspection.inspect(path: file, dialect: loaded, clock: clock, samples: samples)
                print(inspection.rendered(clock: clock))
                if inspection.failure != nil { throw ExitCode(ExitStatus.dataError.rawValue) }
            } catch let error as ConfigurationError {
                CommandLogging.printError("\(error)")
                throw ExitCode(ExitStatus.configuration.rawValue)
            } catch let error as RunError {
                CommandLogging.printError("\(error)")
                throw ExitCode(error.exitStatus.rawValue)
            }
        }
    }
}
