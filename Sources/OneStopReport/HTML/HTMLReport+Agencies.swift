import OneStopAggregate
import OneStopModel

extension HTMLReport {
    /// Four bar charts, one per ratio, with a bar per agency: online share, postal share,
    /// digitisation rate and on-time rate.
    func agenciesSection() -> String {
        let agencies = report.aggregation.agencies
        let scorecard = report.aggregation.scorecard
        let charts: [(title: String, ratio: String, target: Fraction?, note: String?, value: (ProgressCounters) -> Fraction)] = [
            (text.onlineShareChart, text.onlineShareRatio, scorecard.line(.onlineDossierShare)?.target,
             text.onlineTargetNote, { $0.onlineShare }),
            (text.postalShareChart, text.postalShareRatio, nil, text.postalTargetNote, { $0.postalShare }),
            (text.digitisationChart, text.digitisationRatio, scorecard.line(.digitisationRate)?.target,
             text.digitisationTargetNote, { $0.digitisationRate }),
            (text.onTimeChart, text.onTimeRatio, scorecard.line(.onTimeRate)?.target, nil, { $0.onTimeRate }),
        ]
        // An agency code seen under two levels gets its level in the label; so does every agency
        // when the run has sources of more than one level.
        let showLevel = Set(agencies.map(\.level)).count > 1
        var html = "<p class=\"intro\">\(escape(text.agenciesIntro))</p>\n" + legend() + "<div class=\"charts\">\n"
        for chart in charts {
            let bars = agencies.map {
                BarChart.Bar(label: $0.agency, note: showLevel ? text.shortLevel($0.level) : nil, value: chart.value($0.counters))
            }
            let svg = BarChart(title: chart.title, bars: bars, target: chart.target, style: style, targetLabel: text.targetLine,
                               omittedLabel: text.omittedAgencies).svg()
            html += "<figure class=\"chart-card\">\n<figcaption><b>\(escape(chart.title))</b>"
            html += "<span class=\"ratio\">= \(escape(chart.ratio))</span></figcaption>\n\(svg)\n"
            if let note = chart.note { html += "<p class=\"note\">\(escape(note))</p>\n" }
            html += "</figure>\n"
        }
        return html + "</div>\n"
    }

    private func legend() -> String {
        "<p class=\"legend\"><span class=\"swatch met\"></span>\(escape(text.legendMet))"
            + "<span class=\"swatch notmet\"></span>\(escape(text.legendNotMet))"
            + "<span class=\"swatch plain\"></span>\(escape(text.legendNoTarget))"
            + "<span class=\"swatch target\"></span>\(escape(text.targetLine))"
            + "<span class=\"swatch none\">–</span>\(escape(text.legendNoData))</p>\n"
    }
}
