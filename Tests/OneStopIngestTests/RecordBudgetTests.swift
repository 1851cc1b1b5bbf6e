import Foundation
import OneStopIngest
import OneStopModel
import Testing

/// One record's mapped values are bounded as a whole: 10 000 attachments of 1 MiB each are
/// within the per-value and per-group limits, yet one such record filled memory.
@Suite("The bytes one record may hold")
struct RecordBudgetTests {
    static let mebibyte = 1 << 20

    /// A record whose id is "A" and whose attachments carry `values` as their DuocSoHoa text.
    static func document(_ values: [Int]) -> String {
        dvcqgDocument("  <HoSo><MaHoSo>A</MaHoSo>\n<TaiLieuNop>"
            + values.map { "<TepDinhKem><DuocSoHoa>" + String(repeating: "1", count: $0) + "</DuocSoHoa></TepDinhKem>" }
                .joined()
            + "</TaiLieuNop></HoSo>\n")
    }

    @Test func aRecordAtTheBudgetIsRead() {
        let dir = TempDir()
        // "A" (1 byte) + 3 MiB + (1 MiB − 1) = exactly the budget.
        let values = [Self.mebibyte, Self.mebibyte, Self.mebibyte, Self.mebibyte - 1]
        #expect(1 + values.reduce(0, +) == ExportReader.maxRecordBytes)
        let outcome = readAll(dir.write("at.xml", Self.document(values)))
        #expect(outcome.error == nil)
        #expect(outcome.records.first?.attachments.count == 4)
    }

    @Test func oneByteMoreFailsTheFileAtTheRecordsLine() {
        let dir = TempDir()
        let values = [Self.mebibyte, Self.mebibyte, Self.mebibyte, Self.mebibyte]
        let outcome = readAll(dir.write("over.xml", Self.document(values)))
        #expect(outcome.error == .recordTooLarge(limit: ExportReader.maxRecordBytes, line: 3))
        #expect(outcome.error?.message == "the record starting at line 3 holds more than 4194304 bytes of mapped values")
        #expect(outcome.records.isEmpty)
    }

    @Test func theBudgetIsPerRecord() {
        let dir = TempDir()
        let record = "  <HoSo><MaHoSo>R</MaHoSo><TenTTHC>" + String(repeating: "n", count: Self.mebibyte) + "</TenTTHC></HoSo>\n"
        let outcome = readAll(dir.write("many.xml", dvcqgDocument(String(repeating: record, count: 6))))
        #expect(outcome.error == nil)
        #expect(outcome.records.count == 6)
    }
}
