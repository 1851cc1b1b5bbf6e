import OneStopAggregate
import OneStopEmit
import OneStopModel

/// `report.html`: one self-contained page that opens offline — inline CSS and SVG, no script, no
/// font or image from anywhere, and a Content-Security-Policy that forbids loading any. It shows
/// the scorecard against its targets, per-agency bar charts of the four ratios, the monthly
/// trend (when asked), the procedures with the most late dossiers, the rejects by reason and
/// the run's accounting. Labels are in one language (`ReportOptions.language`); the data is
/// shown as it is. The same report gives the same bytes: there is no timestamp.
public struct HTMLReport: Sendable {
    public var report: RunReport
    public var options: ReportOptions
    let text: ReportText
    let style: NumberStyle

    public init(_ report: RunReport, options: ReportOptions) {
        self.report = report
        self.options = options
        text = ReportText.of(options.language)
        style = NumberStyle(options.language)
    }

    /// The whole page.
    public func render() -> String {
        var sections: [(id: String, title: String, body: String)] = [
            ("scorecard", text.scorecardSection, scorecardSection()),
            ("agencies", text.agenciesSection, agenciesSection()),
        ]
        if options.monthly {
            sections.append(("monthly", text.monthlySection, monthlySection()))
        }
        sections += [
            ("late", text.lateSection, lateProceduresSection()),
            ("rejects", text.rejectsSection, rejectsSection()),
            ("accounting", text.accountingSection, accountingSection()),
        ]
        let links = sections.map { "<a href=\"#\($0.id)\">\(escape($0.title))</a>" }.joined(separator: " ")
        var html = """
            <!DOCTYPE html>
            <html lang="\(text.htmlLanguage)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <title>\(escape(pageTitle))</title>
            <style>
            \(ReportStylesheet.css)</style>
            </head>
            <body>
            <header class="page-header">
            <h1>\(escape(text.title))</h1>
            <p class="meta">\(headerFacts())</p>
            <nav aria-label="\(escape(text.contents))">\(links)</nav>
            </header>
            <main>

            """
        for section in sections {
            html += #"<section id="\#(section.id)">"# + "\n<h2>\(escape(section.title))</h2>\n\(section.body)</section>\n\n"
        }
        html += """
            </main>
            <footer>\(escape(text.footer))</footer>
            </body>
            </html>

            """
        return html
    }

    var pageTitle: String {
        let name = options.pipelineName.map { " – \($0)" } ?? ""
        return "\(text.title)\(name) (\(style.date(report.period.from)) – \(style.date(report.period.to)))"
    }

    private func headerFacts() -> String {
        var facts: [String] = []
        if let name = options.pipelineName { facts.append("\(escape(text.pipeline)): <b>\(escape(name))</b>") }
        facts.append("\(escape(text.period)): <b>\(escape(style.date(report.period.from))) – \(escape(style.date(report.period.to)))</b>")
        facts.append("\(escape(text.timezone)): \(escape(report.timezone))")
        return facts.joined(separator: " · ")
    }

    func escape(_ text: String) -> String { Markup.escape(text) }

    /// A right-aligned count cell.
    func countCell(_ value: Int) -> String { #"<td class="num">\#(style.integer(value))</td>"# }

    /// A right-aligned percentage cell, "–" when the denominator is 0.
    func percentCell(_ value: Fraction) -> String { #"<td class="num">\#(style.percentOrDash(value))</td>"# }
}
