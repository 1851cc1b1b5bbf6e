import Foundation
import OneStopAggregate
import OneStopEmit
import OneStopModel
import Testing
@testable import OneStopReport

/// The sheets the workbook gained for people who act on the figures: Figures as an Excel Table,
/// Agency scorecard, Dossiers, the period and comparison on the Scorecard sheet, the catalogue's
/// level and field on Procedures, print setup, and the row limit.
@Suite struct WorkbookSheetsTests {
    /// Every part of the workbook of `report`, by path.
    func parts(_ report: RunReport, monthly: Bool = false, language: ReportLanguage = .vi, maximumRows: Int? = nil)
        throws -> [String: String]
    {
        let options = ReportOptions(workbook: true, monthly: monthly, language: language)
        var workbook = Workbook.onestop(report, options: options)
        if let maximumRows { workbook = Workbook.onestop(report, options: options, maximumRows: maximumRows) }
        return try WorkbookTests.entries(try workbook.xlsx()).mapValues(\.text)
    }

    /// A sheet's XML by the sheet's name, through `xl/workbook.xml` (sheet N is `sheetN.xml`).
    func sheet(_ name: String, in parts: [String: String]) throws -> String {
        let workbook = try #require(parts["xl/workbook.xml"])
        let marker = #"<sheet name="\#(name)" sheetId=""#
        let start = try #require(workbook.range(of: marker)).upperBound
        let number = workbook[start...].prefix { $0.isNumber }
        return try #require(parts["xl/worksheets/sheet\(number).xml"])
    }

    /// The texts of the inline string cells of a row, by column reference.
    func texts(row: Int, in xml: String) -> [String: String] {
        var cells: [String: String] = [:]
        for piece in xml.components(separatedBy: "<c r=\"").dropFirst() {
            let reference = String(piece.prefix { $0 != "\"" })
            guard Int(reference.drop { $0.isLetter }) == row, let open = piece.range(of: "<t"),
                  let start = piece[open.upperBound...].firstIndex(of: ">"), let end = piece.range(of: "</t>")
            else { continue }
            cells[reference] = String(piece[piece.index(after: start)..<end.lowerBound])
        }
        return cells
    }

    @Test func figuresSheetIsAnExcelTableOverEveryFigure() throws {
        let report = sampleReport()
        let parts = try parts(report)
        let figures = FiguresTable.rows(of: report)
        #expect(Workbook.figureCount(report) == figures.count, "the row count the table's range is built from")
        let table = try #require(parts["xl/tables/table1.xml"])
        let last = "K\(figures.count + 1)"
        #expect(table.contains(#"name="Figures" displayName="Figures" ref="A1:\#(last)""#))
        #expect(table.contains(#"<autoFilter ref="A1:\#(last)"/>"#))
        let columns = FiguresTable.columns.enumerated().map { #"<tableColumn id="\#($0.offset + 1)" name="\#($0.element)"/>"# }
        #expect(table.contains(#"<tableColumns count="11">"# + columns.joined() + "</tableColumns>"))
        let sheet = try sheet("Figures", in: parts)
        #expect(sheet.hasSuffix(#"<tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>"#))
        #expect(!sheet.contains("<autoFilter"), "a table keeps its own filter; a second one would be a damaged file")
        // Without Monthly, Figures is the 7th sheet.
        #expect(parts["xl/worksheets/_rels/sheet7.xml.rels"]?.contains(#"Target="../tables/table1.xml""#) == true)
        #expect(parts["[Content_Types].xml"]?.contains(#"<Override PartName="/xl/tables/table1.xml""#) == true)
        #expect(!(parts["xl/workbook.xml"] ?? "").contains(#"_FilterDatabase" localSheetId="6""#))
        // The header is the table's column names; row 2 is the first figure.
        let header = texts(row: 1, in: sheet)
        #expect(FiguresTable.columns.enumerated().allSatisfy { header["\(Workbook.column($0.offset + 1))1"] == $0.element })
        let first = try #require(figures.first)
        #expect(texts(row: 2, in: sheet)["F2"] == first.measure)
        #expect(sheet.contains(#"<c r="G2" s="\#(CellStyle.integer.rawValue)"><v>\#(first.numerator)</v></c>"#))
    }

    @Test func everySheetPrintsOnA4FittedToWidthWithItsHeaderOnEveryPage() throws {
        let parts = try parts(sampleReport(), monthly: true)
        let workbook = try #require(parts["xl/workbook.xml"])
        for (index, name) in WorkbookTests.sheetNames.enumerated() {
            let xml = try sheet(name, in: parts)
            #expect(xml.contains(#"<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>"#), "\(name)")
            #expect(xml.contains(#"<pageSetup paperSize="9" orientation=""#), "\(name): A4")
            #expect(xml.contains(#"fitToWidth="1" fitToHeight="0"/>"#), "\(name): one page wide, as many long as needed")
            let quoted = "'" + name + "'"
            #expect(workbook.contains(#"<definedName name="_xlnm.Print_Titles" localSheetId="\#(index)">\#(Markup.escape(quoted))!$1:$1</definedName>"#),
                    "\(name): the header row is printed on every page")
        }
    }

    @Test func aSheetStopsAtTheRowLimitWithANoteNamingItsCSV() throws {
        // With room for 4 rows (the header and 3), Progress (8 rows) and Figures are cut.
        let report = sampleReport()
        let parts = try parts(report, maximumRows: 4)
        let progress = try sheet("Progress", in: parts)
        #expect(progress.contains(#"<autoFilter ref="A1:V4"/>"#))
        #expect(progress.contains(#"<row r="4">"#) && !progress.contains(#"<row r="5">"#))
        let note = try #require(texts(row: 1, in: progress)["W1"], "the note beside the header, right of the last column")
        #expect(note == "Sheet này chỉ chứa 3 trên 8 dòng (giới hạn số dòng của Excel); đủ cả trong progress.csv.")
        #expect(progress.contains(#"<c r="W1" s="\#(CellStyle.note.rawValue)""#))
        let figures = try sheet("Figures", in: parts)
        #expect(texts(row: 1, in: figures)["L1"]?.hasSuffix("figures.csv.") == true)
        #expect(parts["xl/tables/table1.xml"]?.contains(#"ref="A1:K4""#) == true)
        let rejects = try sheet("Rejects", in: parts)
        #expect(texts(row: 1, in: rejects)["F1"] == nil, "3 rejects fit: no note")
        let english = try self.parts(report, language: .en, maximumRows: 4)
        #expect(texts(row: 1, in: try sheet("Progress", in: english))["W1"]
            == "This sheet holds the first 3 of 8 rows (Excel&#39;s row limit); all of them are in progress.csv.")
    }

    @Test func dossiersSheetOnlyWithDossierRows() throws {
        #expect(!(try parts(sampleReport())["xl/workbook.xml"] ?? "").contains("Dossiers"))
        var report = sampleReport()
        let rows = [
            ["tinh", "T-1", "SỞ XÂY DỰNG", "province", "1.004227", "XD", "online", "postal", "returned",
             "2022-01-03T08:00:00+07:00", "2022-01-10T17:00:00+07:00", "2022-01-10T17:00:00+07:00",
             "2022-01-12T09:00:00+07:00", "2", "1", "1", "period", "resolved_late", "2"],
            ["tinh", "=T-2", "SỞ XÂY DỰNG", "province", "1.004227", "", "in_person", "unknown", "processing",
             "2022-01-03T08:00:00+07:00", "", "", "", "0", "0", "0", "", "out_of_scope", ""],
        ]
        report.dossiers = DossierRows(count: rows.count) { visit throws(EmitError) in
            for row in rows { try visit(row) }
        }
        let parts = try parts(report)
        let dossiers = try sheet("Dossiers", in: parts)
        #expect(texts(row: 1, in: dossiers).count == DossierRows.columns.count)
        #expect(texts(row: 2, in: dossiers)["B2"] == "T-1")
        #expect(dossiers.contains(#"<c r="N2" s="\#(CellStyle.integer.rawValue)"><v>2</v></c>"#), "supplement requests: a count")
        #expect(dossiers.contains(#"<c r="S2" s="\#(CellStyle.integer.rawValue)"><v>2</v></c>"#), "days late: a count")
        #expect(texts(row: 3, in: dossiers)["B3"] == "=T-2", "a plain string cell, never a formula")
        #expect(!dossiers.contains(#"<c r="S3""#), "no days late: no cell")
        #expect(dossiers.contains(#"<autoFilter ref="A1:S3"/>"#))
    }

    @Test func agencyScorecardSheetRanksAgenciesWithEnoughDossiers() throws {
        var report = sampleReport()
        report.agencyNames = ["SỞ XÂY DỰNG": "Sở Xây dựng tỉnh Thái Nguyên"]
        let xml = try sheet("Agency scorecard", in: try parts(report))
        let header = texts(row: 1, in: xml)
        #expect(header["A1"] == "Mã cơ quan" && header["B1"] == "Tên cơ quan" && header["H1"] == "Số hồ sơ (n)"
            && header["I1"] == "Hạng" && header["L1"] == "Còn thiếu để đạt" && header["M1"] == "Ghi chú")
        #expect(xml.contains(#"<autoFilter ref="A1:M16"/>"#), "3 agencies × 5 lines")
        // Rows 7–11: SỞ XÂY DỰNG (9/10 on every line, rank 1); on-time (row 10) misses 99.9 %:
        // ⌈0.999 × 10⌉ − 9 = 1 more.
        #expect(texts(row: 7, in: xml)["B7"] == "Sở Xây dựng tỉnh Thái Nguyên")
        #expect(xml.contains(#"<c r="I7" s="\#(CellStyle.integer.rawValue)"><v>1</v></c>"#))
        #expect(xml.contains(#"<c r="L10" s="\#(CellStyle.integer.rawValue)"><v>1</v></c>"#))
        #expect(texts(row: 2, in: xml)["B2"] == nil, "an agency the register does not name: an empty name")
        // Rows 12–16: UBND XÃ TÂN CƯƠNG rests on 3 dossiers: not ranked, said so.
        #expect(!xml.contains(#"<c r="I12""#))
        #expect(texts(row: 12, in: xml)["M12"] == "Quá ít hồ sơ để xếp hạng")
        #expect(xml.contains(#"<c r="H12" s="\#(CellStyle.integer.rawValue)"><v>3</v></c>"#))
    }

    @Test func scorecardSheetHasThePeriodTheGapAndNoSource() throws {
        var report = sampleReport()
        report.aggregation.scorecard.byLevel[2].hasSources = false
        let xml = try sheet("Scorecard", in: try parts(report))
        let header = texts(row: 1, in: xml)
        #expect(header["I1"] == "Còn thiếu để đạt" && header["J1"] == "Từ ngày" && header["K1"] == "Đến ngày")
        #expect(header["L1"] == nil, "no comparison columns without an earlier period")
        #expect(texts(row: 2, in: xml)["J2"] == "2022-01-01" && texts(row: 2, in: xml)["K2"] == "2022-02-28")
        // Online share 7/14 against 55 %: ⌈0.55 × 14⌉ − 7 = 1; on-time 13/19 against 99.9 %: 19 − 13 = 6.
        #expect(xml.contains(#"<c r="I3" s="\#(CellStyle.integer.rawValue)"><v>1</v></c>"#))
        #expect(xml.contains(#"<c r="I5" s="\#(CellStyle.integer.rawValue)"><v>6</v></c>"#))
        #expect(!xml.contains(#"<c r="I4""#), "postal coverage 0/0: no gap")
        // Rows 17–21: the commune level, which has no source.
        #expect((17...21).allSatisfy { texts(row: $0, in: xml)["H\($0)"] == "Chưa có nguồn" })
    }

    @Test func scorecardSheetComparesWithTheEarlierPeriod() throws {
        var report = sampleReport()
        var earlier = report.aggregation.scorecard
        earlier.province[0].value = Fraction(1, 2)  // 2/3 now: +16.67 points
        earlier.province[3].value = Fraction(15, 19)  // 13/19 now: −10.53 points
        report.comparison = PeriodComparison(
            period: Period(from: LocalDate(year: 2021, month: 1, day: 1)!, to: LocalDate(year: 2021, month: 2, day: 28)!),
            scorecard: earlier)
        let xml = try sheet("Scorecard", in: try parts(report, language: .en))
        let header = texts(row: 1, in: xml)
        #expect(header["L1"] == "Compared with" && header["M1"] == "Previous value" && header["N1"] == "Change (percentage points)")
        #expect(texts(row: 2, in: xml)["L2"] == "2021-01-01 – 2021-02-28")
        #expect(xml.contains(#"<c r="M2" s="\#(CellStyle.percent.rawValue)"><v>0.5000</v></c>"#))
        #expect(xml.contains(#"<c r="N2" s="\#(CellStyle.change.rawValue)"><v>16.67</v></c>"#))
        #expect(xml.contains(#"<c r="N5" s="\#(CellStyle.change.rawValue)"><v>-10.53</v></c>"#))
        #expect(!xml.contains(#"<c r="N4""#), "postal coverage 0/0: no change")
        let styles = try #require(try parts(report)["xl/styles.xml"])
        #expect(styles.contains(#"<numFmt numFmtId="164" formatCode="+0.00;-0.00;0.00"/>"#))
    }

    @Test func proceduresSheetAddsTheCatalogueLevelAndField() throws {
        var report = sampleReport()
        report.catalogue = Catalogue(entries: [
            CatalogueEntry(code: "1.004227", name: "Cấp giấy phép xây dựng", field: "Xây dựng", level: .district,
                           online: .full, postal: true),
        ])
        let xml = try sheet("Procedures", in: try parts(report))
        let header = texts(row: 1, in: xml)
        #expect(["A1": "agency", "B1": "procedure", "C1": "procedure_name", "D1": "level", "E1": "field", "F1": "received_online"]
            .allSatisfy { header[$0.key] == $0.value })
        #expect(texts(row: 2, in: xml)["D2"] == "district" && texts(row: 2, in: xml)["E2"] == "Xây dựng")
        #expect(texts(row: 3, in: xml)["D3"] == nil, "a procedure the catalogue does not know: empty")
    }

    @Test func theWorkbookIsWrittenWhileTheRowsAreProduced() throws {
        // 60,000 dossier rows: compressed bytes must reach the output file before the last row is
        // produced, which an archive built whole in memory would not do.
        nonisolated(unsafe) let writer = OutputWriter()
        nonisolated(unsafe) var writtenBeforeLastRow = 0
        var report = sampleReport()
        let count = 60_000
        report.dossiers = DossierRows(count: count) { visit throws(EmitError) in
            for index in 0..<count {
                if index == count - 1 { writtenBeforeLastRow = writer.bytes.count }
                try visit(["tinh", "ID-\(index)", "A\(index % 97)", "province", "1.0", "", "online", "postal", "returned",
                           "2022-01-03T08:00:00+07:00", "", "", "", "0", "1", "1", "period", "resolved_early", ""])
            }
        }
        try Workbook.file(report, options: ReportOptions(workbook: true)).write(to: writer)
        #expect(writtenBeforeLastRow > 100_000, "most of the Dossiers sheet was out before its last row")
        #expect(writer.bytes.count > writtenBeforeLastRow)
    }
}
