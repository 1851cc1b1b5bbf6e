import Foundation
import OneStopAggregate
import OneStopEmit
import OneStopModel
import Testing
@testable import OneStopReport

@Suite struct HTMLReportTests {
    func html(_ report: RunReport = sampleReport(), monthly: Bool = true, language: ReportLanguage = .vi) -> String {
        HTMLReport(report, options: ReportOptions(monthly: monthly, language: language, pipelineName: "demo")).render()
    }

    @Test func selfContained() {
        let page = html()
        #expect(!page.contains("http://") && !page.contains("https://"), "no resource from the network, not even an SVG namespace")
        #expect(!page.lowercased().contains("<script"), "no script at all")
        #expect(!page.contains(" src=") && !page.contains("<link") && !page.contains("url("), "no external or embedded resource reference")
        #expect(!page.contains("@import") && !page.contains("@font-face"))
        #expect(page.contains(#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">"#),
                "the browser refuses any load, which the report check would see as a console error")
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"vi\">"))
        #expect(page.contains(#"<meta charset="utf-8">"#))
    }

    @Test func everyAgencyInEveryChart() {
        let page = html()
        // Ranked agencies have a bar in each of the 5 charts (one per scorecard line); the agency
        // with too few dossiers is named under each of them instead.
        for agency in ["000.00.21.H55", "SỞ XÂY DỰNG"] {
            #expect(page.components(separatedBy: "<title>\(agency): ").count - 1 == 5, "\(agency) has a bar in each of the 5 charts")
        }
        #expect(page.components(separatedBy: "UBND XÃ TÂN CƯƠNG (n=3)").count - 1 == 5)
        #expect(!page.contains("<title>UBND XÃ TÂN CƯƠNG"), "too few dossiers: no bar, no rank")
    }

    @Test func vietnameseStaysComposed() {
        let page = html()
        #expect(containsBytes(page, "Cấp giấy phép xây dựng"))
        #expect(containsBytes(page, "Đăng ký &lt;kết hôn&gt; &amp; &quot;ly hôn&quot;, lần 2"), "escaped, never raw")
        #expect(!page.contains("<kết hôn>"))
        #expect(containsBytes(page, "Kết quả so với chỉ tiêu kế hoạch"))
        #expect(containsBytes(page, "Tỷ lệ hồ sơ giải quyết đúng hạn"))
    }

    @Test func targetLinesWhereATargetApplies() {
        let page = html()
        // Every line but digitisation has a target in the sample: 4 of the 5 agency charts.
        #expect(page.components(separatedBy: #"<line class="target""#).count - 1 == 4)
        #expect(page.contains("Mục tiêu 55,00%") && page.contains("Mục tiêu 99,90%"))
    }

    @Test func scorecardShowsEachValueAgainstItsTarget() {
        let page = html()
        #expect(page.components(separatedBy: #"<div class="kpi "#).count - 1 == 5)
        #expect(page.contains(#"<div class="kpi met">"#) && page.contains(#"<div class="kpi notmet">"#)
            && page.contains(#"<div class="kpi nodata">"#))
        #expect(page.contains("66,67%") && page.contains("Mục tiêu ≥ 50,00%"))
        #expect(page.contains("<span>2 / 3</span>"))
        #expect(page.contains(#"<span class="mark" style="left:99.9%"></span>"#), "the target is marked on the meter")
        #expect(page.contains("Không đặt mục tiêu"), "a line without a target says so")
    }

    @Test func monthlyTrendOnlyWhenAsked() {
        let with = html(monthly: true)
        #expect(with.contains(#"<section id="monthly">"#))
        #expect(with.contains(#"<svg class="chart trend-chart""#))
        #expect(with.contains("12/2021"), "months before the period are in the table")
        #expect(with.components(separatedBy: "<circle").count - 1 == 8, "4 series × 2 months of the period, 2021-12 not drawn")
        let without = html(monthly: false)
        #expect(!without.contains(#"id="monthly""#) && !without.contains(#"<svg class="chart trend-chart""#))
    }

    @Test func lateProceduresMostFirst() throws {
        let page = html()
        let section = try #require(page.components(separatedBy: #"<section id="late">"#).last)
        let weak = try #require(section.range(of: "1.004227"))
        let other = try #require(section.range(of: "2.000488"))
        #expect(weak.lowerBound < other.lowerBound, "3 late before 1 late")
    }

    @Test func rejectsByReasonAndAccounting() {
        let page = html()
        #expect(page.contains("Ngày tháng không đọc được"))
        #expect(page.contains("“13/13/2022, &quot;x&quot;”"), "the offending value, escaped")
        #expect(page.contains("Mã không có trong bảng mã của định dạng"))
        #expect(page.contains("huyen/broken.xml:98"), "a failed file is named with its line")
        #expect(page.contains("XML error: unclosed token"))
        #expect(page.contains("Cân đối"), "records read = rejected + superseded + not accepted + kept holds")
        #expect(page.contains("2,3 MB"))
    }

    @Test func englishLabels() {
        let page = html(language: .en)
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(page.contains("Scorecard against the plan's targets") || page.contains("Scorecard against the plan&#39;s targets"))
        #expect(page.contains("Target 55.00%"))
        #expect(!containsBytes(page, "Kết quả so với"), "one language for the labels")
        #expect(containsBytes(page, "Cấp giấy phép xây dựng"), "the data stays as it is")
    }

    @Test func sameReportSameBytes() {
        #expect(html() == html())
    }

    @Test func emptyRunRenders() {
        var report = sampleReport()
        report.aggregation = Aggregation()
        report.rejects = []
        report.accounting = RunAccounting()
        report.warnings = RunWarnings()
        let page = html(report)
        #expect(page.contains("Không có bản ghi nào bị loại."))
        #expect(page.contains("Không có hồ sơ quá hạn."))
        #expect(page.contains("Không có cảnh báo."))
        #expect(page.hasSuffix("</html>\n"))
    }

    @Test func reportFilesGoBeforeSummary() throws {
        let files = try OutputRenderers.render(
            sampleReport(), options: RenderOptions(
                output: OutputOptions(monthly: true), report: ReportOptions(workbook: true, monthly: true)))
        #expect(files.map(\.name) == ["progress.csv", "procedures.csv", "agencies.csv", "agency_scorecard.csv", "monthly.csv", "figures.csv",
                                      "rejects.csv", "onestop.xlsx", "report.html", "summary.json"])
        let without = try OutputRenderers.render(sampleReport(), options: RenderOptions())
        #expect(without.map(\.name) == ["progress.csv", "procedures.csv", "agencies.csv", "agency_scorecard.csv", "figures.csv", "rejects.csv",
                                        "report.html", "summary.json"])
        #expect(Set(files.map(\.name)).isSubset(of: OutputDocument.fileNames), "the publisher knows every file it may remove")
    }
}
