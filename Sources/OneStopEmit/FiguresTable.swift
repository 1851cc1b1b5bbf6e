import OneStopAggregate
import OneStopModel

/// `figures.csv`: every figure of the run in long form, one row per figure, for pivot tables and
/// BI tools (and the `figures` table of the history database):
/// `period_from,period_to,scope,dimension,key,measure,numerator,denominator,value,target,met`.
///
/// - scope `progress`: one row per group of the figures tables and per figure column.
///   Dimensions `province` (key `ALL`), `level`, `field`, `agency`, `procedure` (the rows of
///   `progress.csv`), `agency_procedure` (key `AGENCY|PROCEDURE`, `procedures.csv`),
///   `agency_level` (key `AGENCY|level`, `agencies.csv`) and `month` (key `YYYY-MM`). A count's
///   row has the count as numerator and value and no denominator; a ratio's row has its exact
///   numerator and denominator and the value rounded half-up to 4 decimals (empty when the
///   denominator is 0). Summing the numerator of one measure over one dimension gives the
///   province's figure.
/// - scope `scorecard`: the plan's lines, dimension `province` (key `ALL`), `level` and
///   `agency`, with target and met (`true`/`false`, empty when null).
public enum FiguresTable {
    public static let columns = [
        "period_from", "period_to", "scope", "dimension", "key", "measure", "numerator", "denominator", "value",
        "target", "met",
    ]

    /// One figure.
    public struct Row: Sendable, Hashable {
        public var scope: String
        public var dimension: String
        public var key: String
        public var measure: String
        public var numerator: Int
        /// Nil for a count.
        public var denominator: Int?
        /// As written: the count, or the ratio rounded to 4 decimals; nil when empty.
        public var value: String?
        public var target: Fraction?
        public var met: Bool?
    }

    /// The count measures (numerator only), then the ratio measures, in `FigureColumns` order.
    static let countMeasures = Array(FigureColumns.names.prefix(16))
    static let ratioMeasures = Array(FigureColumns.names.suffix(4))

    /// Every figure row of the report, in the file's order.
    public static func rows(of report: RunReport) -> [Row] {
        var rows: [Row] = []
        forEachRow(of: report) { rows.append($0) }
        return rows
    }

    /// Calls `body` with every figure row of the report, in the file's order, one at a time (a
    /// province with many agencies has millions of figures; none is held).
    public static func forEachRow<Failure: Error>(
        of report: RunReport, _ body: (Row) throws(Failure) -> Void
    ) throws(Failure) {
        try forEachGroup(
            of: report,
            progress: { (dimension, key, counters) throws(Failure) in
                let counts = FigureColumns.counts(of: counters)
                for (measure, count) in zip(countMeasures, counts) {
                    try body(Row(scope: "progress", dimension: dimension, key: key, measure: measure, numerator: count,
                                 denominator: nil, value: String(count)))
                }
                for (measure, ratio) in zip(ratioMeasures, FigureColumns.ratios(of: counters)) {
                    try body(Row(scope: "progress", dimension: dimension, key: key, measure: measure,
                                 numerator: ratio.numerator, denominator: ratio.denominator,
                                 value: ratio.formatted(places: 4)))
                }
            },
            scorecard: { (dimension, key, line) throws(Failure) in
                try body(Row(
                    scope: "scorecard", dimension: dimension, key: key, measure: line.measure.rawValue,
                    numerator: line.value.numerator, denominator: line.value.denominator,
                    value: line.value.formatted(places: 4), target: line.target, met: line.met))
            })
    }

    /// The groups behind the rows, in the file's order: each progress group (dimension, key and
    /// counters: twenty rows), then each scorecard line (one row).
    private static func forEachGroup<Failure: Error>(
        of report: RunReport,
        progress: (String, String, ProgressCounters) throws(Failure) -> Void,
        scorecard: (String, String, ScorecardLine) throws(Failure) -> Void
    ) throws(Failure) {
        let aggregation = report.aggregation
        for row in aggregation.progress { try progress(row.dimension.rawValue, row.key, row.counters) }
        for row in aggregation.procedures {
            try progress("agency_procedure", "\(row.agency)|\(row.procedure)", row.counters)
        }
        for row in aggregation.agencies {
            try progress("agency_level", "\(row.agency)|\(row.level.rawValue)", row.counters)
        }
        for row in aggregation.monthly { try progress("month", row.month, row.counters) }
        for line in aggregation.scorecard.province { try scorecard("province", "ALL", line) }
        for level in aggregation.scorecard.byLevel {
            for line in level.lines { try scorecard("level", level.level.rawValue, line) }
        }
        for card in aggregation.agencyScorecards {
            for line in card.lines { try scorecard("agency", card.agency, line.line) }
        }
    }

    /// `figures.csv`: the rows of `forEachRow(of:_:)`, written field by field, each group's
    /// shared fields escaped once (the file has twenty rows per group and may have millions).
    public static func render(_ report: RunReport, options: OutputOptions) -> OutputFile {
        OutputFile(name: OutputDocument.figures.fileName) { writer throws(EmitError) in
            var csv = CSVWriter(excel: options.excel)
            csv.writeRow(columns)
            let period = [report.period.from.description, report.period.to.description]
            let countNames = countMeasures.map { CSVWriter.escapedBytes([$0]) }
            let ratioNames = ratioMeasures.map { CSVWriter.escapedBytes([$0]) }
            try forEachGroup(
                of: report,
                progress: { (dimension, key, counters) throws(EmitError) in
                    // period_from,period_to,scope,dimension,key,
                    let prefix = CSVWriter.escapedBytes(period + ["progress", dimension, key, ""])
                    for (name, count) in zip(countNames, FigureColumns.counts(of: counters)) {
                        // measure,numerator,,value,, (no denominator, target or met)
                        csv.append(escaped: prefix)
                        csv.append(escaped: name)
                        csv.appendSeparator()
                        csv.append(count)
                        csv.appendSeparator()
                        csv.appendSeparator()
                        csv.append(count)
                        csv.appendSeparator()
                        csv.appendSeparator()
                        csv.endRow()
                    }
                    for (name, ratio) in zip(ratioNames, FigureColumns.ratios(of: counters)) {
                        // measure,numerator,denominator,value,,
                        csv.append(escaped: prefix)
                        csv.append(escaped: name)
                        csv.appendSeparator()
                        csv.append(ratio.numerator)
                        csv.appendSeparator()
                        csv.append(ratio.denominator)
                        csv.appendSeparator()
                        csv.append(ratio.formatted(places: 4) ?? "")
                        csv.appendSeparator()
                        csv.appendSeparator()
                        csv.endRow()
                    }
                    try csv.drain(into: writer)
                },
                scorecard: { (dimension, key, line) throws(EmitError) in
                    csv.writeRow(period + [
                        "scorecard", dimension, key, line.measure.rawValue, String(line.value.numerator),
                        String(line.value.denominator), line.value.formatted(places: 4) ?? "",
                        line.target.map(SummaryJSON.decimalText) ?? "", line.met.map { $0 ? "true" : "false" } ?? "",
                    ])
                    try csv.drain(into: writer)
                })
            try csv.finish(into: writer)
        }
    }
}
