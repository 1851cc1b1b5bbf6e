import Foundation
import OneStopModel

/// What `onestop validate` prints about a valid pipeline.
public struct PipelineSummary: Sendable {
    public var rendered: String

    public init(_ configuration: PipelineConfiguration) {
        var lines = ["pipeline \(configuration.name): valid"]
        lines.append("period \(configuration.period.from) … \(configuration.period.to), \(configuration.clock.identifier)")
        lines.append("catalogue \(configuration.catalogueFile): \(configuration.catalogue.entries.count) procedures")
        for source in configuration.sources {
            let files = source.patterns.flatMap(InputResolver.glob).count
            lines.append("source \(source.name) (\(source.level.rawValue), dialect \(source.dialect.name)): \(files) files match")
        }
        lines.append("output \(configuration.output.directory)")
        rendered = lines.joined(separator: "\n")
    }
}
