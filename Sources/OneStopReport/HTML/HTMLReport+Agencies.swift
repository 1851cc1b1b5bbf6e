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
            // (agency, line) of the ranked and of the unranked agencies; labels are made only for
            // the few drawn or named.
            var ranked: [(agency: String, line: AgencyScorecardLine)] = []
            var tooFew: [(agency: String, dossiers: Int)] = []
            var target: Fraction?
            for card in cards {
                guard let line = card.line(measure) else { continue }
                target = target ?? line.line.target
                if line.rank != nil {
                    ranked.append((card.agency, line))
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
                html += chart(title: title, ranked: ranked, target: target).svg() + "\n"
            }
            if !tooFew.isEmpty { html += tooFewNote(tooFew, minimum: minimum) }
            html += "</figure>\n"
        }
        return html + "</div>\n"
    }

    /// A line's chart: every ranked agency, or the best and the worst by rank when there are too
    /// many to draw.
    private func chart(title: String, ranked: [(agency: String, line: AgencyScorecardLine)], target: Fraction?) -> BarChart {
        var chart = BarChart(title: title, bars: [], target: target, style: style, targetLabel: text.targetLine,
                             omittedLabel: text.omittedRanked)
        func bar(_ agency: (agency: String, line: AgencyScorecardLine)) -> BarChart.Bar {
            BarChart.Bar(label: agencyLabel(agency.agency), note: nil, value: agency.line.line.value,
                         count: agency.line.dossiers, rank: agency.line.rank)
        }
        guard ranked.count > chart.maximumRows else {
            chart.bars = ranked.map(bar)
            return chart
        }
        // Rank order is value order; ties by code.
        func better(_ lhs: (agency: String, line: AgencyScorecardLine), _ rhs: (agency: String, line: AgencyScorecardLine)) -> Bool {
            let (left, right) = (lhs.line.rank ?? 0, rhs.line.rank ?? 0)
            return left != right ? left < right : lhs.agency < rhs.agency
        }
        let kept = max((chart.maximumRows - 1) / 2, 1)
        chart.bars = (ranked.smallest(kept, by: better) + ranked.smallest(kept) { better($1, $0) }.reversed()).map(bar)
        chart.leftOut = ranked.count - 2 * kept
        return chart
    }

    /// The agencies not ranked on a line: the ones closest to the minimum first, at most
    /// `tooFewListed` named, the rest counted.
    private func tooFewNote(_ agencies: [(agency: String, dossiers: Int)], minimum: Int) -> String {
        let listed = agencies.smallest(Self.tooFewListed) { $0.dossiers != $1.dossiers ? $0.dossiers > $1.dossiers : $0.agency < $1.agency }
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
