import OneStopAggregate
import OneStopModel

extension HTMLReport {
    /// How many agencies the late-dossier lists cover at most (those with the most late dossiers);
    /// the others are counted and sent to `dossiers.csv`.
    static let lateAgenciesListed = 25

    /// Per agency with late or overdue dossiers (most first): how many, then its worst dossiers
    /// (`LateDossier.listLength`, most days late first) with their ids and days late, and how many
    /// more are in `dossiers.csv`.
    func lateDossiersSection() -> String {
        let written = report.dossiers != nil
        let late = report.aggregation.progress.lazy
            .filter { $0.dimension == .agency && $0.counters.resolvedLate + $0.counters.inProgressOverdue > 0 }
            .map { (agency: $0.key, resolvedLate: $0.counters.resolvedLate, overdue: $0.counters.inProgressOverdue) }
        let listed = late.smallest(Self.lateAgenciesListed) { lhs, rhs in
            let left = lhs.resolvedLate + lhs.overdue
            let right = rhs.resolvedLate + rhs.overdue
            return left != right ? left > right : lhs.agency < rhs.agency
        }
        var html = "<p class=\"intro\">\(escape(text.lateDossiersIntro(listLength: LateDossier.listLength)))</p>\n"
        guard !listed.isEmpty else { return html + "<p>\(escape(text.noLate))</p>\n" }
        for agency in listed {
            let late = agency.resolvedLate + agency.overdue
            let dossiers = report.aggregation.lateByAgency[agency.agency] ?? []
            html += "<div class=\"late-agency\">\n<h3>\(escape(agencyLabel(agency.agency)))</h3>\n"
            html += "<p class=\"note\">\(escape(text.lateCounts(late: style.integer(late), resolvedLate: style.integer(agency.resolvedLate), overdue: style.integer(agency.overdue))))</p>\n"
            html += "<ol class=\"late-list\">\n"
            for dossier in dossiers {
                let days = dossier.daysLate.map { text.days(style.integer($0), one: $0 == 1) } ?? text.noDueDay
                let kind = dossier.overdue ? "overdue" : "late"
                html += "<li class=\"\(kind)\"><span class=\"code\">\(escape(dossier.dossierID))</span>"
                html += "<span class=\"when\"><b>\(escape(days))</b> · \(escape(dossier.overdue ? text.overdueKind : text.resolvedLateKind))</span>"
                html += "<span class=\"where\">\(escape(text.procedure)) \(escape(dossier.procedure)) · \(escape(dossier.source))</span></li>\n"
            }
            html += "</ol>\n"
            if late > dossiers.count {
                html += "<p class=\"note\">\(escape(text.moreLate(style.integer(late - dossiers.count), written: written)))</p>\n"
            }
            html += "</div>\n"
        }
        let count = late.count
        if count > listed.count {
            html += "<p class=\"note\">\(escape(text.moreLateAgencies(style.integer(count - listed.count), written: written)))</p>\n"
        }
        return html
    }
}
