import Foundation
import OneStopModel

/// What `onestop validate` prints about a valid pipeline.
public struct PipelineSummary: Sendable {
    public var rendered: String
    /// What a run today would complain about without the configuration being invalid: sources
    /// whose patterns match no file.
    public var warnings: [String] = []

    public init(_ configuration: PipelineConfiguration) {
        var lines = ["pipeline \(configuration.name): valid"]
        lines.append("period \(configuration.period.from) … \(configuration.period.to), \(configuration.clock.identifier)")
        lines.append("catalogue \(configuration.catalogueFile): \(configuration.catalogue.entries.count) procedures")
        if let agencies = configuration.agencies {
            lines.append("agency register: \(agencies.entries.count) agencies")
        }
        for source in configuration.sources {
            let files = source.patterns.flatMap(InputResolver.glob).count
            lines.append("source \(source.name) (\(source.level.rawValue), dialect \(source.dialect.name)): \(files) files match")
            if files == 0 {
                warnings.append(
                    "source '\(source.name)' matches no file today (patterns: \(source.writtenPatterns.joined(separator: ", ")))"
                        + (source.optional ? "; it is optional" : "; a run now would exit 65"))
            }
        }
        lines.append("output \(configuration.output.directory)")
        rendered = lines.joined(separator: "\n")
    }
}
