import Foundation
import Testing

/// Issue 12, item 6, through the built binary: inputs that made some step quadratic give a
/// clear message and exit code (or simply a correct run). The times are in `make bench`.
@Suite("End to end: inputs that were quadratic")
struct QuadraticInputTests {
    /// `count` distinct attribute names: a, b, …, Z, aa, ab, …
    static func names(_ count: Int) -> [String] {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return (0..<count).map { index in
            var value = index
            var name = ""
            repeat {
                name.append(letters[value % letters.count])
                value = value / letters.count - 1
            } while value >= 0
            return name
        }
    }

    @Test("An unmapped element with 200 000 attributes, or as many namespace declarations, fails at once")
    func attributeFloods() throws {
        let run = try HostileRun("attributes") { scratch in
            let attributes = Self.names(200_000).map { "\($0)=\"\"" }.joined(separator: " ")
            try scratch.write("in/attributes.xml", dvcqgExport("  <GhiChu " + attributes + "/>\n" + dvcqgRecord(id: "A-1")))
            let declarations = Self.names(200_000).map { "xmlns:\($0)=\"urn:x\"" }.joined(separator: " ")
            try scratch.write("in/namespaces.xml", dvcqgExport("  <GhiChu " + declarations + "/>\n" + dvcqgRecord(id: "N-1")))
        }
        try run.expectFailedFile("attributes.xml", phrase: "an element has more than 1000 attributes (line 3)")
        try run.expectFailedFile("namespaces.xml", phrase: "an element has more than 1000 attributes (line 3)")
    }

    @Test("Namespaces piled up in scope, DOCTYPE defaults, a long enumeration, a long prolog comment: each fails with its limit")
    func otherLibxml2Quadratics() throws {
        let run = try HostileRun("dtd") { scratch in
            let nested = (0..<200).map { "<y xmlns:p\($0)=\"urn:\($0)\" xmlns:q\($0)=\"urn:\($0)\">" }.joined()
                + String(repeating: "</y>", count: 200)
            try scratch.write("in/scope.xml", dvcqgExport("  " + nested + "\n" + dvcqgRecord(id: "S-1")))
            let defaults = "<!DOCTYPE DanhSachHoSo [\n<!ATTLIST y " + Self.names(200).map { "\($0) CDATA \"v\"" }.joined(separator: " ")
                + ">\n]>\n"
            try scratch.write("in/defaults.xml", dvcqgExport(String(repeating: "  <y/>\n", count: 50_000) + dvcqgRecord(id: "D-1"),
                                                            prolog: "<?xml version=\"1.0\"?>\n" + defaults))
            let enumeration = "<!DOCTYPE DanhSachHoSo [\n<!ATTLIST y a (" + Self.names(5_000).joined(separator: "|") + ") #IMPLIED>\n]>\n"
            try scratch.write("in/enumeration.xml", dvcqgExport(dvcqgRecord(id: "E-1"), prolog: "<?xml version=\"1.0\"?>\n" + enumeration))
            let comment = "<!--" + String(repeating: "licence > ", count: 20_000) + "-->\n"
            try scratch.write("in/comment.xml", dvcqgExport(dvcqgRecord(id: "C-1"), prolog: "<?xml version=\"1.0\"?>\n" + comment))
        }
        try run.expectFailedFile("scope.xml", phrase: "more than 256 namespace declarations are in scope (line 3)")
        try run.expectFailedFile("defaults.xml", phrase: "the DOCTYPE declares more than 16 default attribute values for <y> (line 3)")
        try run.expectFailedFile("enumeration.xml", phrase: "the DOCTYPE's internal subset holds more than 1000 alternatives ('|')")
        try run.expectFailedFile("comment.xml", phrase: "before the root element is longer than 65536 bytes (line 2)")
    }

    @Test("A 6 MB CDATA section and a 6 MB attribute full of '>' are read, in constant memory")
    func largeMarkupFullOfGreaterThan() throws {
        let noise = String(repeating: "a > b ", count: 1_000_000)
        let run = try HostileRun("greater-than") { scratch in
            try scratch.write("in/noise.xml", dvcqgExport(
                "  <GhiChu a=\"\(noise)\"><![CDATA[\(noise)]]></GhiChu>\n" + dvcqgRecord(id: "G-1")))
        }
        #expect(run.outcome.exitCode == 0, "\(run.outcome.stderr)")
        let report = try run.fileReport("noise.xml")
        #expect(report["status"] as? String == "ok")
        #expect((report["records"] as? NSNumber)?.intValue == 1)
        #expect(run.outcome.peakMemory < HostileRun.memoryBound)
    }

    /// The dossier store's hash before it was keyed (multiply–xorshift, unseeded).
    static func unkeyedHash(_ bytes: [UInt8]) -> UInt64 {
        func word(_ offset: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) } }
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var index = 0
        while index + 8 < bytes.count {
            hash = (hash ^ word(index)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            index += 8
        }
        hash ^= word(bytes.count - 8)
        hash = (hash ^ (hash >> 29)) &* 0x94D0_49BB_1331_11EB
        hash = (hash ^ (hash >> 32)) &* 0xD6E8_FEB8_6659_FD93
        return (hash ^ (hash >> 32)) | 1
    }

    /// What one distinct agency or procedure code may cost, on top of the contract's 64 MB and
    /// 150 B per dossier (docs/contract.md §7): its figures' rows, its names and its workbook and
    /// report lines. Measured at 0.6–1.3 KB (20 000 codes of each kind in a debug build; 200 000 in
    /// release, `make bench`'s codes set: 1,267 B, the workbook adding 8 MB in all).
    static let bytesPerDistinctCode = 2_048

    @Test("10 000 dossiers each with its own agency and procedure: memory within 64 MB + 150 B a dossier + 2 KB a code, with every output")
    func distinctCodesHoldTheMemoryBound() throws {
        let count = 10_000
        let scratch = Scratch("distinct-codes")
        let records = (0..<count).map { i in
            let (day, month) = (1 + i % 28, 1 + (i / 28) % 12)
            let date = "2022" + String(format: "%02d%02d", month, day)
            return "<HoSo><MaHoSo>HS-\(i)</MaHoSo><MaTTHC>9.\(i)</MaTTHC><TenTTHC>Thủ tục thử số \(i)</TenTTHC>"
                + "<MaLinhVuc>LV\(i % 50)</MaLinhVuc><DonViXuLy>DV.\(i).H55</DonViXuLy><KenhThucHien>\(1 + i % 2)</KenhThucHien>"
                + "<NgayTiepNhan>\(date)080000</NgayTiepNhan><NgayHenTra>\(date)170000</NgayHenTra>"
                + "<NgayKetThucXuLy>\(date)\(10 + i % 7)0000</NgayKetThucXuLy><TrangThaiHoSo>9</TrangThaiHoSo></HoSo>\n"
        }.joined()
        try scratch.write("in/distinct.xml", "<?xml version=\"1.0\"?>\n<DanhSachHoSo NgayXuat=\"20230110020000\">\n"
            + records + "</DanhSachHoSo>\n")
        try InputSelectionTests.writePipeline(scratch, sources: ["{ name: tinh, level: province, dialect: dvcqg, files: [\"in/*.xml\"] }"])
        let result = try ChildProcess.run(["run", scratch.path + "/p.yaml", "--quiet", "--history", "none",
                                           "--xlsx", "--dossiers", "--monthly"], timeout: .seconds(600))
        #expect(result.exitCode == 0, "\(result.stderr)")
        // Every code is in the figures: one agency row and one procedure row each.
        let agencies = try read(scratch.path + "/out/agencies.csv").split(separator: "\n").dropFirst()
        #expect(agencies.filter { $0.hasPrefix("DV.") }.count == count)
        let procedures = try read(scratch.path + "/out/procedures.csv").split(separator: "\n").dropFirst()
        #expect(Set(procedures.map { $0.split(separator: ",")[1] }).count == count)
        let bound = 64 * 1_048_576 + 150 * count + Self.bytesPerDistinctCode * 2 * count
        #expect(result.peakMemory <= bound, "peak \(result.peakMemory / 1_048_576) MB > bound \(bound / 1_048_576) MB")
    }

    @Test("Dossier ids crafted to pile up in the old index are deduplicated like any others")
    func craftedDossierIDs() throws {
        var state: UInt64 = 88_172_645_463_325_252
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        var ids: [String] = []
        while ids.count < 5_000 {
            let bytes = (0..<12).map { _ in
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                return alphabet[Int(state % UInt64(alphabet.count))]
            }
            if Self.unkeyedHash(bytes) >> 56 == 0xA5 { ids.append(String(decoding: bytes, as: UTF8.self)) }
        }
        let scratch = Scratch("crafted-ids")
        for (night, status) in [("20221201", 4), ("20221202", 9)] {
            let records = ids.map {
                "<HoSo><MaHoSo>\($0)</MaHoSo><MaTTHC>1.004227</MaTTHC><DonViXuLy>X</DonViXuLy>"
                    + "<NgayTiepNhan>20221115083000</NgayTiepNhan><NgayHenTra>20221125170000</NgayHenTra>"
                    + "<NgayKetThucXuLy>20221120170000</NgayKetThucXuLy><TrangThaiHoSo>\(status)</TrangThaiHoSo></HoSo>\n"
            }.joined()
            try scratch.write("in/x_\(night).xml", "<?xml version=\"1.0\"?>\n<DanhSachHoSo NgayXuat=\"\(night)020000\">\n"
                + records + "</DanhSachHoSo>\n")
        }
        try InputSelectionTests.writePipeline(scratch, sources: ["{ name: x, level: province, dialect: dvcqg, files: [\"in/*.xml\"] }"])
        let result = try ChildProcess.run(["run", scratch.path + "/p.yaml", "--quiet"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let accounting = try #require(try readJSON(scratch.path + "/out/summary.json")["accounting"] as? [String: Any])
        #expect((accounting["records_read"] as? NSNumber)?.intValue == 2 * ids.count)
        #expect((accounting["superseded"] as? NSNumber)?.intValue == ids.count)
        #expect((accounting["kept"] as? NSNumber)?.intValue == ids.count)
        #expect((accounting["rejected"] as? NSNumber)?.intValue == 0)
        let progress = try read(scratch.path + "/out/progress.csv")
        #expect(progress.split(separator: "\n").first { $0.hasPrefix("province,ALL,") }?.contains(",\(ids.count),") == true)
    }

    @Test("20 000 sources load; a name used twice among them is named with its line")
    func manySources() throws {
        let scratch = Scratch("many-sources")
        let count = 20_000
        func sources(duplicate: Bool) -> [String] {
            (0..<count).map { index in
                let name = duplicate && index == count - 1 ? "s7" : "s\(index)"
                return "{ name: \(name), level: district, dialect: dvcqg, files: [\"in/s\(index)_*.xml\"] }"
            }
        }
        try InputSelectionTests.writePipeline(scratch, sources: sources(duplicate: false))
        let valid = try ChildProcess.run(["validate", scratch.path + "/p.yaml"])
        #expect(valid.exitCode == 0, "\(valid.stderr)")
        #expect(valid.stdout.split(separator: "\n").filter { $0.hasPrefix("source s") }.count == count)

        try InputSelectionTests.writePipeline(scratch, sources: sources(duplicate: true))
        let twice = try ChildProcess.run(["run", scratch.path + "/p.yaml"])
        #expect(twice.exitCode == 78)
        // The pipeline file's sources start on line 7.
        #expect(twice.stderr.contains("p.yaml:\(7 + count - 1): source name 's7' is used twice; names must be unique"),
                "\(twice.stderr)")
    }
}
