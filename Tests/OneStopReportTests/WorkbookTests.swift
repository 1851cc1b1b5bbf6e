import Foundation
import OneStopEmit
import Testing
import ZIPFoundation
@testable import OneStopReport

/// The workbook's package, read with ZIPFoundation's reader: its parts, fixed timestamps,
/// determinism, and the SpreadsheetML that makes the header bold, frozen and filtered.
@Suite struct WorkbookTests {
    static func entries(_ bytes: [UInt8]) throws -> [String: (date: Date, text: String)] {
        let archive = try Archive(data: Data(bytes), accessMode: .read)
        var entries: [String: (date: Date, text: String)] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            entries[entry.path] = (entry.fileAttributes[.modificationDate] as? Date ?? .distantPast, String(decoding: data, as: UTF8.self))
        }
        return entries
    }

    func xlsx(monthly: Bool = true, language: ReportLanguage = .vi) throws -> [UInt8] {
        let file = try OutputRenderers.render(
            .workbook, sampleReport(), options: RenderOptions(report: ReportOptions(workbook: true, monthly: monthly, language: language)))
        return try #require(file).contents
    }

    /// The sheets of the sample, in order (Monthly asked, no dossier rows).
    static let sheetNames = ["Scorecard", "Agency scorecard", "Progress", "Procedures", "Agencies", "Monthly", "Rejects", "Figures"]

    @Test func packageHoldsEveryPartWithAFixedTimestamp() throws {
        let entries = try Self.entries(try xlsx())
        let sheets = (1...8).map { "xl/worksheets/sheet\($0).xml" }
        #expect(Set(entries.keys) == Set([
            "[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml", "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/_rels/sheet8.xml.rels", "xl/tables/table1.xml",
        ] + sheets))
        for (path, entry) in entries {
            let time = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute, .second], from: entry.date)
            #expect([time.year, time.month, time.day, time.hour, time.minute, time.second] == [1980, 1, 1, 0, 0, 0],
                    "\(path) has the fixed time 1980-01-01 00:00, not the time of the run")
        }
        let workbook = try #require(entries["xl/workbook.xml"]).text
        for (index, name) in Self.sheetNames.enumerated() {
            #expect(workbook.contains(#"<sheet name="\#(name)" sheetId="\#(index + 1)""#))
        }
    }

    @Test func monthlySheetOnlyWhenAsked() throws {
        let entries = try Self.entries(try xlsx(monthly: false))
        let workbook = try #require(entries["xl/workbook.xml"]).text
        #expect(!workbook.contains("Monthly"))
        #expect(entries["xl/worksheets/sheet7.xml"] != nil && entries["xl/worksheets/sheet8.xml"] == nil)
    }

    @Test func sameReportGivesSameBytes() throws {
        #expect(try xlsx() == (try xlsx()))
        #expect(try xlsx(language: .en) != (try xlsx(language: .vi)), "the Scorecard sheet's labels follow the language")
    }

    @Test func headerIsBoldFrozenAndFiltered() throws {
        let entries = try Self.entries(try xlsx())
        let progress = try #require(entries["xl/worksheets/sheet3.xml"]).text
        #expect(progress.contains(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#))
        #expect(progress.contains(#"<autoFilter ref="A1:V9"/>"#), "2 key columns + 20 figures, header + 8 rows")
        #expect(progress.contains(#"<c r="A1" s="\#(CellStyle.header.rawValue)" t="inlineStr"><is><t>dimension</t></is></c>"#))
        let styles = try #require(entries["xl/styles.xml"]).text
        // cellXfs[1] (header) uses font 1, which is bold; cellXfs[3] (percent) uses number format 10, "0.00%".
        #expect(styles.contains(#"<font><b/><sz val="11"/><name val="Calibri"/>"#))
        #expect(styles.contains(#"<xf numFmtId="0" fontId="1" fillId="2" borderId="1""#))
        #expect(styles.contains(#"<xf numFmtId="10" fontId="0""#))
        #expect(styles.contains(#"<xf numFmtId="3" fontId="0""#))
    }

    @Test func cellsAreTyped() throws {
        let entries = try Self.entries(try xlsx())
        let progress = try #require(entries["xl/worksheets/sheet3.xml"]).text
        // Row 2 is province ALL: received_online (C) is a count, online_share (S) a ratio; the
        // field row (5) has an empty key (B5): no cell at all.
        #expect(progress.contains(#"<c r="C2" s="\#(CellStyle.integer.rawValue)"><v>7</v></c>"#))
        #expect(progress.contains(#"<c r="S2" s="\#(CellStyle.percent.rawValue)"><v>0.5000</v></c>"#))
        #expect(!progress.contains(#"<c r="B5""#))
        let rejects = try #require(entries["xl/worksheets/sheet7.xml"]).text
        #expect(rejects.contains(#"<c r="B2" s="\#(CellStyle.number.rawValue)"><v>40</v></c>"#), "a line number, no thousands separator")
        let scorecard = try #require(entries["xl/worksheets/sheet1.xml"]).text
        // Province-wide postal coverage has denominator 0: no value cell (D4), but its target (G4).
        #expect(!scorecard.contains(#"<c r="D4""#))
        #expect(scorecard.contains(#"<c r="G4" s="\#(CellStyle.percent.rawValue)"><v>0.5</v></c>"#))
        #expect(scorecard.contains(#"<c r="G5" s="\#(CellStyle.percent.rawValue)"><v>0.999</v></c>"#))
        #expect(scorecard.contains(#"<c r="H2" s="\#(CellStyle.met.rawValue)""#))
        #expect(scorecard.contains(#"<c r="H3" s="\#(CellStyle.notMet.rawValue)""#))
    }

    @Test func textIsEscapedAndStaysComposed() throws {
        let procedures = try #require(try Self.entries(try xlsx())["xl/worksheets/sheet4.xml"]).text
        #expect(containsBytes(procedures, "<t>Đăng ký &lt;kết hôn&gt; &amp; &quot;ly hôn&quot;, lần 2</t>"))
        #expect(containsBytes(procedures, "<t>Cấp giấy phép xây dựng</t>"), "composed (NFC) UTF-8, as the CSVs have it")
        #expect(!containsBytes(procedures, "Ca\u{0302}\u{0301}p"), "never decomposed")
    }

    @Test func columnLettersAndWidths() {
        #expect([1, 2, 26, 27, 52, 53, 702, 703].map(Workbook.column) == ["A", "B", "Z", "AA", "AZ", "BA", "ZZ", "AAA"])
        let sheet = Worksheet(
            name: "T", header: ["a", "procedure_name"],
            rows: [[.integer(1_234_567), .text(String(repeating: "x", count: 200))], [.percent(decimal: "0.5"), .empty]])
        #expect(Workbook.columnWidths(sheet) == [11, 60], "\"1,234,567\" is 9 wide + 2; a long text stops at 60")
    }

    @Test func exactTargets() {
        #expect(Workbook.exactDecimal(.init(999, 1000)) == "0.999")
        #expect(Workbook.exactDecimal(.init(1, 1)) == "1")
        #expect(Workbook.exactDecimal(.init(55, 100)) == "0.55")
        #expect(Workbook.exactDecimal(.init(1, 3)) == "0.333333333333")
    }

    @Test func demoRunIsByteIdenticalForAnyJobs() throws {
        let one = try runDemo(xlsx: true, jobs: 1)
        let two = try runDemo(xlsx: true, jobs: 2)
        defer {
            try? FileManager.default.removeItem(atPath: one)
            try? FileManager.default.removeItem(atPath: two)
        }
        for name in ["onestop.xlsx", "report.html"] {
            #expect(try bytes("\(one)/\(name)") == (try bytes("\(two)/\(name)")), "\(name) does not depend on --jobs")
        }
    }
}

/// Text cells are inline strings: each cell holds its text, so nothing grows with the data.
@Suite struct InlineStringTests {
    @Test func textTooLongForExcelIsCut() {
        let xml = Workbook.inlineString(String(repeating: "ệ", count: 40_000))
        #expect(xml.utf8.count < 32_767 * 3 + 200)
        #expect(xml.unicodeScalars.filter { $0 == "ệ" }.count == 32_766, "one unit left for the ellipsis")
        #expect(xml.hasSuffix("…</t></is>"))
        let exact = String(repeating: "a", count: 32_767)
        #expect(Workbook.inlineString(exact) == "<is><t>\(exact)</t></is>", "Excel's limit itself fits")
    }

    @Test func whiteSpaceAtEitherEndIsKept() {
        #expect(Workbook.inlineString(" x") == #"<is><t xml:space="preserve"> x</t></is>"#)
        #expect(Workbook.inlineString("x\u{A0}") == "<is><t xml:space=\"preserve\">x\u{A0}</t></is>")
        #expect(Workbook.inlineString("a b") == "<is><t>a b</t></is>")
    }

    @Test func spreadsheetEscapesAreEscapedAndControlsWrittenAsExcelDoes() {
        #expect(Workbook.cellText("_x003D_1+2") == "_x005F_x003D_1+2", "Excel would read _x003D_ as '='")
        #expect(Workbook.cellText("a_x00_b_xZZZZ_c_") == "a_x00_b_xZZZZ_c_", "not an escape: unchanged")
        #expect(Workbook.cellText("\r=1") == "_x000D_=1", "XML would turn a carriage return into a line feed")
        #expect(Workbook.cellText("a\u{1B}[2Kb\u{7}") == "a_x001B_[2Kb_x0007_")
        #expect(Workbook.cellText("tab\tand\nline") == "tab\tand\nline")
        #expect(Workbook.cellText("=HYPERLINK(\"x\")") == "=HYPERLINK(\"x\")", "a string cell is never run: no apostrophe")
        #expect(Workbook.inlineString("\t=1") == "<is><t xml:space=\"preserve\">\t=1</t></is>")
        #expect(Workbook.inlineString("_x003D_") == "<is><t>_x005F_x003D_</t></is>")
        #expect(Workbook.inlineString("online_share") == "<is><t>online_share</t></is>", "an underscore alone is plain")
        #expect(Workbook.inlineString("a_x1234_") == "<is><t>a_x005F_x1234_</t></is>", "even after other text")
        #expect(Workbook.inlineString("a<b&\"c'") == "<is><t>a&lt;b&amp;&quot;c&#39;</t></is>")
        #expect(Workbook.inlineString("x\u{FFFE}y") == "<is><t>xy</t></is>", "XML forbids U+FFFE")
        #expect(Workbook.inlineString("Đăng ký") == "<is><t>Đăng ký</t></is>")
    }
}
