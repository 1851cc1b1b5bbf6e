import OneStopAggregate
import OneStopEmit
import OneStopModel

/// `report.html`: one self-contained page that opens offline — inline CSS and SVG, no script, no
/// font or image from anywhere, and a Content-Security-Policy that forbids loading any. It opens
/// with a banner when the figures are incomplete (a file failed, a source is missing or stale),
/// then shows the scorecard against its targets (with each line's gap and its change against the
/// period before), per-agency bar charts of the plan's lines, each agency's late and overdue
/// dossiers, the monthly trend (when asked), the procedures with the most late dossiers, the
/// rejects by reason and the run's accounting. It prints on A4 and fits a phone. Labels are in
/// one language (`ReportOptions.language`); the data is shown as it is, agencies as
/// "name (code)" when the agency register names them. The same report gives the same bytes:
/// there is no timestamp. However many agencies the data holds, the page stays bounded: charts
/// and lists show the best and worst or the first few, and say where the rest are.
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
            ("late-dossiers", text.lateDossiersSection, lateDossiersSection()),
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
            \(banner())</header>
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

    /// An agency as people know it: "name (code)" when the register names it, else its code.
    func agencyLabel(_ code: String) -> String {
        report.agencyName(code).map { "\($0) (\(code))" } ?? code
    }

    /// How many problems the banner lists; the rest are counted (all are in `summary.json`).
    static let bannerProblemsListed = 12

    /// What a reader must know before using the figures, and what to do: failed files, missing or
    /// stale sources, too many rejects. Empty when the run is complete.
    func banner() -> String {
        let problems = report.problems
        guard !problems.isEmpty else { return "" }
        var html = "<div class=\"banner\" role=\"alert\">\n<p class=\"banner-title\">\(escape(text.bannerTitle))</p>\n<ul>\n"
        for problem in problems.prefix(Self.bannerProblemsListed) {
            let (what, action) = text.problem(problem, freshness: report.freshnessMaxAge)
            html += "<li><b>\(escape(what))</b> \(escape(action))</li>\n"
        }
        if problems.count > Self.bannerProblemsListed {
            html += "<li>\(escape(text.moreProblems(style.integer(problems.count - Self.bannerProblemsListed))))</li>\n"
        }
        return html + "</ul>\n</div>\n"
    }

    /// A right-aligned count cell; `label` names its column where a phone stacks the table.
    func countCell(_ value: Int, label: String? = nil) -> String {
        #"<td class="num"\#(dataLabel(label))>\#(style.integer(value))</td>"#
    }

    /// A right-aligned percentage cell, "–" when the denominator is 0.
    func percentCell(_ value: Fraction, label: String? = nil) -> String {
        #"<td class="num"\#(dataLabel(label))>\#(style.percentOrDash(value))</td>"#
    }

    /// The column's name on a cell, shown before it when a narrow screen stacks the table's rows.
    func dataLabel(_ label: String?) -> String {
        label.map { " data-label=\"\(escape($0))\"" } ?? ""
    }
}
