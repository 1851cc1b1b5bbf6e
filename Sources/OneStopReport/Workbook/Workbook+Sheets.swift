import OneStopAggregate
import OneStopEmit
import OneStopModel

extension Workbook {
    /// The workbook of a run: Scorecard, Progress, Procedures, Agencies, Monthly (with
    /// `options.monthly`) and Rejects. The data sheets hold exactly the cells of the CSVs of the
    /// same name — same header, same rows in the same order, same values — with counts as
    /// integers and ratios as numbers formatted as percentages; an empty ratio is an empty cell.
    static func onestop(_ report: RunReport, options: ReportOptions) -> Workbook {
        let text = ReportText.of(options.language)
        let aggregation = report.aggregation
        // With an agency register, the CSVs' `agency_name` key column.
        let nameColumn = report.agencyNames.isEmpty ? [] : ["agency_name"]
        func name(_ agency: String) -> [String] { nameColumn.isEmpty ? [] : [report.agencyName(agency) ?? ""] }
        var sheets = [
            scorecard(report.aggregation.scorecard, text: text),
            figures("Progress", keys: ["dimension", "key"],
                    rows: aggregation.progress.map { ([$0.dimension.rawValue, $0.key], $0.counters) }),
            figures("Procedures", keys: ["agency", "procedure", "procedure_name"] + nameColumn,
                    rows: aggregation.procedures.map { ([$0.agency, $0.procedure, $0.procedureName] + name($0.agency), $0.counters) }),
            figures("Agencies", keys: ["agency", "level"] + nameColumn,
                    rows: aggregation.agencies.map { ([$0.agency, $0.level.rawValue] + name($0.agency), $0.counters) }),
        ]
        if options.monthly {
            sheets.append(figures("Monthly", keys: ["month"], rows: aggregation.monthly.map { ([$0.month], $0.counters) }))
        }
        sheets.append(rejects(report.rejects))
        let name = options.pipelineName.map { " – \($0)" } ?? ""
        return Workbook(
            title: "onestop\(name) \(report.period.from) – \(report.period.to)", sheets: sheets)
    }

    /// The ratio columns of the figures CSVs (SPEC §5); every other figure column is a count.
    static let ratioColumns: Set = ["online_share", "postal_share", "digitisation_rate", "on_time_rate"]

    /// A figures sheet: the key columns as text, then `FigureColumns` — the very strings the CSVs
    /// print, typed: counts as integers, ratios as percentages.
    static func figures(_ name: String, keys: [String], rows: [([String], ProgressCounters)]) -> Worksheet {
        let kinds = FigureColumns.names.map { ratioColumns.contains($0) }
        return Worksheet(
            name: name, header: keys + FigureColumns.names,
            rows: rows.map { key, counters in
                key.map(Cell.text) + zip(FigureColumns.values(of: counters), kinds).map { value, isRatio in
                    isRatio ? Cell.ratio(value.isEmpty ? nil : value) : Int(value).map(Cell.integer) ?? .text(value)
                }
            })
    }

    /// The Rejects sheet, ordered as `rejects.csv`: by file and line, then by the other columns.
    static func rejects(_ rejects: [Reject]) -> Worksheet {
        let rows = rejects.map { [$0.file, String($0.line), $0.dossierID ?? "", $0.field, $0.reason.description] }
        let sorted = zip(rejects, rows).sorted { lhs, rhs in
            if lhs.0.file != rhs.0.file { return lhs.0.file < rhs.0.file }
            if lhs.0.line != rhs.0.line { return lhs.0.line < rhs.0.line }
            return lhs.1.lexicographicallyPrecedes(rhs.1)
        }
        return Worksheet(
            name: "Rejects", header: ["file", "line", "dossier_id", "field", "reason"],
            rows: sorted.map { reject, _ in
                [.text(reject.file), .number(reject.line), reject.dossierID.map(Cell.text) ?? .empty,
                 .text(reject.field), .text(reject.reason.description)]
            })
    }

    /// The Scorecard sheet: province-wide lines, then each level's, each with the measure's code
    /// (as in `summary.json`), its name in the report's language, value, numerator, denominator,
    /// target and whether it is met (green) or not (red).
    static func scorecard(_ scorecard: Scorecard, text: ReportText) -> Worksheet {
        let scopes = [(text.provinceWide, scorecard.province)] + scorecard.byLevel.map { (text.level($0.level), $0.lines) }
        var rows: [[Cell]] = []
        for (scope, lines) in scopes {
            for line in lines {
                rows.append([
                    .text(scope), .text(line.measure.rawValue), .text(text.measure(line.measure)),
                    .ratio(line.value.formatted(places: 4)), .integer(line.value.numerator),
                    .integer(line.value.denominator), .ratio(line.target.map(exactDecimal)),
                    .outcome(text.outcome(line.met, hasTarget: line.target != nil), met: line.met),
                ])
            }
        }
        return Worksheet(
            name: "Scorecard",
            header: [text.scopeColumn, text.codeColumn, text.measureColumn, text.value, text.numerator,
                     text.denominator, text.target, text.result],
            rows: rows)
    }

    /// A target as an exact decimal (`0.999`) where it has at most 12 decimals, else rounded to 12.
    static func exactDecimal(_ fraction: Fraction) -> String {
        guard fraction.denominator != 0 else { return "" }
        if fraction.numerator % fraction.denominator == 0 { return String(fraction.numerator / fraction.denominator) }
        var scaled = fraction.numerator
        for places in 1...12 {
            let (next, overflow) = scaled.multipliedReportingOverflow(by: 10)
            if overflow { break }
            scaled = next
            if scaled % fraction.denominator == 0 { return fraction.formatted(places: places) ?? "" }
        }
        return fraction.formatted(places: 12) ?? ""
    }
}
