import OneStopModel

/// A line chart of ratios per month, as inline SVG: a 0–100 % scale, one line per series
/// (broken where a month has no denominator), a dot per value with its exact figures as a
/// tooltip, and the month below (every second or third when there are many).
struct TrendChart: Sendable {
    struct Series: Sendable {
        var name: String
        /// The CSS class that colours it (`s1` … `s4`).
        var styleClass: String
        /// One value per month, in `months` order.
        var values: [Fraction]
    }

    var title: String
    /// `YYYY-MM`, in order.
    var months: [String]
    var series: [Series]
    var style: NumberStyle

    static let width = 1100.0
    static let height = 280.0
    static let left = 48.0
    static let right = 16.0
    static let top = 12.0
    static let bottom = 30.0

    func x(_ index: Int) -> Double {
        let step = (Self.width - Self.left - Self.right) / Double(max(months.count, 1))
        return Self.left + (Double(index) + 0.5) * step
    }

    func y(_ value: Double) -> Double {
        Self.top + (1 - min(max(value, 0), 1)) * (Self.height - Self.top - Self.bottom)
    }

    func svg() -> String {
        var svg = #"<svg class="chart trend-chart" viewBox="0 0 \#(svgNumber(Self.width)) \#(svgNumber(Self.height))" "#
            + #"role="img" aria-label="\#(Markup.escape(title))" font-size="12">"#
        for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let position = svgNumber(y(tick))
            svg += #"<line class="grid" x1="\#(svgNumber(Self.left))" y1="\#(position)" x2="\#(svgNumber(Self.width - Self.right))" y2="\#(position)"/>"#
            svg += #"<text class="tick" x="\#(svgNumber(Self.left - 6))" y="\#(svgNumber(y(tick) + 4))" text-anchor="end">\#(Int(tick * 100))%</text>"#
        }
        let step = (Self.width - Self.left - Self.right) / Double(max(months.count, 1))
        let labelWidth = TextMetrics.width(style.month("2022-12"), size: 12) + 8
        let every = max(1, Int((labelWidth / step).rounded(.up)))
        for (index, month) in months.enumerated() where index % every == 0 {
            svg += #"<text class="tick" x="\#(svgNumber(x(index)))" y="\#(svgNumber(Self.height - 10))" text-anchor="middle">\#(Markup.escape(style.month(month)))</text>"#
        }
        for series in series {
            svg += #"<g class="series \#(series.styleClass)">"#
            var segment: [String] = []
            func flush() {
                if segment.count > 1 { svg += #"<polyline points="\#(segment.joined(separator: " "))"/>"# }
                segment = []
            }
            for (index, value) in series.values.enumerated() {
                guard let ratio = value.doubleValue else { flush(); continue }
                segment.append("\(svgNumber(x(index))),\(svgNumber(y(ratio)))")
            }
            flush()
            for (index, value) in series.values.enumerated() {
                guard let ratio = value.doubleValue else { continue }
                let figures = "\(style.percent(value) ?? "–") (\(style.integer(value.numerator))/\(style.integer(value.denominator)))"
                svg += #"<circle cx="\#(svgNumber(x(index)))" cy="\#(svgNumber(y(ratio)))" r="3.5">"#
                    + "<title>\(Markup.escape(series.name)) \(Markup.escape(style.month(months[index]))): \(Markup.escape(figures))</title></circle>"
            }
            svg += "</g>"
        }
        return svg + "</svg>"
    }
}
