import OneStopAggregate
import OneStopEmit
import OneStopModel

extension Workbook {
    /// `onestop.xlsx`, written sheet by sheet into the output file as it is rendered.
    static func file(_ report: RunReport, options: ReportOptions) -> OutputFile {
        let name = OutputDocument.workbook.fileName
        return OutputFile(name: name) { writer throws(EmitError) in
            try onestop(report, options: options).write(to: writer, fileName: name)
        }
    }

    /// The workbook of a run: Scorecard, Agency scorecard, Progress, Procedures, Agencies,
    /// Monthly (with `options.monthly`), Rejects, Figures (an Excel Table) and Dossiers (when the
    /// run has dossier rows). The data sheets hold exactly the cells of the CSVs of the same name
    /// — same header, same rows in the same order, same values — with counts as integers and
    /// ratios as numbers formatted as percentages (an empty ratio is an empty cell); Procedures
    /// adds the catalogue's `level` and `field` after its key columns. A sheet holds at most
    /// Excel's 1,048,575 data rows (`maximumRows` less the header); beyond them, a note beside
    /// its header names the CSV.
    static func onestop(_ report: RunReport, options: ReportOptions, maximumRows: Int = excelRowLimit) -> Workbook {
        let text = ReportText.of(options.language)
        let style = NumberStyle(options.language)
        let aggregation = report.aggregation
        let named = !report.agencyNames.isEmpty
        func cut(_ file: OutputDocument) -> (Int) -> String {
            { total in
                text.sheetCut(shown: style.integer(maximumRows - 1), total: style.integer(total), file: file.fileName)
            }
        }
        var sheets = [
            scorecard(report, text: text),
            agencyScorecard(report, text: text, cutNote: cut(.figures)),
            figures("Progress", keys: ["dimension", "key"], rows: aggregation.progress, cutNote: cut(.progress)) {
                ([.text($0.dimension.rawValue), .text($0.key)], $0.counters)
            },
            figures("Procedures",
                    keys: ["agency", "procedure", "procedure_name"] + (named ? ["agency_name"] : []) + ["level", "field"],
                    rows: aggregation.procedures, cutNote: cut(.procedures)) { row in
                let entry = report.catalogue[row.procedure]
                let name: [Cell] = named ? [.text(report.agencyName(row.agency) ?? "")] : []
                return ([.text(row.agency), .text(row.procedure), .text(row.procedureName)] + name
                            + [.text(entry?.level.rawValue ?? ""), .text(entry?.field ?? "")],
                        row.counters)
            },
            figures("Agencies", keys: ["agency", "level"] + (named ? ["agency_name"] : []), rows: aggregation.agencies,
                    cutNote: cut(.agencies)) { row in
                ([.text(row.agency), .text(row.level.rawValue)] + (named ? [.text(report.agencyName(row.agency) ?? "")] : []),
                 row.counters)
            },
        ]
        if options.monthly {
            sheets.append(figures("Monthly", keys: ["month"], rows: aggregation.monthly, cutNote: cut(.monthly)) {
                ([.text($0.month)], $0.counters)
            })
        }
        sheets.append(rejects(report.rejects, cutNote: cut(.rejects)))
        sheets.append(figuresTable(report, cutNote: cut(.figures)))
        if let dossiers = report.dossiers { sheets.append(dossierSheet(dossiers, cutNote: cut(.dossiers))) }
        let name = options.pipelineName.map { " – \($0)" } ?? ""
        return Workbook(
            title: "onestop\(name) \(report.period.from) – \(report.period.to)", sheets: sheets, maximumRows: maximumRows)
    }

    /// A figures sheet: the key cells, then `FigureColumns` — the values the CSVs print, typed:
    /// the counts as integers, the ratios rounded as the CSVs round them, as percentages.
    static func figures<Row>(
        _ name: String, keys: [String], rows: [Row], cutNote: (Int) -> String,
        _ columns: @escaping (Row) -> ([Cell], ProgressCounters)
    ) -> Worksheet {
        Worksheet(name: name, header: keys + FigureColumns.names, elements: rows, cutNote: cutNote(rows.count)) { row in
            let (key, counters) = columns(row)
            return key + FigureColumns.counts(of: counters).map(Cell.integer)
                + FigureColumns.ratios(of: counters).map { Cell.ratio($0.formatted(places: 4)) }
        }
    }

    /// The Rejects sheet, ordered as `rejects.csv`: by file and line, then by the other columns.
    static func rejects(_ rejects: [Reject], cutNote: (Int) -> String) -> Worksheet {
        let ordered = zip(rejects, rejects.dropFirst()).allSatisfy { !Reject.ordered($1, $0) }
            ? Array(rejects.indices) : rejects.indices.sorted { Reject.ordered(rejects[$0], rejects[$1]) }
        return Worksheet(
            name: "Rejects", header: ["file", "line", "dossier_id", "field", "reason"], elements: ordered,
            cutNote: cutNote(rejects.count)
        ) { index in
            let reject = rejects[index]
            return [.text(reject.file), .number(reject.line), reject.dossierID.map(Cell.text) ?? .empty,
                    .text(reject.field), .text(reject.reason.description)]
        }
    }

    /// The Scorecard sheet: province-wide lines, then each level's, each with the measure's code
    /// (as in `summary.json`), its name in the report's language, value, numerator, denominator,
    /// target, whether it is met (green) or not (red), the gap to the target and the period; with
    /// an earlier period to compare with, that period, its value and the change in points.
    static func scorecard(_ report: RunReport, text: ReportText) -> Worksheet {
        let scorecard = report.aggregation.scorecard
        let comparison = report.comparison
        let scopes = [(text.provinceWide, nil as Level?, scorecard.province, true)]
            + scorecard.byLevel.map { (text.level($0.level), $0.level, $0.lines, $0.hasSources) }
        var rows: [[Cell]] = []
        for (scope, level, lines, hasSources) in scopes {
            for line in lines {
                let outcome = hasSources
                    ? Cell.outcome(text.outcome(line.met, hasTarget: line.target != nil), met: line.met)
                    : Cell.outcome(text.noSource, met: nil)
                var row: [Cell] = [
                    .text(scope), .text(line.measure.rawValue), .text(text.measure(line.measure)),
                    .ratio(line.value.formatted(places: 4)), .integer(line.value.numerator),
                    .integer(line.value.denominator), .ratio(line.target.map(exactDecimal)), outcome,
                    line.gap.map(Cell.integer) ?? .empty,
                    .text(report.period.from.description), .text(report.period.to.description),
                ]
                if let comparison {
                    let previous = comparison.previous(line.measure, level: level)
                    row += comparisonCells(line.value, previous: previous?.value, period: comparison.period)
                }
                rows.append(row)
            }
        }
        var header = [text.scopeColumn, text.codeColumn, text.measureColumn, text.value, text.numerator,
                      text.denominator, text.target, text.result, text.gapColumn, text.periodFromColumn, text.periodToColumn]
        if comparison != nil { header += [text.comparedPeriodColumn, text.previousValueColumn, text.changeColumn] }
        return Worksheet(name: "Scorecard", header: header, rows: rows)
    }

    /// The earlier period, its value and the change to `value` in percentage points.
    static func comparisonCells(_ value: Fraction, previous: Fraction?, period: Period) -> [Cell] {
        [
            .text("\(period.from) – \(period.to)"),
            .ratio(previous?.formatted(places: 4)),
            // A number cell, so without the "+" the number format shows.
            previous.flatMap { PercentagePoints.change(from: $0, to: value) }
                .map { Cell.change(decimal: $0.hasPrefix("+") ? String($0.dropFirst()) : $0) } ?? .empty,
        ]
    }

    /// The Agency scorecard sheet: each agency's lines on the province's basis, with the number of
    /// dossiers each rests on, its rank among the agencies with enough of them (or "too few
    /// dossiers"), target, met and gap; with an earlier period, its value and the change.
    static func agencyScorecard(_ report: RunReport, text: ReportText, cutNote: (Int) -> String) -> Worksheet {
        let cards = report.aggregation.agencyScorecards
        let named = !report.agencyNames.isEmpty
        let comparison = report.comparison
        var header = [text.agencyColumn] + (named ? [text.agencyNameColumn] : [])
        header += [text.codeColumn, text.measureColumn, text.value, text.numerator, text.denominator,
                   text.dossierCountColumn, text.rankColumn, text.target, text.result, text.gapColumn, text.remarkColumn]
        if comparison != nil { header += [text.comparedPeriodColumn, text.previousValueColumn, text.changeColumn] }
        // (card, line) positions, in the cards' order and each card's line order.
        let positions = cards.indices.lazy.flatMap { card in cards[card].lines.indices.lazy.map { (card, $0) } }
        let count = cards.reduce(0) { $0 + $1.lines.count }
        func row(_ position: (card: Int, line: Int)) -> [Cell] {
            let card = cards[position.card]
            let agencyLine = card.lines[position.line]
            let line = agencyLine.line
            var row: [Cell] = [.text(card.agency)] + (named ? [.text(report.agencyName(card.agency) ?? "")] : [])
            row += [
                .text(line.measure.rawValue), .text(text.measure(line.measure)), .ratio(line.value.formatted(places: 4)),
                .integer(line.value.numerator), .integer(line.value.denominator), .integer(agencyLine.dossiers),
                agencyLine.rank.map(Cell.integer) ?? .empty, .ratio(line.target.map(exactDecimal)),
                .outcome(text.outcome(line.met, hasTarget: line.target != nil), met: line.met),
                line.gap.map(Cell.integer) ?? .empty,
                agencyLine.rank == nil && line.value.denominator > 0 ? .text(text.tooFewDossiers) : .empty,
            ]
            if let comparison {
                row += comparisonCells(
                    line.value, previous: comparison.previous(line.measure, agency: card.agency)?.value,
                    period: comparison.period)
            }
            return row
        }
        return Worksheet(
            name: "Agency scorecard", header: header, rowCount: count,
            sample: Array(positions.prefix(widthSampleRows)).map(row), cutNote: cutNote(count)
        ) { sink throws(EmitError) in
            for position in positions {
                guard try sink.append(row(position)) else { break }
            }
        }
    }

    /// The Figures sheet: `figures.csv` cell for cell, as an Excel Table named `Figures` that a
    /// pivot table picks up. Counts and numerators are integers, ratio values and targets
    /// percentages, `met` the text `true`/`false` as in the CSV.
    static func figuresTable(_ report: RunReport, cutNote: (Int) -> String) -> Worksheet {
        let from = report.period.from.description
        let to = report.period.to.description
        func cells(_ row: FiguresTable.Row) -> [Cell] {
            // A count's value is its numerator; a ratio's, rounded, nil when the denominator is 0.
            let value: Cell = row.denominator == nil ? .integer(row.numerator) : .ratio(row.value)
            return [
                .text(from), .text(to), .text(row.scope), .text(row.dimension), .text(row.key), .text(row.measure),
                .integer(row.numerator), row.denominator.map(Cell.integer) ?? .empty, value,
                .ratio(row.target.map(SummaryJSON.decimalText)), row.met.map { .text($0 ? "true" : "false") } ?? .empty,
            ]
        }
        var sample: [[Cell]] = []
        try? FiguresTable.forEachRow(of: report) { row throws(FiguresStop) in
            guard sample.count < widthSampleRows else { throw .full }
            sample.append(cells(row))
        }
        let count = figureCount(report)
        var sheet = Worksheet(
            name: "Figures", header: FiguresTable.columns, rowCount: count, sample: sample, cutNote: cutNote(count)
        ) { sink throws(EmitError) in
            do throws(FiguresStop) {
                try FiguresTable.forEachRow(of: report) { row throws(FiguresStop) in
                    let appended: Bool
                    do throws(EmitError) { appended = try sink.append(cells(row)) } catch { throw .failed(error) }
                    guard appended else { throw .full }
                }
            } catch {
                if case .failed(let error) = error { throw error }
            }
        }
        sheet.isTable = true
        return sheet
    }

    /// How `FiguresTable.forEachRow` stops early.
    private enum FiguresStop: Error {
        /// The sheet (or the width sample) is full.
        case full
        case failed(EmitError)
    }

    /// The rows of `figures.csv`, counted without producing them: every figure column of every
    /// group of the figures tables, and every scorecard line.
    static func figureCount(_ report: RunReport) -> Int {
        let aggregation = report.aggregation
        let groups = aggregation.progress.count + aggregation.procedures.count + aggregation.agencies.count
            + aggregation.monthly.count
        let lines = aggregation.scorecard.province.count + aggregation.scorecard.byLevel.reduce(0) { $0 + $1.lines.count }
            + aggregation.agencyScorecards.reduce(0) { $0 + $1.lines.count }
        return groups * FigureColumns.names.count + lines
    }

    /// The columns of `dossiers.csv` that hold counts.
    static let dossierCountColumns: Set = ["supplement_requests", "digitised", "postal", "days_late"]

    /// The Dossiers sheet: `dossiers.csv` cell for cell, streamed from the same rows. Its columns
    /// are sized from a typical row (the rows are read once, while the sheet is written).
    static func dossierSheet(_ dossiers: DossierRows, cutNote: (Int) -> String) -> Worksheet {
        let counts = DossierRows.columns.map { dossierCountColumns.contains($0) }
        func cells(_ fields: [String]) -> [Cell] {
            zip(fields, counts).map { field, isCount in
                isCount ? (field.isEmpty ? .empty : Int(field).map(Cell.integer) ?? .text(field)) : .text(field)
            }
        }
        let instant = "2022-12-31T23:59:59+07:00"
        let typical = [
            "source_name", "000.00.00.H00-221231-0001", "000.00.00.H00", "district", "1.000000", "Field name here",
            "in_person", "postal", "returned", instant, instant, instant, instant, "0", "1", "1", "period",
            "in_progress_overdue", "100",
        ]
        return Worksheet(
            name: "Dossiers", header: DossierRows.columns, rowCount: dossiers.count, sample: [cells(typical)],
            cutNote: cutNote(dossiers.count)
        ) { sink throws(EmitError) in
            try dossiers.forEach { fields throws(EmitError) in
                // The store cannot stop early: rows past the sheet's limit are read and left out.
                try sink.append(cells(fields))
            }
        }
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
