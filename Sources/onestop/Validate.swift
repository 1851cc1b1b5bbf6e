import ArgumentParser
import OneStopPipeline

extension OneStop {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a pipeline file, its dialect files and its catalogue without reading exports.",
            discussion: "Exit 0 when everything is valid; 78 with file, line and what is allowed otherwise.")

        @Argument(help: "The pipeline file (YAML).")
        var pipeline: String

        func run() throws {
            do {
                let configuration = try PipelineFile.load(path: pipeline)
                let summary = PipelineSummary(configuration)
                print(summary.rendered)
                for warning in summary.warnings { CommandLogging.printWarning(warning) }
            } catch {
                CommandLogging.printError("\(error)")
                throw ExitCode(ExitStatus.configuration.rawValue)
            }
        }
    }
}
