import Foundation
import OneStopModel

/// A horizontal bar chart of one ratio per agency, as inline SVG: bars sorted from highest to
/// lowest (ties by label; groups without a denominator last, shown as "–"), a 0–100 % scale,
/// each value printed in a column of its own at the right (and the number of dossiers it rests
/// on, n, when given), each bar's rank at the left (when given), and the target as a dashed line
/// with its label. A bar is blue when it meets the target, orange when it does not. Beyond
/// `maximumRows` bars (a province with hundreds of commune desks), the chart keeps the highest and
/// the lowest and says how many it leaves out between them.
struct BarChart: Sendable {
    struct Bar: Sendable, Hashable {
        var label: String
        /// Shown after the label in a lighter tone, e.g. the agency's level.
        var note: String?
        var value: Fraction
        /// The number of dossiers the value rests on, shown as `n=…`.
        var count: Int?
        /// The bar's rank, shown as `#…` before the label.
        var rank: Int?

        init(label: String, note: String?, value: Fraction, count: Int? = nil, rank: Int? = nil) {
            self.label = label
            self.note = note
            self.value = value
            self.count = count
            self.rank = rank
        }
    }

    /// Read by screen readers (`aria-label`).
    var title: String
    var bars: [Bar]
    var target: Fraction?
    var style: NumberStyle
    var targetLabel: String
    /// The row standing for the bars left out; `{n}` is replaced by their number.
    var omittedLabel = "… {n} …"
    var maximumRows = 50
    /// Bars already left out by whoever chose `bars` (the highest and the lowest of many, in two
    /// equal halves): drawn as one row between the halves.
    var leftOut = 0

    /// A row of the chart: a bar, or the bars left out between the highest and the lowest.
    enum Row: Sendable, Hashable {
        case bar(Bar)
        case omitted(Int)
    }

    static let width = 560.0
    static let rowHeight = 20.0
    static let barHeight = 13.0
    static let fontSize = 12.0
    static let top = 24.0
    static let bottom = 22.0
    static let valueWidth = 64.0
    /// The `n=…` column, when bars have counts.
    static let countWidth = 74.0
    /// The `#…` column, when bars have ranks.
    static let rankWidth = 36.0

    /// The value and count columns at the right.
    var rightColumns: Double {
        Self.valueWidth + (bars.contains { $0.count != nil } ? Self.countWidth : 0)
    }

    var rankColumn: Double { bars.contains { $0.rank != nil } ? Self.rankWidth : 0 }

    /// The bars in drawing order.
    var sortedBars: [Bar] {
        bars.sorted { lhs, rhs in
            switch (lhs.value.denominator == 0, rhs.value.denominator == 0) {
            case (false, true): return true
            case (true, false): return false
            case (true, true): return lhs.label < rhs.label
            case (false, false):
                let left = lhs.value.numerator.multipliedFullWidth(by: rhs.value.denominator)
                let right = rhs.value.numerator.multipliedFullWidth(by: lhs.value.denominator)
                if left.high != right.high || left.low != right.low { return (left.high, left.low) > (right.high, right.low) }
                return lhs.label < rhs.label
            }
        }
    }

    /// The rows in drawing order: every bar, or the `(maximumRows - 1) / 2` highest, the bars
    /// left out, and as many of the lowest (or the halves of `bars` around `leftOut`).
    var rows: [Row] {
        let sorted = sortedBars
        if leftOut > 0 {
            let half = sorted.count / 2
            return sorted.prefix(half).map(Row.bar) + [.omitted(leftOut)] + sorted.dropFirst(half).map(Row.bar)
        }
        guard sorted.count > maximumRows else { return sorted.map(Row.bar) }
        let kept = max((maximumRows - 1) / 2, 1)
        return sorted.prefix(kept).map(Row.bar) + [.omitted(sorted.count - 2 * kept)] + sorted.suffix(kept).map(Row.bar)
    }

    /// Where the bars start: the rank column, then the longest label drawn (with its note), at
    /// most 210 px.
    var labelWidth: Double {
        let widest = rows.compactMap { row -> Double? in
            guard case .bar(let bar) = row else { return nil }
            return TextMetrics.width(fullLabel(bar), size: Self.fontSize, limit: 210)
        }.max() ?? 0
        return rankColumn + min(widest + 12, 210)
    }

    var height: Double { Self.top + Double(rows.count) * Self.rowHeight + Self.bottom }

    /// The x of a value between 0 and 1 on the scale.
    func x(_ value: Double) -> Double {
        x(value, labelWidth: labelWidth)
    }

    private func x(_ value: Double, labelWidth start: Double) -> Double {
        let end = Self.width - rightColumns
        return start + min(max(value, 0), 1) * (end - start)
    }

    func svg() -> String {
        let rows = rows
        // Measured once: every row uses it, and measuring reads every label.
        let labelWidth = labelWidth
        let rankColumn = rankColumn
        let rightColumns = rightColumns
        func x(_ value: Double) -> Double { self.x(value, labelWidth: labelWidth) }
        let bottomOfBars = Self.top + Double(rows.count) * Self.rowHeight
        var svg = #"<svg class="chart bar-chart" viewBox="0 0 \#(svgNumber(Self.width)) \#(svgNumber(height))" "#
            + #"role="img" aria-label="\#(Markup.escape(title))" font-size="\#(svgNumber(Self.fontSize))">"#
        // Scale: light grid lines with their percentage below.
        for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let position = svgNumber(x(tick))
            svg += #"<line class="grid" x1="\#(position)" y1="\#(svgNumber(Self.top - 4))" x2="\#(position)" y2="\#(svgNumber(bottomOfBars))"/>"#
            svg += #"<text class="tick" x="\#(position)" y="\#(svgNumber(bottomOfBars + 15))" text-anchor="middle">\#(Int(tick * 100))%</text>"#
        }
        for (index, row) in rows.enumerated() {
            let rowTop = Self.top + Double(index) * Self.rowHeight
            let middle = svgNumber(rowTop + Self.rowHeight / 2 + 4)
            guard case .bar(let bar) = row else {
                if case .omitted(let count) = row {
                    let text = omittedLabel.replacingOccurrences(of: "{n}", with: style.integer(count))
                    svg += #"<text class="omitted" x="\#(svgNumber((rankColumn + Self.width) / 2))" y="\#(middle)" "#
                        + #"text-anchor="middle">\#(Markup.escape(text))</text>"#
                }
                continue
            }
            let shown = style.percent(bar.value) ?? "–"
            var detail = bar.value.denominator == 0 ? shown : "\(shown) (\(style.integer(bar.value.numerator))/\(style.integer(bar.value.denominator)))"
            if let count = bar.count { detail += ", n=\(style.integer(count))" }
            if let rank = bar.rank { detail = "#\(rank) · " + detail }
            svg += "<g><title>\(Markup.escape(fullLabel(bar))): \(Markup.escape(detail))</title>"
            if let rank = bar.rank {
                svg += #"<text class="rank" x="\#(svgNumber(rankColumn - 6))" y="\#(middle)" text-anchor="end">#\#(rank)</text>"#
            }
            let label = TextMetrics.truncated(bar.label, size: Self.fontSize, maximum: labelWidth - rankColumn - 12 - noteWidth(bar))
            svg += #"<text class="label" x="\#(svgNumber(labelWidth - 8))" y="\#(middle)" text-anchor="end">\#(Markup.escape(label))"#
            if let note = bar.note { svg += #"<tspan class="note"> · \#(Markup.escape(note))</tspan>"# }
            svg += "</text>"
            if let value = bar.value.doubleValue {
                let met = target.flatMap { bar.value.isAtLeast($0) }
                let kind = met == true ? "met" : met == false ? "notmet" : "plain"
                let barWidth = max(x(value) - labelWidth, value > 0 ? 1 : 0)
                svg += #"<rect class="bar \#(kind)" x="\#(svgNumber(labelWidth))" y="\#(svgNumber(rowTop + (Self.rowHeight - Self.barHeight) / 2))" "#
                    + #"width="\#(svgNumber(barWidth))" height="\#(svgNumber(Self.barHeight))"/>"#
            }
            svg += #"<text class="value" x="\#(svgNumber(Self.width - rightColumns + Self.valueWidth - 2))" y="\#(middle)" "#
                + #"text-anchor="end">\#(Markup.escape(shown))</text>"#
            if let count = bar.count {
                svg += #"<text class="count" x="\#(svgNumber(Self.width - 2))" y="\#(middle)" text-anchor="end">n=\#(style.integer(count))</text>"#
            }
            svg += "</g>"
        }
        if let target, let value = target.doubleValue {
            let position = x(value)
            let label = "\(targetLabel) \(style.percent(target) ?? "")"
            let anchorEnd = position > labelWidth + (Self.width - rightColumns - labelWidth) * 0.6
            svg += #"<line class="target" x1="\#(svgNumber(position))" y1="\#(svgNumber(Self.top - 8))" x2="\#(svgNumber(position))" y2="\#(svgNumber(bottomOfBars + 2))"/>"#
            svg += #"<text class="target-label" x="\#(svgNumber(anchorEnd ? position - 4 : position + 4))" y="\#(svgNumber(Self.top - 10))" "#
                + #"text-anchor="\#(anchorEnd ? "end" : "start")">\#(Markup.escape(label))</text>"#
        }
        return svg + "</svg>"
    }

    private func fullLabel(_ bar: Bar) -> String {
        bar.note.map { "\(bar.label) · \($0)" } ?? bar.label
    }

    private func noteWidth(_ bar: Bar) -> Double {
        bar.note.map { TextMetrics.width(" · \($0)", size: Self.fontSize) } ?? 0
    }
}
