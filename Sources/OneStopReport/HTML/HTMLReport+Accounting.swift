import OneStopModel

extension HTMLReport {
    /// Records read and where they went (R7), the files per source with any failed file named,
    /// and the run's warnings by kind.
    func accountingSection() -> String {
        let accounting = report.accounting
        var html = "<div class=\"accounting\">\n<table class=\"balance\"><tbody>\n"
        html += "<tr><th scope=\"row\">\(escape(text.recordsRead))</th>\(countCell(accounting.recordsRead))</tr>\n"
        for (label, value) in [(text.rejected, accounting.rejected), (text.superseded, accounting.superseded),
                               (text.notAccepted, accounting.notAccepted), (text.kept, accounting.kept)] {
            html += "<tr class=\"part\"><td>\(escape(label))</td>\(countCell(value))</tr>\n"
        }
        html += "</tbody></table>\n"
        html += "<p class=\"\(accounting.balances ? "ok" : "problem")\">\(escape(accounting.balances ? text.identityHolds : text.identityFails))</p>\n</div>\n"

        var sources: [String] = []
        var totals: [String: (files: Int, bytes: Int64, records: Int, rejected: Int, failed: Int)] = [:]
        for file in accounting.files {
            if totals[file.source] == nil { sources.append(file.source) }
            var total = totals[file.source, default: (0, 0, 0, 0, 0)]
            total.files += 1
            total.bytes += file.bytes
            total.records += file.records
            total.rejected += file.rejected
            if file.status == .failed { total.failed += 1 }
            totals[file.source] = total
        }
        html += "<div class=\"table-wrap\"><table class=\"stack\">\n<thead><tr><th>\(escape(text.source))</th><th class=\"num\">\(escape(text.fileCount))</th>"
        html += "<th class=\"num\">\(escape(text.size))</th><th class=\"num\">\(escape(text.records))</th>"
        html += "<th class=\"num\">\(escape(text.rejected))</th><th>\(escape(text.status))</th></tr></thead>\n<tbody>\n"
        for source in sources.sorted() {
            let total = totals[source]!
            html += "<tr><th scope=\"row\" class=\"code\">\(escape(source))</th>\(countCell(total.files, label: text.fileCount))"
            html += "<td class=\"num\"\(dataLabel(text.size))>\(style.bytes(total.bytes))</td>"
            html += countCell(total.records, label: text.records) + countCell(total.rejected, label: text.rejected)
            html += total.failed == 0
                ? "<td\(dataLabel(text.status))>\(escape(text.fileOK))</td></tr>\n"
                : "<td class=\"problem\"\(dataLabel(text.status))>\(style.integer(total.failed)) \(escape(text.fileFailed))</td></tr>\n"
        }
        html += "</tbody></table></div>\n"

        let failed = accounting.files.filter { $0.status == .failed }
        if !failed.isEmpty {
            html += "<p class=\"problem\">\(escape(text.failedFiles))</p>\n<ul class=\"failed\">\n"
            for file in failed {
                let line = file.line.map { ":\($0)" } ?? ""
                html += "<li><span class=\"code\">\(escape(file.path + line))</span> — \(escape(file.error ?? ""))</li>\n"
            }
            html += "</ul>\n"
        }

        html += "<h3>\(escape(text.warningsSection))</h3>\n"
        let kinds = RunWarnings.Kind.allCases.filter { report.warnings.count(of: $0) > 0 }
        guard !kinds.isEmpty else { return html + "<p>\(escape(text.noWarnings))</p>\n" }
        html += "<ul class=\"warnings\">\n"
        for kind in kinds {
            html += "<li><b>\(style.integer(report.warnings.count(of: kind)))</b> \(escape(text.warning(kind)))</li>\n"
        }
        return html + "</ul>\n"
    }
}
