import ArgumentParser
import OneStopPipeline

extension OneStop {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a pipeline file, its dialect files and its catalogue without reading exports.",
            discussion: "Exit 0 when everything is valid; 66 when the pipeline file does not exist; 78 with file, line and what is allowed otherwise.")

        @Argument(help: "The pipeline file (YAML).")
        var pipeline: String

        func run() throws {
            let configuration = try PipelineArgument.load(pipeline) { CommandLogging.printError($0) }
            let summary = PipelineSummary(configuration)
            // Line by line: the summary's own lines stay, a control character in a name or path shows escaped.
            print(summary.rendered.split(separator: "\n", omittingEmptySubsequences: false)
                .map { TerminalText.escaped(String($0)) }.joined(separator: "\n"))
            for warning in summary.warnings { CommandLogging.printWarning(warning) }
        }
    }
}
