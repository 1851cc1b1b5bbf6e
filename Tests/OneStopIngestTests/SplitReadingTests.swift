import Foundation
import OneStopModel
import Testing
@testable import OneStopIngest

/// Reading a file in pieces must give the records (with their lines), the export time and the
/// verdict of a sequential read, whatever the piece count and wherever the byte search lands.
@Suite("Split reading of one large file")
struct SplitReadingTests {
    struct Outcome: Equatable {
        var records: [RawRecord]
        var exportTime: String?
    }

    /// Pieces planned and pieces used, summed over a test's reads (to check that pieces were
    /// used, and that some planned starts were rejected by verification).
    final class Tally: @unchecked Sendable {
        var planned = 0
        var used = 0
    }
    let tally = Tally()

    /// The sequential read, or nil when it fails.
    func sequential(_ path: String, _ dialect: Dialect) -> Outcome? {
        let outcome = readAll(path, dialect: dialect)
        guard outcome.error == nil, let summary = outcome.summary else { return nil }
        return Outcome(records: outcome.records, exportTime: summary.exportTime)
    }

    /// The split read, or nil when it falls back (a needed piece failed). Pieces are read last
    /// first, as workers may finish in any order.
    func splitRead(_ path: String, _ dialect: Dialect, pieces: Int) throws -> Outcome? {
        let reader = ExportReader(dialect: dialect)
        let plan = try #require(reader.split(path: path, pieces: pieces, minimumPieceBytes: 1))
        var records = [[RawRecord]](repeating: [], count: plan.pieceCount)
        var outcomes = [PieceOutcome?](repeating: nil, count: plan.pieceCount)
        for piece in (0..<plan.pieceCount).reversed() {
            outcomes[piece] = try? reader.readPiece(plan, piece) { records[piece].append($0.makeRecord()) }
        }
        guard let uses = plan.assemble(outcomes) else { return nil }
        tally.planned += plan.pieceCount
        tally.used += uses.count
        var all: [RawRecord] = []
        for use in uses {
            #expect(use.recordOffset == all.count)
            all += records[use.piece].map { var record = $0; record.line += use.lineDelta; return record }
        }
        let exportTime = uses.lazy.compactMap { outcomes[$0.piece]?.exportTime }.first
        return Outcome(records: all, exportTime: exportTime)
    }

    /// dvcqg records with traps for the byte search: the record tag inside comments, CDATA,
    /// text and a nested unmapped element, records spanning many lines, a reject-worthy date.
    func trickyRecords(_ count: Int, newline: String = "\n", prefix: String = "") -> String {
        (0..<count).map { index in
            var extra = ""
            switch index % 7 {
            case 1: extra = "<!-- <\(prefix)HoSo> not a record -->"
            case 2: extra = "<GhiChu><![CDATA[ <\(prefix)HoSo>x</\(prefix)HoSo> ]]></GhiChu>"
            case 3: extra = "<Khac><\(prefix)HoSo>nested, unmapped</\(prefix)HoSo></Khac>"
            case 4: extra = "<GhiChu>&lt;\(prefix)HoSo&gt;</GhiChu>"
            default: break
            }
            let due = index % 11 == 0 ? "2022-13-45" : "20221125170000"
            // Between records: the tag in a comment right before a real one.
            let before = index % 7 == 5 ? "  <!-- <\(prefix)HoSo> -->\(newline)" : ""
            return before + """
              <\(prefix)HoSo>\(newline)    <\(prefix)MaHoSo>ID-\(index)</\(prefix)MaHoSo>\(extra)\(newline)    <\(prefix)MaTTHC>1.00\(index % 9)</\(prefix)MaTTHC>\(newline)\
                <\(prefix)NgayHenTra>\(due)</\(prefix)NgayHenTra>\(newline)    <\(prefix)TrangThaiHoSo>4</\(prefix)TrangThaiHoSo>\(newline)  </\(prefix)HoSo>\(newline)
            """
        }.joined()
    }

    func check(_ text: String, _ dialect: Dialect = Dialects.dvcqg, expectFailure: Bool = false) throws {
        let dir = TempDir()
        let path = dir.write("split.xml", text)
        let expected = sequential(path, dialect)
        #expect((expected == nil) == expectFailure)
        for pieces in [2, 3, 5, 8, 13, 40] {
            let actual = try splitRead(path, dialect, pieces: pieces)
            #expect(actual == expected, "\(pieces) pieces")
        }
        if !expectFailure {
            #expect(tally.used > 6, "pieces were used")
            #expect(tally.used < tally.planned, "some starts fell on traps and were rejected")
        }
    }

    @Test func plainDocument() throws {
        try check(dvcqgDocument(trickyRecords(300)))
    }

    @Test func crlfAndByteOrderMark() throws {
        try check("\u{FEFF}" + dvcqgDocument(trickyRecords(200, newline: "\r\n")).replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test func namespacePrefixes() throws {
        let text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE ns:DanhSachHoSo>
            <ns:DanhSachHoSo xmlns:ns="urn:x" NgayXuat="20221201020000">
            \(trickyRecords(200, prefix: "ns:"))</ns:DanhSachHoSo>

            """
        try check(text)
    }

    @Test("Export time in an element after the records")
    func exportTimeAtTheEnd() throws {
        let text = """
            <?xml version="1.0"?>
            <DanhSachHoSo>
            \(trickyRecords(150))  <ThongTinXuat><NgayXuat>20221201020000</NgayXuat></ThongTinXuat>
            </DanhSachHoSo>

            """
        try check(text, Dialects.dvcqgHeaderText)
    }

    @Test func igateWithHeaderAndAttributes() throws {
        let records = (0..<250).map { index in
            """
                <hoSo ma="IG-\(index)" thuTuc="2.000\(index % 7)" trangThai="\(index % 13 == 0 ? "sai" : "dang_xu_ly")">
                  <tenThuTuc>Tên &amp; thủ tục \(index)</tenThuTuc>\(index % 5 == 0 ? "<!-- <hoSo ma=\"x\"> -->" : "")
                  <thoiGian tiepNhan="15/11/2022 08:30:00"/>
                </hoSo>

            """
        }.joined()
        let text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <BaoCao>
              <ThongTin thoiDiemXuat="01/12/2022 02:00:00"/>
              <DuLieu>
            \(records)  </DuLieu>
            </BaoCao>

            """
        try check(text, Dialects.igate)
    }

    @Test("A file cut off mid-record, or broken in the middle, is not assembled (read sequentially)")
    func brokenFiles() throws {
        let whole = dvcqgDocument(trickyRecords(200))
        try check(String(whole.prefix(whole.count * 2 / 3)), expectFailure: true)
        var broken = whole
        let middle = broken.index(broken.startIndex, offsetBy: whole.count / 2)
        broken.insert(contentsOf: "<Bad attr=>", at: middle)
        try check(broken, expectFailure: true)
    }

    @Test("Gzip and small files are not split")
    func notSplit() {
        let dir = TempDir()
        let text = dvcqgDocument(trickyRecords(50))
        let gz = dir.write("a.xml.gz", Gzip.compress(Array(text.utf8)))
        let plain = dir.write("a.xml", text)
        let reader = ExportReader(dialect: Dialects.dvcqg)
        #expect(reader.split(path: gz, pieces: 4, minimumPieceBytes: 1) == nil)
        #expect(reader.split(path: plain, pieces: 4) == nil)  // below the default minimum piece size
        #expect(reader.split(path: plain, pieces: 1, minimumPieceBytes: 1) == nil)
    }
}
