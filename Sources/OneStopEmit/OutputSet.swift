import OneStopAggregate
import OneStopModel

/// The renderers of the output set's CSV and JSON files (docs/contract.md §5). Equal reports give
/// byte-identical files; large tables are written row by row into the output file.
public enum OutputSet {
    public static func progress(_ report: RunReport, options: OutputOptions) -> OutputFile {
        table(.progress, keys: ["dimension", "key"], excel: options.excel, rows: report.aggregation.progress) {
            ([$0.dimension.rawValue, $0.key], $0.counters)
        }
    }

    /// `procedures.csv`; with an agency register, an `agency_name` key column last, so the
    /// contract's columns keep their places.
    public static func procedures(_ report: RunReport, options: OutputOptions) -> OutputFile {
        let named = !report.agencyNames.isEmpty
        let keys = ["agency", "procedure", "procedure_name"] + (named ? ["agency_name"] : [])
        return table(.procedures, keys: keys, excel: options.excel, rows: report.aggregation.procedures) { row in
            ([row.agency, row.procedure, row.procedureName] + (named ? [report.agencyName(row.agency) ?? ""] : []),
             row.counters)
        }
    }

    /// `agencies.csv`; with an agency register, an `agency_name` key column last.
    public static func agencies(_ report: RunReport, options: OutputOptions) -> OutputFile {
        let named = !report.agencyNames.isEmpty
        let keys = ["agency", "level"] + (named ? ["agency_name"] : [])
        return table(.agencies, keys: keys, excel: options.excel, rows: report.aggregation.agencies) { row in
            ([row.agency, row.level.rawValue] + (named ? [report.agencyName(row.agency) ?? ""] : []), row.counters)
        }
    }

    /// `agency_scorecard.csv`: every agency's scorecard lines (`docs/figures.md`, "Per-agency
    /// scorecard"), one row per agency and line: `agency[,agency_name],measure,value,numerator,
    /// denominator,target,met,gap,dossiers,rank,ranking` — `rank` empty and `ranking`
    /// `too_few_dossiers` when the line rests on fewer than `report.minDossiers` dossiers, or
    /// `no_value` when its denominator is 0; else `ranking` is `ranked`.
    public static func agencyScorecard(_ report: RunReport, options: OutputOptions) -> OutputFile {
        let named = !report.agencyNames.isEmpty
        let cards = report.aggregation.agencyScorecards
        return OutputFile(name: OutputDocument.agencyScorecard.fileName) { writer throws(EmitError) in
            var csv = CSVWriter(excel: options.excel)
            csv.writeRow(["agency"] + (named ? ["agency_name"] : []) + [
                "measure", "value", "numerator", "denominator", "target", "met", "gap", "dossiers", "rank", "ranking",
            ])
            for card in cards {
                for entry in card.lines {
                    let line = entry.line
                    let ranking: String
                    if entry.rank != nil {
                        ranking = "ranked"
                    } else {
                        ranking = line.value.denominator == 0 ? "no_value" : "too_few_dossiers"
                    }
                    let name: [String] = named ? [report.agencyName(card.agency) ?? ""] : []
                    let value = line.value.formatted(places: 4) ?? ""
                    let target = line.target.map(SummaryJSON.decimalText) ?? ""
                    let met = line.met.map { $0 ? "true" : "false" } ?? ""
                    let gap = line.gap.map(String.init) ?? ""
                    let rank = entry.rank.map(String.init) ?? ""
                    csv.writeRow([card.agency] + name + [
                        line.measure.rawValue, value, String(line.value.numerator), String(line.value.denominator),
                        target, met, gap, String(entry.dossiers), rank, ranking,
                    ])
                    try csv.drain(into: writer)
                }
            }
            try csv.finish(into: writer)
        }
    }

    public static func monthly(_ report: RunReport, options: OutputOptions) -> OutputFile {
        table(.monthly, keys: ["month"], excel: options.excel, rows: report.aggregation.monthly) {
            ([$0.month], $0.counters)
        }
    }

    /// A figures table: its key columns, then `FigureColumns`.
    static func table<Row: Sendable>(
        _ document: OutputDocument, keys: [String], excel: Bool, rows: [Row],
        _ columns: @escaping @Sendable (Row) -> ([String], ProgressCounters)
    ) -> OutputFile {
        OutputFile(name: document.fileName) { writer throws(EmitError) in
            var csv = CSVWriter(excel: excel)
            csv.writeRow(keys + FigureColumns.names)
            for row in rows {
                let (key, counters) = columns(row)
                csv.writeRow(key + FigureColumns.values(of: counters))
                try csv.drain(into: writer)
            }
            try csv.finish(into: writer)
        }
    }

    /// `rejects.csv`, in the report's order (file, line, then the other columns).
    public static func rejects(_ report: RunReport, options: OutputOptions) -> OutputFile {
        let rejects = report.rejects
        return OutputFile(name: OutputDocument.rejects.fileName) { writer throws(EmitError) in
            var csv = CSVWriter(excel: options.excel)
            csv.writeRow(["file", "line", "dossier_id", "field", "reason"])
            for reject in rejects {
                csv.writeRow([reject.file, String(reject.line), reject.dossierID ?? "", reject.field,
                              reject.reason.description])
                try csv.drain(into: writer)
            }
            try csv.finish(into: writer)
        }
    }

    /// `dossiers.csv`: one row per kept dossier, streamed from the report's rows.
    public static func dossiers(_ report: RunReport, options: OutputOptions) -> OutputFile? {
        guard let rows = report.dossiers else { return nil }
        return OutputFile(name: OutputDocument.dossiers.fileName) { writer throws(EmitError) in
            var csv = CSVWriter(excel: options.excel)
            csv.writeRow(DossierRows.columns)
            try rows.forEach { fields throws(EmitError) in
                csv.writeRow(fields)
                try csv.drain(into: writer)
            }
            try csv.finish(into: writer)
        }
    }

    public static func summary(_ report: RunReport) -> OutputFile {
        OutputFile(name: OutputDocument.summary.fileName, contents: Array(SummaryJSON.render(report).utf8))
    }
}

extension Reject {
    /// The order of `rejects.csv`: file, line, then dossier id, field and reason, so ties are stable.
    public static func ordered(_ lhs: Reject, _ rhs: Reject) -> Bool {
        if lhs.file != rhs.file { return lhs.file < rhs.file }
        if lhs.line != rhs.line { return lhs.line < rhs.line }
        return [lhs.dossierID ?? "", lhs.field, lhs.reason.description]
            .lexicographicallyPrecedes([rhs.dossierID ?? "", rhs.field, rhs.reason.description])
    }
}
