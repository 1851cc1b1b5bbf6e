import OneStopAggregate
import OneStopModel

extension HTMLReport {
    /// One card per province-wide line (value, met or not, a meter with the target marked,
    /// numerator / denominator and target, what it would take to meet the target, and the change
    /// against the period before when there is one), then a table of every level's lines (a level
    /// without a source reads "no source", not 0 %).
    func scorecardSection() -> String {
        let scorecard = report.aggregation.scorecard
        var html = "<p class=\"intro\">\(escape(text.scorecardIntro))</p>\n<div class=\"kpis\">\n"
        for line in scorecard.province {
            html += card(line)
        }
        html += "</div>\n"
        guard !scorecard.byLevel.isEmpty else { return html }
        html += "<h3>\(escape(text.byLevel))</h3>\n<div class=\"table-wrap\"><table class=\"levels stack\">\n<thead><tr><th>\(escape(text.measureColumn))</th>"
        html += "<th class=\"num\">\(escape(text.target))</th>"
        for level in scorecard.byLevel {
            html += "<th class=\"num\">\(escape(text.level(level.level)))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for measure in ScorecardMeasure.allCases {
            let target = scorecard.line(measure)?.target ?? scorecard.byLevel.lazy.compactMap { $0.lines.first { $0.measure == measure }?.target }.first
            html += "<tr><th scope=\"row\">\(escape(text.measure(measure)))</th>"
            html += "<td class=\"num\" data-label=\"\(escape(text.target))\">\(target.map { "≥ " + style.percentOrDash($0) } ?? "–")</td>"
            for level in scorecard.byLevel {
                let label = " data-label=\"\(escape(text.level(level.level)))\""
                guard level.hasSources else {
                    html += "<td class=\"num nosource\"\(label)>\(escape(text.noSourceShort))</td>"
                    continue
                }
                guard let line = level.lines.first(where: { $0.measure == measure }) else {
                    html += "<td class=\"num\"\(label)>–</td>"
                    continue
                }
                html += "<td class=\"num\"\(label)>\(style.percentOrDash(line.value)) \(badge(line))"
                html += "<span class=\"fraction\">\(style.integer(line.value.numerator))/\(style.integer(line.value.denominator))</span>"
                if let gap = line.gap, gap > 0 { html += "<span class=\"gap\">\(escape(text.gapShort(style.integer(gap))))</span>" }
                if let comparison = report.comparison, let previous = comparison.previous(measure, level: level.level)?.value,
                   let points = PercentagePoints.change(from: previous, to: line.value) {
                    html += "<span class=\"change\">\(escape(text.changeShort(style.points(points), previous: style.percentOrDash(previous))))</span>"
                }
                html += "</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody></table></div>\n"
    }

    private func card(_ line: ScorecardLine) -> String {
        let kind = outcomeClass(line.met)
        var html = "<div class=\"kpi \(kind)\">\n"
        html += "<div class=\"kpi-name\">\(escape(text.measure(line.measure)))</div>\n"
        html += "<div class=\"kpi-value\">\(style.percentOrDash(line.value))</div>\n<div>\(badge(line))</div>\n"
        let filled = line.value.doubleValue.map { svgNumber(min(max($0, 0), 1) * 100) } ?? "0"
        html += "<div class=\"meter\"><span class=\"fill\" style=\"width:\(filled)%\"></span>"
        if let target = line.target, let value = target.doubleValue {
            html += "<span class=\"mark\" style=\"left:\(svgNumber(min(max(value, 0), 1) * 100))%\"></span>"
        }
        html += "</div>\n"
        var detail = "<span>\(style.integer(line.value.numerator)) / \(style.integer(line.value.denominator))</span>"
        if let target = line.target { detail += " <span>\(escape(text.target)) ≥ \(style.percentOrDash(target))</span>" }
        html += "<div class=\"kpi-detail\">\(detail)</div>\n"
        if let gap = line.gap, gap > 0 {
            html += "<div class=\"kpi-gap\">\(escape(text.gap(line.measure, style.integer(gap), one: gap == 1)))</div>\n"
        }
        if let comparison = report.comparison, let previous = comparison.previous(line.measure)?.value {
            let period = "\(style.date(comparison.period.from)) – \(style.date(comparison.period.to))"
            if let points = PercentagePoints.change(from: previous, to: line.value) {
                let direction = points.hasPrefix("+") ? "up" : points.hasPrefix("-") ? "down" : "same"
                html += "<div class=\"kpi-change \(direction)\">"
                    + escape(text.change(style.points(points), previous: style.percentOrDash(previous), period: period)) + "</div>\n"
            } else {
                html += "<div class=\"kpi-change same\">\(escape(text.previousOnly(style.percentOrDash(previous), period: period)))</div>\n"
            }
        }
        return html + "</div>\n"
    }

    func badge(_ line: ScorecardLine) -> String {
        "<span class=\"badge \(outcomeClass(line.met))\">\(escape(text.outcome(line.met, hasTarget: line.target != nil)))</span>"
    }

    func outcomeClass(_ met: Bool?) -> String {
        switch met {
        case true?: "met"
        case false?: "notmet"
        case nil: "nodata"
        }
    }
}
