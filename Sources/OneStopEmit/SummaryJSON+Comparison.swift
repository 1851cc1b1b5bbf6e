import OneStopAggregate
import OneStopModel

/// `summary.json` → `comparison`: the scorecard against the period before, when the run history
/// holds it, else null.
///
/// ```
/// comparison    {period {from, to}, scorecard {province: [change], by_level: {province: [change], …}}}
///   change      {name, value (this period, as in scorecard), previous_value (4 decimals, or null),
///                previous_numerator, previous_denominator, change_pp (value − previous value in
///                percentage points, exact, rounded half away from zero to 2 decimals, signed;
///                null when either value is null)}
/// ```
/// Lines the earlier period does not have are left out.
extension SummaryJSON {
    static func comparison(_ report: RunReport) -> JSONValue {
        guard let comparison = report.comparison else { return .null }
        let scorecard = report.aggregation.scorecard
        return .object([
            ("period", .object([
                ("from", .string(comparison.period.from.description)),
                ("to", .string(comparison.period.to.description)),
            ])),
            ("scorecard", .object([
                ("province", .array(scorecard.province.compactMap { line in
                    comparison.previous(line.measure).map { change(line, previous: $0) }
                })),
                ("by_level", .object(scorecard.byLevel.map { level in
                    (level.level.rawValue, .array(level.lines.compactMap { line in
                        comparison.previous(line.measure, level: level.level).map { change(line, previous: $0) }
                    }))
                })),
            ])),
        ])
    }

    private static func change(_ line: ScorecardLine, previous: ScorecardLine) -> JSONValue {
        let change = PeriodComparison.change(from: previous.value, to: line.value)
        return .object([
            ("name", .string(line.measure.rawValue)),
            ("value", line.value.formatted(places: 4).map(JSONValue.number) ?? .null),
            ("previous_value", previous.value.formatted(places: 4).map(JSONValue.number) ?? .null),
            ("previous_numerator", .int(previous.value.numerator)),
            ("previous_denominator", .int(previous.value.denominator)),
            ("change_pp", change.map { .number(PeriodComparison.signedText($0).replacingPlus()) } ?? .null),
        ])
    }
}

extension String {
    /// JSON numbers have no leading `+`.
    fileprivate func replacingPlus() -> String { hasPrefix("+") ? String(dropFirst()) : self }
}
