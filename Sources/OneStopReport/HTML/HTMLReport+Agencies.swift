import OneStopAggregate
import OneStopModel

extension HTMLReport {
    /// How many "too few dossiers" agencies a chart names; the rest are counted.
    static let tooFewListed = 12

    /// One bar chart per scorecard line, with a bar per agency ranked on that line — each agency's
    /// line on exactly the basis of the province's card above, its rank and the number of dossiers
    /// it rests on — and, under it, the agencies with too few dossiers to rank.
    func agenciesSection() -> String {
        let cards = report.aggregation.agencyScorecards
        let minimum = report.minimumDossiersToRank
        var html = "<p class=\"intro\">\(escape(text.agenciesIntro(minimum: minimum)))</p>\n" + legend()
        html += "<div class=\"charts\">\n"
        for measure in ScorecardMeasure.allCases {
            var ranked: [BarChart.Bar] = []
            var tooFew: [(agency: String, dossiers: Int)] = []
            var target: Fraction?
            for card in cards {
                guard let line = card.line(measure) else { continue }
                target = target ?? line.line.target
                if let rank = line.rank {
                    ranked.append(BarChart.Bar(label: agencyLabel(card.agency), note: nil, value: line.line.value,
                                               count: line.dossiers, rank: rank))
                } else {
                    tooFew.append((card.agency, line.dossiers))
                }
            }
            target = target ?? report.aggregation.scorecard.line(measure)?.target
            let title = text.measure(measure)
            html += "<figure class=\"chart-card\">\n<figcaption><b>\(escape(title))</b>"
            html += "<span class=\"ratio\">= \(escape(text.agencyRatio(measure)))</span></figcaption>\n"
            if ranked.isEmpty {
                html += "<p class=\"note\">\(escape(text.noRankedAgency))</p>\n"
            } else {
                let chart = BarChart(title: title, bars: ranked, target: target, style: style, targetLabel: text.targetLine,
                                     omittedLabel: text.omittedRanked)
                html += chart.svg() + "\n"
            }
            if !tooFew.isEmpty { html += tooFewNote(tooFew, minimum: minimum) }
            html += "</figure>\n"
        }
        return html + "</div>\n"
    }

    /// The agencies not ranked on a line: the ones closest to the minimum first, at most
    /// `tooFewListed` named, the rest counted.
    private func tooFewNote(_ agencies: [(agency: String, dossiers: Int)], minimum: Int) -> String {
        let listed = agencies.sorted { $0.dossiers != $1.dossiers ? $0.dossiers > $1.dossiers : $0.agency < $1.agency }
            .prefix(Self.tooFewListed)
            .map { "\(agencyLabel($0.agency)) (n=\(style.integer($0.dossiers)))" }
        var note = text.tooFew(minimum: minimum) + " " + listed.joined(separator: ", ")
        if agencies.count > listed.count { note += ", " + text.andMore(style.integer(agencies.count - listed.count)) }
        return "<p class=\"note too-few\">\(escape(note))</p>\n"
    }

    private func legend() -> String {
        "<p class=\"legend\"><span class=\"swatch met\"></span>\(escape(text.legendMet))"
            + "<span class=\"swatch notmet\"></span>\(escape(text.legendNotMet))"
            + "<span class=\"swatch plain\"></span>\(escape(text.legendNoTarget))"
            + "<span class=\"swatch target\"></span>\(escape(text.targetLine))</p>\n"
    }
}
