import OneStopModel
import Testing
@testable import OneStopReport

@Suite struct BarChartTests {
    func chart(_ bars: [(String, Fraction)], target: Fraction? = Fraction(55, 100)) -> BarChart {
        BarChart(title: "t", bars: bars.map { BarChart.Bar(label: $0.0, note: nil, value: $0.1) }, target: target,
                 style: NumberStyle(.vi), targetLabel: "Mục tiêu")
    }

    @Test func sortedHighestFirstWithEmptyLast() {
        let chart = chart([("B", Fraction(1, 4)), ("EMPTY", Fraction(0, 0)), ("A", Fraction(2, 3)), ("C", Fraction(1, 4)),
                           ("D", Fraction(2000, 3000))])
        #expect(chart.sortedBars.map(\.label) == ["A", "D", "B", "C", "EMPTY"], "ties by label; 0/0 last")
    }

    @Test func barsAreProportionalAndTheTargetLineSitsAtTheTarget() throws {
        let chart = chart([("A", Fraction(1, 2)), ("B", Fraction(1, 1)), ("Z", Fraction(0, 0))])
        let svg = chart.svg()
        let plot = BarChart.width - BarChart.valueWidth - chart.labelWidth
        #expect(svg.contains(#"width="\#(svgNumber(plot))""#), "100 % fills the plot")
        #expect(svg.contains(#"width="\#(svgNumber(plot / 2))""#), "50 % fills half")
        #expect(svg.components(separatedBy: "<rect class=\"bar").count - 1 == 2, "no bar for 0/0")
        let x = svgNumber(chart.labelWidth + plot * 0.55)
        #expect(svg.contains(#"<line class="target" x1="\#(x)""#))
        #expect(svg.contains("Mục tiêu 55,00%"))
        #expect(svg.contains(#"class="bar met""#) && svg.contains(#"class="bar notmet""#))
        #expect(svg.contains(">–</text>"), "0/0 shows a dash, never 0 %")
    }

    @Test func noTargetNoLine() {
        let svg = chart([("A", Fraction(1, 2))], target: nil).svg()
        #expect(!svg.contains(#"class="target""#))
        #expect(svg.contains(#"class="bar plain""#))
    }

    @Test func longLabelsAreCutWithAnEllipsisAndKeptWhole() {
        let long = String(repeating: "Ủy ban nhân dân ", count: 6)
        let chart = chart([(long, Fraction(1, 2))])
        #expect(chart.labelWidth <= 210)
        let svg = chart.svg()
        #expect(svg.contains("…</text>"), "the label is shortened")
        #expect(svg.contains("<title>\(long):"), "the tooltip keeps the whole name")
    }
}

@Suite struct BarChartManyAgenciesTests {
    @Test func hundredsOfAgenciesKeepTheHighestAndTheLowest() {
        let bars = (1...130).map { BarChart.Bar(label: "AG\($0 + 100)", note: nil, value: Fraction($0, 130)) }
        let chart = BarChart(title: "t", bars: bars, target: nil, style: NumberStyle(.vi), targetLabel: "",
                             omittedLabel: "… {n} cơ quan khác …", maximumRows: 50)
        let rows = chart.rows
        #expect(rows.count == 49)
        #expect(rows.first == BarChart.Row.bar(bars[129]), "the highest stays")
        #expect(rows.last == BarChart.Row.bar(bars[0]), "the lowest stays")
        #expect(rows[24] == BarChart.Row.omitted(82))
        let svg = chart.svg()
        #expect(svg.contains("… 82 cơ quan khác …"))
        #expect(svg.components(separatedBy: "<rect class=\"bar").count - 1 == 48)
    }

    @Test func fewAgenciesAllShown() {
        let bars = (1...50).map { BarChart.Bar(label: "AG\($0)", note: nil, value: Fraction($0, 50)) }
        #expect(BarChart(title: "t", bars: bars, target: nil, style: NumberStyle(.en), targetLabel: "").rows.count == 50)
    }
}

@Suite("Text widths for labels")
struct TextMetricsTests {
    /// The definition: the longest prefix that fits with an ellipsis, measured whole each time.
    private func referenceTruncated(_ text: String, size: Double, maximum: Double) -> String {
        guard TextMetrics.width(text, size: size) > maximum else { return text }
        var kept = ""
        for character in text {
            if TextMetrics.width(kept + String(character) + "…", size: size) > maximum { break }
            kept.append(character)
        }
        return kept + "…"
    }

    @Test("Truncation keeps the longest prefix that fits, as measuring every prefix would")
    func truncationMatchesTheDefinition() {
        let alphabet = Array("ilmwMWÁĐđƯướệ 0123456789-/·_xyz")
        var state: UInt64 = 0x5EED
        for length in [0, 1, 5, 20, 40, 80, 200] {
            for _ in 0..<20 {
                var text = ""
                for _ in 0..<length {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    text.append(alphabet[Int(state >> 33) % alphabet.count])
                }
                for maximum in [10.0, 60.0, 198.0] {
                    #expect(TextMetrics.truncated(text, size: 12, maximum: maximum)
                        == referenceTruncated(text, size: 12, maximum: maximum), "\(text) at \(maximum)")
                }
            }
        }
    }

    @Test("Measuring stops past the limit, but never reports a label that does not fit as fitting")
    func widthWithALimit() {
        let long = String(repeating: "Thủ tục cấp giấy chứng nhận ", count: 40_000)
        #expect(TextMetrics.width(long, size: 12, limit: 210) > 210)
        #expect(TextMetrics.width("Hộ tịch", size: 12, limit: 210) == TextMetrics.width("Hộ tịch", size: 12))
        #expect(TextMetrics.truncated(long, size: 12, maximum: 198).count < 60)
    }
}
