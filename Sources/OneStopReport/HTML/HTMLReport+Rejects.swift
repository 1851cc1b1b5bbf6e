import OneStopModel

extension HTMLReport {
    /// The rejects grouped by the kind of reason (most first): count, the fields concerned, the
    /// offending values (a few), and the first file and line as an example.
    func rejectsSection() -> String {
        let rejects = report.rejects.sorted { ($0.file, $0.line) < ($1.file, $1.line) }
        guard !rejects.isEmpty else { return "<p>\(escape(text.noRejects))</p>\n" }
        var groups: [String: (reason: RejectReason, rejects: [Reject])] = [:]
        for reject in rejects {
            let label = text.reason(reject.reason)
            groups[label, default: (reject.reason, [])].rejects.append(reject)
        }
        let ordered = groups.sorted { lhs, rhs in
            lhs.value.rejects.count != rhs.value.rejects.count ? lhs.value.rejects.count > rhs.value.rejects.count : lhs.key < rhs.key
        }
        let most = ordered.first?.value.rejects.count ?? 1
        var html = "<div class=\"table-wrap\"><table class=\"rejects stack\">\n<thead><tr><th>\(escape(text.reason))</th>"
        html += "<th class=\"num\">\(escape(text.records))</th><th>\(escape(text.fields))</th><th>\(escape(text.example))</th></tr></thead>\n<tbody>\n"
        for (label, group) in ordered {
            let fields = Set(group.rejects.map(\.field)).sorted().joined(separator: ", ")
            var values: [String] = []
            for reject in group.rejects {
                let value: String? = switch reject.reason {
                case .unparseableDate(let text), .unmappedCode(let text): text
                default: nil
                }
                if let value, !values.contains(value) { values.append(value) }
            }
            html += "<tr><td\(dataLabel(text.reason))>\(escape(label))"
            if !values.isEmpty {
                let shown = values.prefix(4).map { "“\($0)”" }.joined(separator: ", ") + (values.count > 4 ? ", …" : "")
                html += "<span class=\"values\">\(escape(shown))</span>"
            }
            let width = Double(group.rejects.count) / Double(most) * 60
            html += "</td><td class=\"num\"\(dataLabel(text.records))><span class=\"inline-bar reject\" style=\"width:\(svgNumber(width))px\"></span>\(style.integer(group.rejects.count))</td>"
            let example = group.rejects[0]
            html += "<td class=\"code\"\(dataLabel(text.fields))>\(escape(fields))</td>"
            html += "<td class=\"code\"\(dataLabel(text.example))>\(escape("\(example.file):\(example.line)"))</td></tr>\n"
        }
        html += "</tbody><tfoot><tr><th>\(escape(text.rejected))</th>\(countCell(rejects.count))</tr></tfoot></table></div>\n"
        return html
    }
}
