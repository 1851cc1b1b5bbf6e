import Foundation
import Testing

/// Overlong codes and names through the built binary: the record that carries one is rejected
/// with a row a statistics officer can act on, the other records count, and many huge distinct
/// values cannot grow the run's memory (every code and name is kept for the whole run).
@Suite("End to end: overlong codes and names")
struct HostileValueTests {
    /// Three good records around one whose procedure code is 70 000 bytes long.
    static let goodRecords = [
        dvcqgRecord(id: "GOOD-1"), dvcqgRecord(id: "GOOD-2", code: "1.004227"), dvcqgRecord(id: "GOOD-3"),
    ]

    @Test("An overlong procedure code rejects its record only; the good records count; exit 0 under maxRejectRate")
    func overlongCodeRejectsItsRecord() throws {
        let overlong = dvcqgRecord(id: "long-1", code: String(repeating: "9", count: 70_000))
        let run = try HostileRun("overlong-code") { scratch in
            try scratch.write("in/long.xml", dvcqgExport(Self.goodRecords[0] + overlong + Self.goodRecords[1...].joined()))
            // One reject among a few hundred records is well under the demo's 5 %.
            let pipeline = try read(scratch.path + "/pipeline.yaml")
                .replacingOccurrences(of: "maxRejectRate: none", with: "maxRejectRate: 0.05")
            try scratch.write("pipeline.yaml", pipeline)
        }
        let withoutIt = try HostileRun("overlong-code-baseline") { scratch in
            try scratch.write("in/long.xml", dvcqgExport(Self.goodRecords.joined()))
        }
        #expect(!run.outcome.timedOut && run.outcome.signal == nil)
        #expect(run.outcome.exitCode == 0, "\(run.outcome.stderr)")
        #expect(withoutIt.outcome.exitCode == 0, "\(withoutIt.outcome.stderr)")

        let report = try run.fileReport("long.xml")
        #expect(report["status"] as? String == "ok")
        #expect((report["records"] as? NSNumber)?.intValue == 4)
        #expect((report["rejected"] as? NSNumber)?.intValue == 1)
        let accounting = try #require(try run.summary()["accounting"] as? [String: Any])
        let byReason = accounting["rejected_by_reason"] as? [String: Any] ?? [:]
        #expect((byReason["value too long: 70000 bytes, at most 64"] as? NSNumber)?.intValue == 1, "\(byReason)")

        // The good records count exactly as in a run without the overlong one.
        for file in ["progress.csv", "procedures.csv", "agencies.csv"] {
            #expect(try read(run.output + "/" + file) == read(withoutIt.output + "/" + file), "\(file)")
        }

        // rejects.csv: file, line of the record's start tag, the id, the source's field name, why.
        let lines = try read(run.output + "/rejects.csv").split(separator: "\n").map(String.init)
        #expect(lines.first == "file,line,dossier_id,field,reason")
        let rows = lines.filter { $0.contains("in/long.xml,") }
        #expect(rows.count == 1, "\(rows)")
        let line = 3 + Self.goodRecords[0].split(separator: "\n", omittingEmptySubsequences: false).count - 1
        #expect(rows.last?.hasSuffix("in/long.xml,\(line),LONG-1,MaTTHC,\"value too long: 70000 bytes, at most 64\"") == true,
                "\(rows.last ?? "")")
        // The value itself is written nowhere.
        #expect(!run.everythingWritten().contains(String(repeating: "9", count: 100)))
    }

    @Test("Huge distinct ids, codes and names are rejected, in bounded memory; the other files count")
    func hugeDistinctValuesStayOutOfMemory() throws {
        // 100 records, each with one value of 1 000 000 bytes (under the reader's 1 MiB value cap),
        // all distinct: kept, they would hold 100 MB for the whole run.
        let fields = ["MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "DonViXuLy"]
        let run = try HostileRun("huge-distinct-values") { scratch in
            let path = scratch.path + "/in/huge.xml"
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.write(contentsOf: Data(dvcqgExport("").replacingOccurrences(of: "</DanhSachHoSo>\n", with: "").utf8))
            let filler = Data(repeating: UInt8(ascii: "x"), count: 1_000_000 - 8)
            for number in 0..<100 {
                let marker = "@@HUGE@@"
                let record = switch fields[number % fields.count] {
                case "MaHoSo": dvcqgRecord(id: marker)
                case "MaTTHC": dvcqgRecord(id: "H-\(number)", code: marker)
                case "TenTTHC": dvcqgRecord(id: "H-\(number)", name: marker)
                case "MaLinhVuc": dvcqgRecord(id: "H-\(number)", extra: "\n    <MaLinhVuc>\(marker)</MaLinhVuc>")
                default: dvcqgRecord(id: "H-\(number)").replacingOccurrences(of: "000.00.99.H55", with: marker)
                }
                let parts = record.components(separatedBy: marker)
                try handle.write(contentsOf: Data(parts[0].utf8))
                try handle.write(contentsOf: Data(String(format: "%07d-", number).utf8) + filler)
                try handle.write(contentsOf: Data(parts[1].utf8))
            }
            try handle.write(contentsOf: Data("</DanhSachHoSo>\n".utf8))
        }
        #expect(!run.outcome.timedOut && run.outcome.signal == nil)
        #expect(run.outcome.exitCode == 0, "\(run.outcome.stderr)")
        let report = try run.fileReport("huge.xml")
        #expect(report["status"] as? String == "ok")
        #expect((report["records"] as? NSNumber)?.intValue == 100)
        #expect((report["rejected"] as? NSNumber)?.intValue == 100)
        try run.expectGoodFilesCounted()
        let rejects = try read(run.output + "/rejects.csv")
        for field in fields { #expect(rejects.contains(",\(field),\"value too long: 1000000 bytes, at most"), "\(field)") }
        #expect(run.outcome.peakMemory < HostileRun.memoryBound, "peak \(run.outcome.peakMemory / 1_048_576) MB")
    }
}
