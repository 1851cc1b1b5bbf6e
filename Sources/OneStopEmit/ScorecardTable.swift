import OneStopAggregate
import OneStopModel

/// The scorecard as a plain-text table for standard output: one line per measure and scope
/// (`all` = province-wide, then each level), with the value as a percentage (2 decimals,
/// rounded half-up), its exact numerator/denominator, the target, ✓ met, ✗ missed or – n/a, and
/// the gap: how many more numerator units would meet the target. A level no source has reads
/// "no source". With the period before (`comparison`), two more columns: its value and the change
/// in percentage points (`+1.25 pp`; – where either value is empty or the line is new).
public func renderScorecardTable(_ scorecard: Scorecard, comparison: PeriodComparison? = nil) -> String {
    func percent(_ fraction: Fraction?) -> String {
        guard let fraction, let text = Fraction(fraction.numerator * 100, fraction.denominator).formatted(places: 2)
        else { return "–" }
        return text + " %"
    }
    func mark(_ met: Bool?) -> String {
        switch met {
        case true?: "✓"
        case false?: "✗"
        case nil: "–"
        }
    }
    func change(_ line: ScorecardLine, _ previous: ScorecardLine?) -> [String] {
        guard comparison != nil else { return [] }
        guard let previous else { return ["–", "–"] }
        let change = PeriodComparison.change(from: previous.value, to: line.value)
        return [percent(previous.value), change.map { PeriodComparison.signedText($0) + " pp" } ?? "–"]
    }
    let scopes = [("all", nil as Level?, scorecard.province, true)]
        + scorecard.byLevel.map { ($0.level.rawValue, $0.level, $0.lines, $0.hasSources) }
    var rows = [["measure", "scope", "value", "num/den", "target", "met", "gap"]
        + (comparison.map { ["previous (\($0.period.from)…\($0.period.to))", "change"] } ?? [])]
    for (scope, level, lines, hasSources) in scopes {
        for line in lines {
            guard hasSources else {
                rows.append([line.measure.rawValue, scope, "no source", "", percent(line.target), "–", ""]
                    + change(line, comparison?.previous(line.measure, level: level)))
                continue
            }
            rows.append([
                line.measure.rawValue, scope, percent(line.value), line.value.description, percent(line.target),
                mark(line.met), line.gap.map(String.init) ?? "",
            ] + change(line, comparison?.previous(line.measure, level: level)))
        }
    }
    let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
    let rightAligned: Set = [2, 3, 4, 6, 7, 8]
    return rows.map { row in
        row.enumerated().map { column, text in
            let padding = String(repeating: " ", count: widths[column] - text.count)
            return rightAligned.contains(column) ? padding + text : text + padding
        }
        .joined(separator: "  ")
        .trimmingTrailingSpaces()
    }
    .joined(separator: "\n") + "\n"
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
