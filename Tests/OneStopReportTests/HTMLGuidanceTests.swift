import Foundation
import OneStopAggregate
import OneStopEmit
import OneStopModel
import Testing
@testable import OneStopReport

/// What the report tells a reader to do: the banner, "no source", each line's gap and change,
/// the agencies ranked on the province's basis by name, their late dossiers, a bounded page
/// whatever the number of agencies, and a layout for print and phones.
@Suite struct HTMLGuidanceTests {
    func html(_ report: RunReport = sampleReport(), language: ReportLanguage = .vi) -> String {
        HTMLReport(report, options: ReportOptions(monthly: true, language: language, pipelineName: "demo")).render()
    }

    /// The page's part between `start` and the next `end`.
    func part(_ page: String, from start: String, to end: String) throws -> String {
        let from = try #require(page.range(of: start)).upperBound
        return String(page[from...]).components(separatedBy: end)[0]
    }

    /// A complete run: no failed file, every source read and fresh.
    func completeReport() -> RunReport {
        var report = sampleReport()
        report.accounting.files.removeAll { $0.status == .failed }
        report.rules.maxRejectRate = nil
        return report
    }

    func incompleteReport() -> RunReport {
        var report = sampleReport()
        report.sources = [
            SourceReport(name: "dai_tu", level: .district, patterns: ["exports/dai_tu/*.xml"], files: 0, failedFiles: 0,
                         records: 0, newestExportTime: nil, status: .missing),
            SourceReport(name: "tinh", level: .province, patterns: ["exports/tinh/*.xml"], files: 3, failedFiles: 0,
                         records: 20, newestExportTime: "2022-12-01T02:00:00+07:00", status: .stale),
            SourceReport(name: "xa", level: .commune, patterns: ["exports/xa/*.xml"], files: 0, failedFiles: 0,
                         records: 0, newestExportTime: nil, status: .optionalMissing),
        ]
        report.asOf = "2023-01-10T06:00:00+07:00"
        report.freshnessMaxAge = "36h"
        return report
    }

    @Test func bannerSaysWhatIsMissingAndWhatToDo() throws {
        let page = html(incompleteReport())
        let banner = try part(page, from: #"<div class="banner" role="alert">"#, to: "</div>")
        #expect(page.range(of: "class=\"banner\"")!.lowerBound < page.range(of: "<main>")!.lowerBound, "at the top")
        #expect(banner.contains("Số liệu chưa đầy đủ"))
        #expect(banner.contains("1 tệp không đọc được đến hết nên không được tính: huyen/broken.xml."))
        #expect(banner.contains("Nguồn “dai_tu” không có tệp nào (mẫu: exports/dai_tu/*.xml)"))
        #expect(banner.contains("Nguồn “tinh” đã cũ: tệp xuất mới nhất lúc 2022-12-01T02:00:00+07:00, quá 36h tính đến 2023-01-10T06:00:00+07:00."))
        #expect(banner.contains("3 trên 30 bản ghi bị loại, quá ngưỡng maxRejectRate 0.0500."))
        #expect(!banner.contains("xa"), "an optional source without files is no problem")
        #expect(banner.components(separatedBy: "<li>").count - 1 == 4)
        let english = try part(html(incompleteReport(), language: .en), from: #"<div class="banner" role="alert">"#, to: "</div>")
        #expect(english.contains("The figures are incomplete"))
        #expect(english.contains("Source “dai_tu” matched no file (patterns: exports/dai_tu/*.xml)"))
        #expect(english.contains("Export these files again"))
    }

    @Test func noBannerWhenTheRunIsComplete() {
        #expect(!html(completeReport()).contains(#"class="banner""#))
    }

    @Test func bannerListsAFewProblemsAndCountsTheRest() throws {
        var report = completeReport()
        report.sources = (0..<40).map {
            SourceReport(name: "s\($0)", level: .commune, patterns: ["x\($0)/*.xml"], files: 0, failedFiles: 0, records: 0,
                         newestExportTime: nil, status: .missing)
        }
        let banner = try part(html(report), from: #"<div class="banner" role="alert">"#, to: "</div>")
        #expect(banner.components(separatedBy: "<li>").count - 1 == HTMLReport.bannerProblemsListed + 1)
        #expect(banner.contains("… và 28 vấn đề khác: xem summary.json."))
    }

    @Test func aLevelWithoutASourceSaysSoRatherThanZero() throws {
        var report = sampleReport()
        report.aggregation.scorecard.byLevel[2] = LevelScorecard(
            level: .commune, lines: ScorecardMeasure.allCases.map { ScorecardLine(measure: $0, value: Fraction(0, 7), target: Fraction(1, 2)) },
            hasSources: false)
        let table = try part(html(report), from: #"<table class="levels stack">"#, to: "</table>")
        #expect(table.components(separatedBy: #"<td class="num nosource" data-label="Cấp xã">chưa có nguồn</td>"#).count - 1 == 5)
        #expect(!table.contains(">0,00%"), "0 of 7 catalogue procedures is not a result: no source sent any")
    }

    @Test func cardsSayHowFarEachLineIsFromItsTarget() throws {
        // Online share 7/14 against 55 %: ⌈0.55 × 14⌉ − 7 = 1; on time 13/19 against 99.9 %:
        // ⌈18.981⌉ − 13 = 6; coverage 2/3 meets 50 %; postal 0/0 and digitisation (no target) have none.
        let cards = try part(html(), from: #"<div class="kpis">"#, to: "<h3>")
        #expect(cards.contains(#"<div class="kpi-gap">Cần thêm 1 hồ sơ trực tuyến</div>"#))
        #expect(cards.contains(#"<div class="kpi-gap">Cần thêm 6 hồ sơ đúng hạn</div>"#))
        #expect(cards.components(separatedBy: "kpi-gap").count - 1 == 2)
        let english = try part(html(language: .en), from: #"<div class="kpis">"#, to: "<h3>")
        #expect(english.contains(#"<div class="kpi-gap">1 more online dossier</div>"#), "one: singular")
        #expect(english.contains(#"<div class="kpi-gap">6 more dossiers resolved on time</div>"#))
        var postal = sampleReport()
        postal.aggregation.scorecard.province[2] = ScorecardLine(
            measure: .postalProcedureCoverage, value: Fraction(3, 80), target: Fraction(1, 2))
        #expect(html(postal, language: .en).contains("37 more procedures with a postal dossier"), "⌈40⌉ − 3")
    }

    @Test func cardsAndLevelsShowTheChangeAgainstThePeriodBefore() throws {
        #expect(!html().contains(#"class="kpi-change"#) && !html().contains("điểm %"), "nothing without an earlier period")
        var report = sampleReport()
        var earlier = report.aggregation.scorecard
        earlier.province[0].value = Fraction(1, 2)
        earlier.province[3].value = Fraction(15, 19)
        earlier.byLevel[0].lines[0].value = Fraction(1, 4)
        report.comparison = PeriodComparison(
            period: Period(from: LocalDate(year: 2021, month: 1, day: 1)!, to: LocalDate(year: 2021, month: 2, day: 28)!),
            scorecard: earlier)
        let page = html(report)
        // 2/3 − 1/2 = 16.666… points; 13/19 − 15/19 = −10.526… points.
        #expect(page.contains(#"<div class="kpi-change up">+16,67 điểm % so với kỳ 01/01/2021 – 28/02/2021 (50,00%)</div>"#))
        #expect(page.contains(#"<div class="kpi-change down">−10,53 điểm % so với kỳ 01/01/2021 – 28/02/2021 (78,95%)</div>"#))
        #expect(page.contains(#"<div class="kpi-change same">0,00 điểm % so với kỳ 01/01/2021 – 28/02/2021 (50,00%)</div>"#))
        #expect(page.contains(#"<div class="kpi-change same">Kỳ 01/01/2021 – 28/02/2021: –</div>"#), "postal: both empty")
        // The province level's coverage was 1/4, now 1/2.
        #expect(page.contains(#"<span class="change">+25,00 điểm % (kỳ trước 25,00%)</span>"#))
        #expect(html(report, language: .en).contains("+16.67 points against 2021-01-01 – 2021-02-28 (50.00%)"))
    }

    @Test func lateDossiersByAgencyWorstFirstWithTheRestInDossiersCSV() throws {
        let section = try part(html(), from: #"<section id="late-dossiers">"#, to: "</section>")
        #expect(section.contains("<h3>000.00.21.H55</h3>"))
        #expect(section.contains("4 hồ sơ trễ hạn: 3 giải quyết quá hạn, 1 đang quá hạn"))
        let ids = ["H-9", "H-3", "H-7"].compactMap { section.range(of: ">\($0)</span>")?.lowerBound }
        #expect(ids.count == 3 && ids == ids.sorted(), "most days late first, no due date last")
        #expect(section.contains(#"<li class="overdue"><span class="code">H-9</span><span class="when"><b>12 ngày</b> · đang quá hạn</span>"#))
        #expect(section.contains("<b>không rõ hạn</b>"))
        #expect(section.contains("… và 1 hồ sơ trễ hạn khác trong dossiers.csv (chạy với --dossiers)."))
        var written = sampleReport()
        written.dossiers = DossierRows(count: 0) { _ throws(EmitError) in }
        #expect(html(written).contains("… và 1 hồ sơ trễ hạn khác trong dossiers.csv.</p>"))
        #expect(!section.contains("SỞ XÂY DỰNG"), "an agency without late dossiers is not listed")
        #expect(html(language: .en).contains("<b>12 days</b> · overdue"))
    }

    @Test func agenciesAreShownByNameAndCodeWhenTheRegisterNamesThem() throws {
        var report = sampleReport()
        report.agencyNames = ["000.00.21.H55": "UBND huyện Đại Từ", "UBND XÃ TÂN CƯƠNG": "UBND xã Tân Cương"]
        let page = html(report)
        #expect(page.components(separatedBy: "<title>UBND huyện Đại Từ (000.00.21.H55): ").count - 1 == 5)
        #expect(page.contains("<h3>UBND huyện Đại Từ (000.00.21.H55)</h3>"))
        #expect(page.contains("UBND xã Tân Cương (UBND XÃ TÂN CƯƠNG) (n=3)"))
        #expect(page.contains("<title>SỞ XÂY DỰNG: "), "not in the register: its code")
    }

    @Test func agencyChartsRankAgenciesWithEnoughDossiersAndShowEachBarsN() throws {
        let section = try part(html(), from: #"<section id="agencies">"#, to: "</section>")
        #expect(section.contains("ít nhất 10 hồ sơ"), "the ranking's minimum, from the run")
        // SỞ XÂY DỰNG (9/10) above 000.00.21.H55 (5/12) in every chart, with their ranks and n.
        #expect(section.components(separatedBy: #">#1</text>"#).count - 1 == 5)
        #expect(section.components(separatedBy: #">#2</text>"#).count - 1 == 5)
        #expect(section.components(separatedBy: ">n=10</text>").count - 1 == 5)
        #expect(section.components(separatedBy: ">n=12</text>").count - 1 == 5)
        #expect(section.contains("<title>SỞ XÂY DỰNG: #1 · 90,00% (9/10), n=10</title>"))
        #expect(section.components(separatedBy: "Quá ít hồ sơ để xếp hạng (dưới 10): UBND XÃ TÂN CƯƠNG (n=3)").count - 1 == 5)
        for measure in ScorecardMeasure.allCases {
            #expect(section.contains("<b>\(ReportText.vietnamese.measure(measure))</b>"), "a chart per scorecard line")
        }
    }

    @Test func twoHundredThousandAgenciesKeepThePageBounded() throws {
        let count = 200_000
        var report = sampleReport()
        var cards: [AgencyScorecard] = []
        var progress = report.aggregation.progress.filter { $0.dimension != .agency }
        var late: [String: [LateDossier]] = [:]
        var names: [String: String] = [:]
        cards.reserveCapacity(count)
        for index in 0..<count {
            let code = "DV.\(index)"
            let enough = index % 2 == 0
            cards.append(sampleAgencyScorecard(code, dossiers: enough ? 20 : 2, rank: enough ? 1 + index / 2 : nil,
                                               value: Fraction(index % 997, 997)))
            progress.append(ProgressRow(dimension: .agency, key: code,
                                        counters: ProgressCounters(receivedOnline: 2, resolvedLate: 1, inProgressOverdue: 1)))
            late[code] = [LateDossier(source: "s", dossierID: "HS-\(index)", procedure: "1.0", overdue: true, daysLate: index % 50)]
            names[code] = "Ủy ban nhân dân xã số \(index)"
        }
        report.aggregation.agencyScorecards = cards
        report.aggregation.progress = progress
        report.aggregation.lateByAgency = late
        report.agencyNames = names
        let page = html(report)
        #expect(page.utf8.count < 600_000, "the page stays the size of a few hundred agencies, not 200,000")
        #expect(page.components(separatedBy: #"<rect class="bar"#).count - 1 == 5 * 48, "the 24 best and 24 worst per chart")
        #expect(page.components(separatedBy: "… 99.952 cơ quan khác – xem figures.csv …").count - 1 == 5)
        #expect(page.components(separatedBy: "và 99.988 cơ quan khác (xem sheet Agency scorecard hoặc figures.csv)").count - 1 == 5)
        let section = try part(page, from: #"<section id="late-dossiers">"#, to: "</section>")
        #expect(section.components(separatedBy: #"<div class="late-agency">"#).count - 1 == HTMLReport.lateAgenciesListed)
        #expect(section.contains("199.975 cơ quan khác có hồ sơ trễ hạn: xem dossiers.csv"))
    }

    @Test func printsOnA4AndStacksWideTablesOnAPhone() {
        let page = html(incompleteReport())
        let css = ReportStylesheet.css
        #expect(css.contains("@page { size: A4; margin: 12mm; }"))
        #expect(css.contains(".chart-card, .kpi, .banner, tr, .late-list li { break-inside: avoid-page; }"), "a chart stays with its title")
        #expect(css.contains("h2, h3, figcaption, .banner-title, .intro, .late-agency .note { break-after: avoid-page; }"))
        #expect(css.contains(".table-wrap { overflow: visible; }"), "in print, tables wrap instead of scrolling")
        #expect(css.contains("@media (max-width: 640px)") && css.contains("table.stack thead { display: none; }"))
        // Every cell of a table a phone stacks says which column it is.
        for table in page.components(separatedBy: "<table class=\"").dropFirst() where table.hasPrefix("stack") || table.contains(" stack\">") {
            let body = table.components(separatedBy: "</tbody>")[0]
            #expect(body.components(separatedBy: "<td").count == body.components(separatedBy: " data-label=\"").count,
                    "\(body.prefix(80))")
        }
        #expect(page.components(separatedBy: "class=\"stack\"").count + page.components(separatedBy: " stack\"").count - 2 >= 5)
    }
}
