import ArgumentParser
import Foundation
import OneStopModel
import OneStopPipeline

extension OneStop {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what a dialect reads from one export: records, fields found, rejects, sample records.",
            discussion: """
                For writing and checking a new dialect file. Never shows personal data: it is never collected. \
                --dialect NAME is looked up in --dialects DIR when given; else in the dialect folder of --pipeline \
                FILE; else in Pipelines/dialects and dialects of the current directory, then in the Pipelines/dialects \
                of the nearest folder above the onestop binary. Exit 66 when the export or the dialect file is not \
                found, 78 when the dialect file is invalid, 65 when the export cannot be read to its end.
                """)

        @Argument(help: "An export file (.xml or .xml.gz).")
        var file: String

        @Option(help: "A dialect name (looked up as described below) or the path of a dialect file.")
        var dialect: String

        @Option(help: "The folder of dialect files to look the dialect name up in.")
        var dialects: String?

        @Option(help: "A pipeline file: the dialect name is looked up in its dialect folder, dates read in its time zone.")
        var pipeline: String?

        @Option(help: "Time zone for dates without an offset (default: the pipeline's, else Asia/Ho_Chi_Minh).")
        var timezone: String?

        @Option(help: "How many normalised records to show.")
        var samples: Int = 3

        func run() throws {
            var zone = timezone ?? "Asia/Ho_Chi_Minh"
            let path: String
            do throws(DialectLocator.Failure) {
                if timezone == nil, let pipeline, let pipelineZone = try DialectLocator.settings(ofPipeline: pipeline).timezone {
                    zone = pipelineZone
                }
                path = try DialectLocator(folder: dialects, pipeline: pipeline, executable: OneStop.executablePath)
                    .locate(dialect)
            } catch {
                CommandLogging.printError(error.description)
                throw ExitCode(error.exitStatus.rawValue)
            }
            guard let clock = LocalClock(identifier: zone) else {
                throw ValidationError("time zone '\(zone)' (--timezone, or the pipeline's) is not an IANA zone name (e.g. Asia/Ho_Chi_Minh)")
            }
            guard FileManager.default.fileExists(atPath: file) else {
                CommandLogging.printError("export file \(file) does not exist")
                throw ExitCode(ExitStatus.noInput.rawValue)
            }
            do {
                let loaded = try DialectFile.load(path: path)
                let inspection = try Inspection.inspect(path: file, dialect: loaded, clock: clock, samples: samples)
                print(inspection.rendered(clock: clock))
                if let failure = inspection.failure {
                    CommandLogging.printError("\(file): \(failure)")
                    throw ExitCode(ExitStatus.dataError.rawValue)
                }
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
