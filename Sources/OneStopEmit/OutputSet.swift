import OneStopAggregate
import OneStopModel

/// One file of an output set, rendered in memory.
public struct OutputFile: Sendable, Hashable {
    /// The file name inside the output directory.
    public var name: String
    public var contents: [UInt8]

    public init(name: String, contents: [UInt8]) {
        self.name = name
        self.contents = contents
    }
}

/// Renders a run's output set (SPEC §5). Equal reports give byte-identical files.
public enum OutputSet {
    /// Every name an output set may hold: onestop's names in an output directory. Publishing
    /// removes these when the new set lacks them; any other name there is the user's and is kept.
    public static let fileNames = [
        "progress.csv", "procedures.csv", "agencies.csv", "monthly.csv", "rejects.csv", "summary.json",
        "onestop.xlsx", "report.html",
    ]

    /// The files in writing order, `summary.json` last: `progress.csv`, `procedures.csv`,
    /// `agencies.csv`, `monthly.csv` (only with `options.monthly`), `rejects.csv`, `summary.json`.
    public static func render(_ report: RunReport, options: OutputOptions) -> [OutputFile] {
        let aggregation = report.aggregation
        var files = [
            figures("progress.csv", keys: ["dimension", "key"], excel: options.excel,
                    rows: aggregation.progress.map { ([$0.dimension.rawValue, $0.key], $0.counters) }),
            figures("procedures.csv", keys: ["agency", "procedure", "procedure_name"], excel: options.excel,
                    rows: aggregation.procedures.map { ([$0.agency, $0.procedure, $0.procedureName], $0.counters) }),
            figures("agencies.csv", keys: ["agency", "level"], excel: options.excel,
                    rows: aggregation.agencies.map { ([$0.agency, $0.level.rawValue], $0.counters) }),
        ]
        if options.monthly {
            files.append(figures("monthly.csv", keys: ["month"], excel: options.excel,
                                 rows: aggregation.monthly.map { ([$0.month], $0.counters) }))
        }
        files.append(rejects(report.rejects, excel: options.excel))
        files.append(OutputFile(name: "summary.json", contents: Array(SummaryJSON.render(report).utf8)))
        return files
    }

    static func figures(
        _ name: String, keys: [String], excel: Bool, rows: [([String], ProgressCounters)]
    ) -> OutputFile {
        var csv = CSVWriter(excel: excel)
        csv.writeRow(keys + FigureColumns.names)
        for (key, counters) in rows { csv.writeRow(key + FigureColumns.values(of: counters)) }
        return OutputFile(name: name, contents: csv.bytes)
    }

    /// `rejects.csv`, sorted by file and line (then dossier id, field and reason, so ties are stable).
    static func rejects(_ rejects: [Reject], excel: Bool) -> OutputFile {
        var csv = CSVWriter(excel: excel)
        csv.writeRow(["file", "line", "dossier_id", "field", "reason"])
        let rows = rejects.map { [$0.file, String($0.line), $0.dossierID ?? "", $0.field, $0.reason.description] }
        let sorted = zip(rejects, rows).sorted { lhs, rhs in
            if lhs.0.file != rhs.0.file { return lhs.0.file < rhs.0.file }
            if lhs.0.line != rhs.0.line { return lhs.0.line < rhs.0.line }
            return lhs.1.lexicographicallyPrecedes(rhs.1)
        }
        for (_, row) in sorted { csv.writeRow(row) }
        return OutputFile(name: "rejects.csv", contents: csv.bytes)
    }
}
