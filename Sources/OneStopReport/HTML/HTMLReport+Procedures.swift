import OneStopAggregate
import OneStopModel

extension HTMLReport {
    /// How many procedures the late table lists at most.
    static let lateProcedureCount = 10

    /// The procedures with the most late dossiers (resolved late + overdue in progress), summed
    /// over agencies: most first, ties by code; procedures without a late dossier are left out.
    func lateProceduresSection() -> String {
        var names: [String: String] = [:]
        for row in report.aggregation.procedures where names[row.procedure] == nil && !row.procedureName.isEmpty {
            names[row.procedure] = row.procedureName
        }
        let late = report.aggregation.progress
            .filter { $0.dimension == .procedure && $0.counters.resolvedLate + $0.counters.inProgressOverdue > 0 }
            .sorted { lhs, rhs in
                let left = lhs.counters.resolvedLate + lhs.counters.inProgressOverdue
                let right = rhs.counters.resolvedLate + rhs.counters.inProgressOverdue
                return left != right ? left > right : lhs.key < rhs.key
            }
            .prefix(Self.lateProcedureCount)
        var html = "<p class=\"intro\">\(escape(text.lateIntro))</p>\n"
        guard let most = late.first.map({ $0.counters.resolvedLate + $0.counters.inProgressOverdue }) else {
            return html + "<p>\(escape(text.noLate))</p>\n"
        }
        html += "<div class=\"table-wrap\"><table class=\"late stack\">\n<thead><tr><th>\(escape(text.procedure))</th>"
        html += "<th>\(escape(text.procedureName))</th><th class=\"num\">\(escape(text.dossiers))</th>"
        html += "<th class=\"num\">\(escape(text.lateTotal))</th>"
        html += "<th class=\"num\">\(escape(text.resolvedLate))</th><th class=\"num\">\(escape(text.overdue))</th>"
        html += "<th class=\"num\">\(escape(text.onTimeRate))</th></tr></thead>\n<tbody>\n"
        for row in late {
            let counters = row.counters
            let lateTotal = counters.resolvedLate + counters.inProgressOverdue
            let width = Double(lateTotal) / Double(most) * 60
            html += "<tr><th scope=\"row\" class=\"code\">\(escape(row.key))</th><td\(dataLabel(text.procedureName))>\(escape(names[row.key] ?? ""))</td>"
            html += countCell(counters.total, label: text.dossiers)
            html += "<td class=\"num\"\(dataLabel(text.lateTotal))><span class=\"inline-bar\" style=\"width:\(svgNumber(width))px\"></span><b>\(style.integer(lateTotal))</b></td>"
            html += countCell(counters.resolvedLate, label: text.resolvedLate) + countCell(counters.inProgressOverdue, label: text.overdue)
                + percentCell(counters.onTimeRate, label: text.onTimeRate) + "</tr>\n"
        }
        return html + "</tbody></table></div>\n"
    }
}
