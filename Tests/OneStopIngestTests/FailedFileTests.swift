import Foundation
import OneStopIngest
import OneStopModel
import Testing

@Suite("Files that fail (docs/contract.md §6, R8)")
struct FailedFileTests {
    @Test func emptyFileFails() {
        let dir = TempDir()
        let outcome = readAll(dir.write("empty.xml", [UInt8]()))
        #expect(outcome.error == .empty)
        #expect(outcome.error?.message == "empty file (0 bytes)")
        #expect(outcome.error?.line == nil)
    }

    @Test func missingFileCannotBeOpened() {
        let outcome = readAll("/nonexistent/onestop/file.xml")
        guard case .cannotOpen(let reason)? = outcome.error else {
            Issue.record("expected cannotOpen, got \(String(describing: outcome.error))")
            return
        }
        #expect(reason.contains("No such file"))
    }

    @Test func aDirectoryCannotBeRead() {
        let dir = TempDir()
        let outcome = readAll(dir.url.path)
        guard case .readFailed? = outcome.error else {
            Issue.record("expected readFailed, got \(String(describing: outcome.error))")
            return
        }
    }

    @Test func fileCutMidRecordFailsWithLineAndColumn() throws {
        let dir = TempDir()
        let full = dvcqgDocument(dvcqgRecord(id: "A") + dvcqgRecord(id: "B"))
        let cut = String(full.prefix(while: { $0 != "B" }))  // ends inside B's <MaHoSo>
        let outcome = readAll(dir.write("cut.xml", cut))
        guard case .notWellFormed(let message, let line, let column)? = outcome.error else {
            Issue.record("expected notWellFormed, got \(String(describing: outcome.error))")
            return
        }
        #expect(message == "Premature end of data in tag MaHoSo: the file ends with 3 elements open")
        let lastLine = cut.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(line == lastLine)
        #expect(column != nil)
        // The complete record before the cut was delivered; the caller drops it (R8).
        #expect(outcome.records.map { $0[.dossierID] } == ["A"])
        #expect(outcome.summary == nil)
        #expect(outcome.error?.message
            == "not well-formed XML: Premature end of data in tag MaHoSo: the file ends with 3 elements open (line \(lastLine), column \(column ?? 0))")
    }

    @Test func mismatchedTagFailsAtItsLine() {
        let dir = TempDir()
        let xml = """
            <DanhSachHoSo>
              <HoSo>
                <MaHoSo>A</MaHoSo>
                <NgayTyTra>20220516090000</NgayTra>
              </HoSo>
            </DanhSachHoSo>
            """
        let outcome = readAll(dir.write("bad.xml", xml))
        guard case .notWellFormed(let message, let line, _)? = outcome.error else {
            Issue.record("expected notWellFormed, got \(String(describing: outcome.error))")
            return
        }
        #expect(message.contains("mismatch"))
        #expect(line == 4)
        #expect(outcome.error?.line == 4)
    }

    @Test func noRootElementFails() {
        let dir = TempDir()
        for text in ["<?xml version=\"1.0\"?>\n", "   \n\n", "<!-- only a comment -->"] {
            let outcome = readAll(dir.write("noroot.xml", text))
            guard case .notWellFormed(let message, _, _)? = outcome.error else {
                Issue.record("expected notWellFormed for \(text.debugDescription), got \(String(describing: outcome.error))")
                continue
            }
            #expect(message == "no root element (the document is empty)")
        }
        let text = readAll(dir.write("text.xml", "just text"))
        guard case .notWellFormed(let message, let line, let column)? = text.error else {
            Issue.record("expected notWellFormed, got \(String(describing: text.error))")
            return
        }
        #expect(message == "Document is empty")
        #expect(line == 1)
        #expect(column == 1)
    }

    @Test func contentAfterTheRootFails() {
        let dir = TempDir()
        let xml = "<DanhSachHoSo><HoSo><MaHoSo>A</MaHoSo></HoSo></DanhSachHoSo>\n<DanhSachHoSo/>\n"
        let outcome = readAll(dir.write("two.xml", xml))
        guard case .notWellFormed(let message, let line, _)? = outcome.error else {
            Issue.record("expected notWellFormed, got \(String(describing: outcome.error))")
            return
        }
        #expect(message.contains("Extra content"))
        #expect(line == 2)
    }

    @Test func undeclaredEntityReferenceFails() {
        let dir = TempDir()
        let xml = dvcqgDocument("<HoSo><MaHoSo>&nbsp;</MaHoSo></HoSo>\n")
        let outcome = readAll(dir.write("ent.xml", xml))
        guard case .notWellFormed(let message, _, _)? = outcome.error else {
            Issue.record("expected notWellFormed, got \(String(describing: outcome.error))")
            return
        }
        #expect(message.contains("nbsp"))
    }

    @Test func invalidUTF8Fails() {
        let dir = TempDir()
        var bytes = Array(dvcqgDocument(dvcqgRecord(id: "A")).utf8)
        let position = bytes.firstIndex(of: UInt8(ascii: "Z")) ?? bytes.count / 2
        bytes.insert(contentsOf: [0xC3, 0x28], at: position)
        let outcome = readAll(dir.write("utf8.xml", bytes))
        guard case .notWellFormed? = outcome.error else {
            Issue.record("expected notWellFormed, got \(String(describing: outcome.error))")
            return
        }
    }

    @Test func wrongRootFails() {
        let dir = TempDir()
        let xml = """
            <?xml version="1.0"?>
            <BaoCao>
              <DuLieu><hoSo ma="1"/></DuLieu>
            </BaoCao>
            """
        let outcome = readAll(dir.write("igate.xml", xml), dialect: Dialects.dvcqg)
        #expect(outcome.error == .wrongRoot(found: "BaoCao", expected: "DanhSachHoSo", line: 2))
        #expect(outcome.error?.message == "root element is <BaoCao>, the dialect expects <DanhSachHoSo> (line 2)")
        #expect(outcome.records.isEmpty)
    }

    @Test func anExportTimePathUnderAnotherRootDoesNotAcceptThatRoot() {
        var dialect = Dialects.dvcqg
        dialect.exportTime = Dialects.path("BaoCao/@NgayXuat")
        let dir = TempDir()
        let outcome = readAll(dir.write("other.xml", "<BaoCao NgayXuat=\"1\"><HoSo/></BaoCao>"), dialect: dialect)
        #expect(outcome.error == .wrongRoot(found: "BaoCao", expected: "DanhSachHoSo", line: 1))
    }

    @Test func rootMatchesOnItsLocalName() {
        let dir = TempDir()
        let xml = "<x:DanhSachHoSo xmlns:x=\"urn:x\"><x:HoSo><MaHoSo>A</MaHoSo></x:HoSo></x:DanhSachHoSo>"
        let outcome = readAll(dir.write("ns.xml", xml))
        #expect(outcome.error == nil)
        #expect(outcome.records.count == 1)
    }

    @Test func overlongMappedValueFailsTheFile() {
        let dir = TempDir()
        let huge = String(repeating: "x", count: ExportReader.maxValueBytes + 1)
        let xml = dvcqgDocument("<HoSo>\n<MaHoSo>A</MaHoSo>\n<TenTTHC>\(huge)</TenTTHC></HoSo>\n")
        let outcome = readAll(dir.write("big.xml", xml))
        guard case .valueTooLarge(let element, let limit, let line)? = outcome.error else {
            Issue.record("expected valueTooLarge, got \(String(describing: outcome.error))")
            return
        }
        #expect(element == "<TenTTHC>")
        #expect(limit == ExportReader.maxValueBytes)
        #expect(line == 5)
        #expect(outcome.error?.message == "value of <TenTTHC> is longer than 1048576 bytes (line 5)")
    }

    @Test func mappedValueAtTheCapIsAccepted() {
        let dir = TempDir()
        let value = String(repeating: "y", count: ExportReader.maxValueBytes)
        let xml = dvcqgDocument("<HoSo><TenTTHC>\(value)</TenTTHC></HoSo>\n")
        let outcome = readAll(dir.write("cap.xml", xml))
        #expect(outcome.error == nil)
        #expect(outcome.records.first?[.procedureName]?.utf8.count == ExportReader.maxValueBytes)
    }

    @Test func runawayNestingFailsFast() {
        let dir = TempDir()
        let depth = 1_000_000
        let xml = "<DanhSachHoSo><HoSo><MaHoSo>A</MaHoSo><x>\n" + String(repeating: "<a>", count: depth)
            + String(repeating: "</a>", count: depth) + "</x></HoSo></DanhSachHoSo>"
        let outcome = readAll(dir.write("deep.xml", xml))
        #expect(outcome.error == .nestingTooDeep(limit: ExportReader.maxNestingDepth, line: 2))
        #expect(outcome.records.isEmpty)
    }

    @Test func nestingUpToTheLimitIsFineAndOneMoreFails() {
        let dir = TempDir()
        func document(levels: Int) -> String {
            let inner = levels - 3  // DanhSachHoSo, HoSo and x are three levels
            return "<DanhSachHoSo><HoSo><MaHoSo>A</MaHoSo><x>" + String(repeating: "<a>", count: inner)
                + String(repeating: "</a>", count: inner) + "</x></HoSo></DanhSachHoSo>"
        }
        let atLimit = readAll(dir.write("limit.xml", document(levels: ExportReader.maxNestingDepth)))
        #expect(atLimit.error == nil)
        #expect(atLimit.records.count == 1)
        let over = readAll(dir.write("over.xml", document(levels: ExportReader.maxNestingDepth + 1)))
        #expect(over.error == .nestingTooDeep(limit: ExportReader.maxNestingDepth, line: 1))
    }

    @Test func groupEntriesAreBoundedPerRecord() {
        let dir = TempDir()
        func document(entries: Int) -> String {
            dvcqgDocument("  <HoSo><MaHoSo>A</MaHoSo>\n<DanhSachHoSoBoSung>"
                + String(repeating: "<HoSoBoSung/>", count: entries) + "</DanhSachHoSoBoSung></HoSo>\n")
        }
        let atLimit = readAll(dir.write("limit.xml", document(entries: ExportReader.maxGroupEntries)))
        #expect(atLimit.error == nil)
        #expect(atLimit.records.first?.supplements.count == ExportReader.maxGroupEntries)
        let over = readAll(dir.write("over.xml", document(entries: ExportReader.maxGroupEntries + 1)))
        #expect(over.error == .tooManyGroupEntries(
            element: "<HoSoBoSung>", limit: ExportReader.maxGroupEntries, line: 4))
        #expect(over.error?.message == "a record has more than 10000 <HoSoBoSung> entries (line 4)")
    }

    @Test func overlongMappedAttributeFailsTheFile() {
        let dir = TempDir()
        let huge = String(repeating: "x", count: ExportReader.maxValueBytes + 1)
        let xml = "<BaoCao><DuLieu>\n<hoSo ma=\"\(huge)\"/></DuLieu></BaoCao>"
        let outcome = readAll(dir.write("big.xml", xml), dialect: Dialects.igate)
        #expect(outcome.error == .valueTooLarge(element: "@ma", limit: ExportReader.maxValueBytes, line: 2))
    }

    @Test func twentyMegabyteTextInAnUnmappedElementIsFine() {
        let dir = TempDir()
        let note = String(repeating: "Ghi chú rất dài. ", count: 20 * 1024 * 1024 / 19)
        let xml = dvcqgDocument(
            dvcqgRecord(id: "BEFORE")
            + "  <HoSo><MaHoSo>BIG</MaHoSo><ThongTinKhac>\(note)</ThongTinKhac><MaTTHC>1.0</MaTTHC></HoSo>\n"
            + dvcqgRecord(id: "AFTER"))
        #expect(note.utf8.count > 20_000_000)
        let outcome = readAll(dir.write("huge-note.xml", xml))
        #expect(outcome.error == nil)
        #expect(outcome.records.map { $0[.dossierID] } == ["BEFORE", "BIG", "AFTER"])
        #expect(outcome.records[1][.procedureCode] == "1.0")
    }

    @Test func largeCDATAInAnUnmappedElementIsFine() {
        let dir = TempDir()
        let blob = String(repeating: "<không phải thẻ> & ", count: 5 * 1024 * 1024 / 22)
        let xml = dvcqgDocument(
            "  <HoSo><MaHoSo>BIG</MaHoSo><TaiLieuNop><TepDinhKem><NoiDung><![CDATA[\(blob)]]></NoiDung>"
            + "<DuocSoHoa>1</DuocSoHoa></TepDinhKem></TaiLieuNop></HoSo>\n")
        let outcome = readAll(dir.write("big-cdata.xml", xml))
        #expect(outcome.error == nil)
        #expect(outcome.records.map { $0[.dossierID] } == ["BIG"])
        #expect(outcome.records.first?.attachments == [["1"]])
    }

    /// libxml2 2.9's push parser holds a whole CDATA section in its buffer and refuses more
    /// than 10 MB without XML_PARSE_HUGE (which must stay off): such a file fails, clearly.
    @Test func cdataOverTenMegabytesFailsWithAClearMessage() {
        let dir = TempDir()
        let blob = String(repeating: "x", count: 12 * 1024 * 1024)
        let xml = dvcqgDocument("  <HoSo><MaHoSo>A</MaHoSo><NoiDung><![CDATA[\(blob)]]></NoiDung></HoSo>\n")
        let outcome = readAll(dir.write("huge-cdata.xml", xml))
        guard case .notWellFormed(let message, let line, _)? = outcome.error else {
            Issue.record("expected notWellFormed, got \(String(describing: outcome.error))")
            return
        }
        #expect(message.contains("longer than 10 MB"))
        #expect(line == 3)
    }
}
