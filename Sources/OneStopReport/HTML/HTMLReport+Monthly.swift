import OneStopAggregate
import OneStopModel

extension HTMLReport {
    /// The four ratios per month of the period as lines, then every month's counts in a table
    /// (months before the period, which hold only carried-over dossiers, in the table only).
    func monthlySection() -> String {
        let months = report.aggregation.monthly
        let first = String(report.period.from.description.prefix(7))
        let last = String(report.period.to.description.prefix(7))
        let inPeriod = months.filter { $0.month >= first && $0.month <= last }
        var html = "<p class=\"intro\">\(escape(text.monthlyIntro))</p>\n"
        let series = [
            (text.seriesOnline, "s1", { (c: ProgressCounters) in c.onlineShare }),
            (text.seriesPostal, "s2", { (c: ProgressCounters) in c.postalShare }),
            (text.seriesDigitised, "s3", { (c: ProgressCounters) in c.digitisationRate }),
            (text.seriesOnTime, "s4", { (c: ProgressCounters) in c.onTimeRate }),
        ]
        if !inPeriod.isEmpty {
            html += "<p class=\"legend\">" + series.map { "<span class=\"line \($0.1)\"></span>\(escape($0.0))" }.joined() + "</p>\n"
            let chart = TrendChart(
                title: text.monthlySection, months: inPeriod.map(\.month),
                series: series.map { name, styleClass, value in
                    TrendChart.Series(name: name, styleClass: styleClass, values: inPeriod.map { value($0.counters) })
                },
                style: style)
            html += "<figure class=\"chart-card wide\">\(chart.svg())</figure>\n"
        }
        if months.count > inPeriod.count { html += "<p class=\"note\">\(escape(text.outsidePeriodNote))</p>\n" }
        html += "<div class=\"table-wrap\"><table class=\"stack\">\n<thead><tr><th>\(escape(text.month))</th>"
        html += "<th class=\"num\">\(escape(text.received))</th><th class=\"num\">\(escape(text.carriedOver))</th>"
        for (name, _, _) in series { html += "<th class=\"num\">\(escape(name))</th>" }
        html += "</tr></thead>\n<tbody>\n"
        for month in months {
            html += "<tr><th scope=\"row\">\(escape(style.month(month.month)))</th>"
            html += countCell(month.counters.received, label: text.received)
                + countCell(month.counters.carriedOver, label: text.carriedOver)
            for (name, _, value) in series { html += percentCell(value(month.counters), label: name) }
            html += "</tr>\n"
        }
        return html + "</tbody></table></div>\n"
    }
}
