import Testing
@testable import OneStopModel

@Suite("Records copied into a batch")
struct RecordBatchTests {
    static func record(_ number: Int) -> RawRecord {
        var raw = RawRecord(line: 10 * number + 1)
        raw[.dossierID] = "D-\(number)"
        raw[.procedureName] = number == 1 ? String(repeating: "Cấp giấy phép ", count: 200) : "Thủ tục \(number)"
        raw[.status] = ""
        raw.supplements = Array(repeating: ["2022111709000\(number)", nil, ""], count: number % 3)
        raw.attachments = Array(repeating: [number.isMultiple(of: 2) ? "1" : nil], count: number)
        return raw
    }

    @Test("Each record reads back as it was appended, past the batch's first allocation, and after emptying")
    func roundTrip() {
        // Record 1 carries 2.8 KB: more than the 256 bytes a record the batch starts with.
        let batch = RecordBatch(recordCapacity: 4)
        for round in 0..<2 {
            let records = (round * 4..<round * 4 + 4).map(Self.record)
            for record in records {
                #expect(!batch.isFull)
                record.withView { batch.append($0) }
            }
            #expect(batch.isFull && batch.count == 4)
            for (index, record) in records.enumerated() {
                let view = batch.view(at: index)
                #expect(view.line == record.line)
                #expect(view.makeRecord() == record)
            }
            batch.removeAll()
            #expect(batch.count == 0)
        }
    }
}
