import Foundation
import Testing

/// Issue 4, item 2: broken and hostile gzip through the built binary. A cut-off or corrupt
/// stream fails its file; a bomb fails or is read in bounded memory; the run exits 65 (or 0
/// when everything could be read) and the other files still count.
@Suite("End to end: hostile gzip")
struct HostileGzipTests {
    /// `gzip -c` of `text` (the command is on every system that runs onestop's tests).
    static func gzip(_ text: String, in scratch: Scratch, name: String) throws -> [UInt8] {
        let plain = try scratch.write("plain-\(name)", text)
        #expect(try shell("gzip -n -c '\(plain)' > '\(plain).gz'") == 0)
        return Array(try Data(contentsOf: URL(fileURLWithPath: plain + ".gz")))
    }

    static let small = dvcqgExport(dvcqgRecord(id: "GZ-1") + dvcqgRecord(id: "GZ-2") + dvcqgRecord(id: "GZ-3"))

    @Test("A cut-off stream, a corrupt CRC and corrupt data fail their files; the other files count")
    func truncatedAndCorrupt() throws {
        let run = try HostileRun("gzip-broken") { scratch in
            let whole = try Self.gzip(Self.small, in: scratch, name: "small.xml")
            try scratch.write("in/cut.xml.gz", Array(whole.prefix(whole.count / 2)))
            try scratch.write("in/cut-in-trailer.xml.gz", Array(whole.dropLast(3)))
            var badCRC = whole
            badCRC[badCRC.count - 8] ^= 0xFF  // first byte of the CRC-32 in the trailer
            try scratch.write("in/crc.xml.gz", badCRC)
            var badData = whole
            badData[20] ^= 0x55  // inside the deflate data
            try scratch.write("in/data.xml.gz", badData)
        }
        try run.expectFailedFile("cut.xml.gz", phrase: "gzip stream is cut off")
        try run.expectFailedFile("cut-in-trailer.xml.gz", phrase: "gzip stream is cut off")
        try run.expectFailedFile("crc.xml.gz", phrase: "corrupt gzip stream: incorrect data check")
        try run.expectFailedFile("data.xml.gz", phrase: "corrupt gzip stream")
        // Records read are those of the files that were read whole, and of no other.
        let accounting = try #require(try run.summary()["accounting"] as? [String: Any])
        let okRecords = (accounting["files"] as? [[String: Any]] ?? [])
            .filter { $0["status"] as? String == "ok" }
            .reduce(0) { $0 + (($1["records"] as? NSNumber)?.intValue ?? 0) }
        #expect((accounting["records_read"] as? NSNumber)?.intValue == okRecords)
    }

    @Test("A gzip bomb of 1 GiB of zeros fails at its first bytes, in bounded memory")
    func bombOfZeros() throws {
        let run = try HostileRun("gzip-zeros") { scratch in
            let bomb = scratch.path + "/in/zeros.xml.gz"
            let status = try shell("head -c 1073741824 /dev/zero | gzip -1 -n > '\(bomb)'")
            #expect(status == 0)
        }
        try run.expectFailedFile("zeros.xml.gz", phrase: "not well-formed XML")
        #expect((try run.fileReport("zeros.xml.gz")["line"] as? NSNumber)?.intValue == 1)
        #expect(run.outcome.peakMemory < HostileRun.memoryBound, "peak \(run.outcome.peakMemory / 1_048_576) MB")
    }

    @Test("A gzip of one record with 1 000 mapped values of 1 MiB each fails, in bounded memory")
    func recordBomb() throws {
        let run = try HostileRun("gzip-record") { scratch in
            let head = try Self.gzip("<DanhSachHoSo NgayXuat=\"20221201020000\">\n<HoSo><MaHoSo>BOMB</MaHoSo><TaiLieuNop>",
                                     in: scratch, name: "head.xml")
            let entry = try Self.gzip("<TepDinhKem><DuocSoHoa>" + String(repeating: "1", count: 1_048_576) + "</DuocSoHoa></TepDinhKem>",
                                      in: scratch, name: "entry.xml")
            let tail = try Self.gzip("</TaiLieuNop></HoSo></DanhSachHoSo>\n", in: scratch, name: "tail.xml")
            var bytes = head
            for _ in 0..<1000 { bytes += entry }
            try scratch.write("in/record.xml.gz", bytes + tail)
        }
        try run.expectFailedFile("record.xml.gz", phrase: "the record starting at line 2 holds more than 4194304 bytes of mapped values")
        #expect(run.outcome.peakMemory < HostileRun.memoryBound, "peak \(run.outcome.peakMemory / 1_048_576) MB")
    }

    @Test("A valid export that inflates to 1 GiB (of blanks) is read to its end in bounded memory")
    func bombThatIsAValidExport() throws {
        let run = try HostileRun("gzip-blanks", timeout: .seconds(300)) { scratch in
            // Members of one file: the records before, 1024 × 1 MiB of blanks, the records after.
            // `cat` of gzip members is one gzip file (RFC 1952), read to its end.
            let records = dvcqgExport(dvcqgRecord(id: "BLANK-1")).replacingOccurrences(of: "</DanhSachHoSo>\n", with: "")
            let head = try Self.gzip(records, in: scratch, name: "head.xml")
            let blanks = try Self.gzip(String(repeating: " ", count: 1_048_576), in: scratch, name: "blanks.xml")
            let tail = try Self.gzip(dvcqgRecord(id: "BLANK-2") + "</DanhSachHoSo>\n", in: scratch, name: "tail.xml")
            var bytes = head
            for _ in 0..<1024 { bytes += blanks }
            bytes += tail
            try scratch.write("in/blanks.xml.gz", bytes)
        }
        #expect(!run.outcome.timedOut)
        #expect(run.outcome.exitCode == 0, "\(run.outcome.stderr)")
        let report = try run.fileReport("blanks.xml.gz")
        #expect(report["status"] as? String == "ok")
        #expect((report["records"] as? NSNumber)?.intValue == 2)
        #expect((report["bytes"] as? NSNumber)?.intValue ?? .max < 4_000_000)
        #expect(run.outcome.peakMemory < HostileRun.memoryBound, "peak \(run.outcome.peakMemory / 1_048_576) MB")
    }
}
