import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 4, item 1: hostile XML through the built binary. Each file is read correctly or fails
/// as a file with a clear message (exit 65, listed in summary.json, the other files still count)
/// — never a crash, a hang, a network access, a read of a file that is not an input, or memory
/// past the bound.
@Suite("End to end: hostile XML")
struct HostileInputTests {
    // MARK: - Entities and DTDs: nothing is fetched, nothing is read

    @Test("An external entity at file:///etc/passwd fails the file; nothing of it appears")
    func entityAtEtcPasswd() throws {
        let run = try HostileRun("xxe-passwd") { scratch in
            try scratch.write("in/xxe.xml", dvcqgExport(
                dvcqgRecord(id: "&xxe;", name: "&xxe;"),
                prolog: "<?xml version=\"1.0\"?>\n<!DOCTYPE DanhSachHoSo [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\n"))
        }
        try run.expectFailedFile("xxe.xml", phrase: "DOCTYPE declares an entity")
        #expect((try run.fileReport("xxe.xml")["line"] as? NSNumber)?.intValue == 2)
        #expect(!run.everythingWritten().contains("root:"))
        #expect(run.outcome.peakMemory < HostileRun.memoryBound)
    }

    @Test("An external entity at a local file: its content appears nowhere, and it is never opened")
    func entityAtALocalFile() throws {
        let marker = "ONESTOP-SECRET-\(UUID().uuidString)"
        let run = try HostileRun("xxe-local") { scratch in
            // The secret is not under in/: it is not an input.
            let secret = try scratch.write("secret.txt", marker)
            // A FIFO with no writer: opening it for reading would block, so any attempt to read
            // it shows up as a hang (the guard kills the run and the test fails).
            let fifo = scratch.path + "/trap.fifo"
            #expect(mkfifo(fifo, 0o600) == 0)
            try scratch.write("in/xxe.xml", dvcqgExport(
                dvcqgRecord(id: "&a;&b;", name: "&a;"),
                prolog: """
                    <?xml version="1.0"?>
                    <!DOCTYPE DanhSachHoSo [
                      <!ENTITY a SYSTEM "file://\(secret)">
                      <!ENTITY b SYSTEM "file://\(fifo)">
                    ]>

                    """))
        }
        #expect(!run.outcome.timedOut, "the run blocked opening the FIFO an entity pointed at")
        try run.expectFailedFile("xxe.xml", phrase: "DOCTYPE declares an entity")
        #expect(!run.everythingWritten().contains(marker))
    }

    @Test("An external entity, a parameter entity and an external DTD at http URLs: no connection is made")
    func networkIsNeverTouched() throws {
        let listener = try LocalListener()
        let run = try HostileRun("xxe-http") { scratch in
            try scratch.write("in/entity.xml", dvcqgExport(
                dvcqgRecord(id: "&remote;"),
                prolog: "<?xml version=\"1.0\"?>\n<!DOCTYPE DanhSachHoSo [ <!ENTITY remote SYSTEM \"\(listener.url)/entity\"> ]>\n"))
            try scratch.write("in/parameter.xml", dvcqgExport(
                dvcqgRecord(id: "P"),
                prolog: "<?xml version=\"1.0\"?>\n<!DOCTYPE DanhSachHoSo [\n  <!ENTITY % pe SYSTEM \"\(listener.url)/pe\">\n  %pe;\n]>\n"))
            try scratch.write("in/dtd.xml", dvcqgExport(
                dvcqgRecord(id: "D"),
                prolog: "<?xml version=\"1.0\"?>\n<!DOCTYPE DanhSachHoSo SYSTEM \"\(listener.url)/x.dtd\">\n"))
            try scratch.write("in/public.xml", dvcqgExport(
                dvcqgRecord(id: "Q"),
                prolog: "<?xml version=\"1.0\"?>\n<!DOCTYPE DanhSachHoSo PUBLIC \"-//X//DTD X//EN\" \"\(listener.url)/p.dtd\">\n"))
        }
        #expect(listener.connections() == 0, "the run connected to \(listener.url)")
        try run.expectFailedFile("entity.xml", phrase: "DOCTYPE declares an entity")
        try run.expectFailedFile("parameter.xml", phrase: "DOCTYPE declares an entity")
        try run.expectFailedFile("dtd.xml", phrase: "external DTD")
        try run.expectFailedFile("public.xml", phrase: "external DTD")
    }

    @Test("An external DTD on the local disk is never opened")
    func localExternalDTDIsNeverOpened() throws {
        let run = try HostileRun("dtd-fifo") { scratch in
            let fifo = scratch.path + "/trap.dtd"
            #expect(mkfifo(fifo, 0o600) == 0)
            try scratch.write("in/dtd.xml", dvcqgExport(
                dvcqgRecord(id: "D"), prolog: "<?xml version=\"1.0\"?>\n<!DOCTYPE DanhSachHoSo SYSTEM \"\(fifo)\">\n"))
        }
        #expect(!run.outcome.timedOut, "the run blocked opening the external DTD")
        try run.expectFailedFile("dtd.xml", phrase: "external DTD")
    }

    @Test("Billion laughs and quadratic blow-up fail at the declaration, in bounded memory")
    func entityExpansion() throws {
        let run = try HostileRun("expansion", timeout: .seconds(60)) { scratch in
            var laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE DanhSachHoSo [\n  <!ENTITY lol0 \"lol\">\n"
            for level in 1...12 {
                laughs += "  <!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">\n"
            }
            laughs += "]>\n"
            try scratch.write("in/laughs.xml", dvcqgExport(dvcqgRecord(id: "L", name: "&lol12;"), prolog: laughs))
            // One 64 KB entity referenced 64 K times: 4 GB of text if it were ever expanded.
            let quadratic = "<?xml version=\"1.0\"?>\n<!DOCTYPE DanhSachHoSo [ <!ENTITY big \""
                + String(repeating: "x", count: 65_536) + "\"> ]>\n"
            try scratch.write("in/quadratic.xml", dvcqgExport(
                dvcqgRecord(id: "Q", name: String(repeating: "&big;", count: 65_536)), prolog: quadratic))
        }
        try run.expectFailedFile("laughs.xml", phrase: "DOCTYPE declares an entity")
        try run.expectFailedFile("quadratic.xml", phrase: "DOCTYPE declares an entity")
        #expect(run.outcome.peakMemory < HostileRun.memoryBound)
    }

    @Test("A named pipe or a device among the exports fails as a file instead of blocking the run")
    func specialFiles() throws {
        let run = try HostileRun("special", timeout: .seconds(60)) { scratch in
            #expect(mkfifo(scratch.path + "/in/pipe.xml", 0o600) == 0)
            #expect(symlink("/dev/urandom", scratch.path + "/in/random.xml") == 0)
        }
        #expect(!run.outcome.timedOut, "the run blocked on the named pipe")
        try run.expectFailedFile("pipe.xml", phrase: "cannot read file: it is a named pipe (FIFO), not a regular file")
        #expect(run.outcome.stderr.contains("it is a character device, not a regular file"), "\(run.outcome.stderr)")
    }

    // MARK: - Size and shape

    @Test("100 000 levels of nesting fail at level 257")
    func deepNesting() throws {
        let run = try HostileRun("deep") { scratch in
            let depth = 100_000
            try scratch.write("in/deep.xml", dvcqgExport(
                dvcqgRecord(id: "D", extra: "\n<GhiChu>" + String(repeating: "<a>", count: depth)
                    + String(repeating: "</a>", count: depth) + "</GhiChu>")))
            try scratch.write("in/deep-root.xml", String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth))
        }
        try run.expectFailedFile("deep.xml", phrase: "nested more than 256 levels")
        try run.expectFailedFile("deep-root.xml", phrase: "root element is <a>")
        #expect(run.outcome.peakMemory < HostileRun.memoryBound)
    }

    @Test("inspect shows why a hostile file fails, with its line once")
    func inspectNamesTheFailure() throws {
        let scratch = Scratch("inspect")
        let file = try scratch.write("deep.xml", dvcqgExport(
            dvcqgRecord(id: "D", extra: "\n<GhiChu>" + String(repeating: "<a>", count: 300) + "</GhiChu>")))
        let outcome = try ChildProcess.run(["inspect", file, "--dialect", repositoryRoot + "/Pipelines/dialects/dvcqg.yaml"])
        #expect(outcome.exitCode == 65)
        #expect(outcome.stdout.contains(
            "FAILED:      elements are nested more than 256 levels deep (line 13) — the whole file would not be counted"),
            "\(outcome.stdout)")
    }

    @Test("A 100 MB text node in an unmapped element is read, in bounded memory")
    func hugeUnmappedTextNode() throws {
        let run = try HostileRun("text-100mb") { scratch in
            try writeLarge(
                scratch.path + "/in/note.xml",
                head: dvcqgExport(dvcqgRecord(id: "BEFORE")).replacingOccurrences(of: "</DanhSachHoSo>\n", with: "")
                    + "  <HoSo><MaHoSo>BIG</MaHoSo><GhiChu>",
                repeat: Array("Ghi chú rất dài. ".utf8) + Array(repeating: UInt8(ascii: "x"), count: 1_048_576 - 19),
                count: 100,
                tail: "</GhiChu><MaTTHC>9.000001</MaTTHC><TrangThaiHoSo>1</TrangThaiHoSo></HoSo>\n"
                    + dvcqgRecord(id: "AFTER") + "</DanhSachHoSo>\n")
        }
        #expect(run.outcome.exitCode == 0, "\(run.outcome.stderr)")
        let report = try run.fileReport("note.xml")
        #expect(report["status"] as? String == "ok")
        #expect((report["records"] as? NSNumber)?.intValue == 3)
        #expect((report["bytes"] as? NSNumber)?.intValue ?? 0 > 100_000_000)
        #expect(run.outcome.peakMemory < HostileRun.memoryBound, "peak \(run.outcome.peakMemory / 1_048_576) MB")
    }

    @Test("A 100 MB mapped text node fails at the 1 MiB value limit, in bounded memory")
    func hugeMappedTextNode() throws {
        let run = try HostileRun("mapped-100mb") { scratch in
            try writeLarge(
                scratch.path + "/in/name.xml",
                head: "<DanhSachHoSo NgayXuat=\"20221201020000\">\n<HoSo><MaHoSo>N</MaHoSo>\n<TenTTHC>",
                repeat: Array(repeating: UInt8(ascii: "y"), count: 1_048_576), count: 100,
                tail: "</TenTTHC></HoSo></DanhSachHoSo>\n")
        }
        try run.expectFailedFile("name.xml", phrase: "value of <TenTTHC> is longer than 1048576 bytes")
        #expect((try run.fileReport("name.xml")["line"] as? NSNumber)?.intValue == 3)
        #expect(run.outcome.peakMemory < HostileRun.memoryBound, "peak \(run.outcome.peakMemory / 1_048_576) MB")
    }

    @Test("A 50 MB attribute fails (mapped or not), in bounded memory", arguments: ["igate", "dvcqg"])
    func hugeAttribute(dialect: String) throws {
        let run = try HostileRun("attribute-50mb-\(dialect)", dialect: dialect) { scratch in
            // igate maps @ma (the dossier id); dvcqg maps no attribute of <GhiChu>.
            let head = dialect == "igate"
                ? "<BaoCao><DuLieu>\n<hoSo trangThai=\"da_tra_kq\" ma=\""
                : "<DanhSachHoSo>\n<HoSo><MaHoSo>A</MaHoSo><GhiChu note=\""
            let tail = dialect == "igate" ? "\"/></DuLieu></BaoCao>\n" : "\"/></HoSo></DanhSachHoSo>\n"
            try writeLarge(scratch.path + "/in/attribute.xml", head: head,
                           repeat: Array(repeating: UInt8(ascii: "z"), count: 1_048_576), count: 50, tail: tail)
        }
        try run.expectFailedFile("attribute.xml", phrase: "longer than 10 MB")
        #expect((try run.fileReport("attribute.xml")["line"] as? NSNumber)?.intValue == 2)
        #expect(run.outcome.peakMemory < HostileRun.memoryBound, "peak \(run.outcome.peakMemory / 1_048_576) MB")
    }

    // MARK: - Encodings

    @Test("Invalid UTF-8 fails the file with its line and the bytes")
    func invalidUTF8() throws {
        let run = try HostileRun("utf8") { scratch in
            let text = dvcqgExport(dvcqgRecord(id: "A") + dvcqgRecord(id: "B@"))
            var bytes = Array(text.utf8)
            let at = try #require(bytes.firstIndex(of: UInt8(ascii: "@")))
            bytes.replaceSubrange(at...at, with: [0xC3, 0x28])  // a lead byte without its continuation
            try scratch.write("in/utf8.xml", bytes)
        }
        try run.expectFailedFile("utf8.xml", phrase: "Input is not proper UTF-8")
        #expect((try run.fileReport("utf8.xml")["line"] as? NSNumber)?.intValue == 15)
    }

    @Test("An encoding libxml2 does not know fails the file, naming it")
    func unknownEncoding() throws {
        let run = try HostileRun("tcvn3") { scratch in
            try scratch.write("in/tcvn3.xml", dvcqgExport(
                dvcqgRecord(id: "T"), prolog: "<?xml version=\"1.0\" encoding=\"TCVN3-ABC\"?>\n"))
        }
        try run.expectFailedFile("tcvn3.xml", phrase: "TCVN3-ABC")
    }

    /// A Vietnamese procedure name that is not in the demo catalogue, so procedures.csv shows
    /// the name as read (NFC) from the export.
    static let vietnameseName = "Cấp giấy phép xây dựng nhà ở riêng lẻ Đường Ưu Ứng"

    /// Encodes the name-bearing document in `encoding` and checks it is read like UTF-8.
    func expectReadLikeUTF8(_ name: String, bytes: (String) throws -> [UInt8]) throws {
        let declaredDocument = { (encoding: String) in
            dvcqgExport(dvcqgRecord(id: "ENC-1", code: "9.777777", name: Self.vietnameseName),
                        prolog: "<?xml version=\"1.0\" encoding=\"\(encoding)\"?>\n")
        }
        let run = try HostileRun("encoding-\(name)") { scratch in
            try scratch.write("in/\(name).xml", try bytes(declaredDocument(name)))
        }
        #expect(run.outcome.exitCode == 0, "\(run.outcome.stderr)")
        let report = try run.fileReport("\(name).xml")
        #expect(report["status"] as? String == "ok")
        #expect((report["records"] as? NSNumber)?.intValue == 1)
        let procedures = try read(run.output + "/procedures.csv")
        let row = procedures.split(separator: "\n").first { $0.contains(",9.777777,") }
        #expect(row?.hasPrefix("000.00.99.H55,9.777777,\(Self.vietnameseName),") == true, "\(String(describing: row))")
    }

    @Test("A UTF-16 file (either byte order, with its byte-order mark) is read like UTF-8")
    func utf16() throws {
        try expectReadLikeUTF8("UTF-16") { text in
            [0xFF, 0xFE] + text.utf16.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
        }
        try expectReadLikeUTF8("UTF-16BE") { text in
            text.utf16.flatMap { [UInt8(truncatingIfNeeded: $0 >> 8), UInt8(truncatingIfNeeded: $0)] }
        }
    }

    @Test("A windows-1258 file (legacy Vietnamese, tones as combining marks) is read and normalised to NFC")
    func windows1258() throws {
        try expectReadLikeUTF8("windows-1258") { text in try Windows1258.encode(text) }
    }
}

/// Enough of windows-1258 to encode Vietnamese: the Latin-1-like upper half with Vietnamese
/// letters (ă â đ ê ô ơ ư and capitals) and five combining tone marks; other letters decomposed.
enum Windows1258 {
    struct Unencodable: Error { var character: Character }

    static let upperHalf: [UInt16: UInt8] = {
        // Code points of bytes 0xC0…0xFF (windows-1258), 0 where the byte is not a letter we need.
        let table: [UInt16] = [
            0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x00C5, 0x00C6, 0x00C7, 0x00C8, 0x00C9, 0x00CA, 0x00CB,
            0x0300, 0x00CD, 0x00CE, 0x00CF, 0x0110, 0x00D1, 0x0309, 0x00D3, 0x00D4, 0x01A0, 0x00D6, 0x00D7,
            0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x01AF, 0x0303, 0x00DF, 0x00E0, 0x00E1, 0x00E2, 0x0103,
            0x00E4, 0x00E5, 0x00E6, 0x00E7, 0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0301, 0x00ED, 0x00EE, 0x00EF,
            0x0111, 0x00F1, 0x0323, 0x00F3, 0x00F4, 0x01A1, 0x00F6, 0x00F7, 0x00F8, 0x00F9, 0x00FA, 0x00FB,
            0x00FC, 0x01B0, 0x20AB, 0x00FF,
        ]
        var map: [UInt16: UInt8] = [:]
        for (offset, scalar) in table.enumerated() { map[scalar] = UInt8(0xC0 + offset) }
        return map
    }()

    static func encode(_ text: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        for character in text {
            if let bytesOfCharacter = encodeComposed(String(character)) {
                bytes += bytesOfCharacter
                continue
            }
            // Base letter (with its circumflex, breve or horn) precomposed, the tone mark combining.
            let scalars = Array(String(character).decomposedStringWithCanonicalMapping.unicodeScalars)
            var encoded: [UInt8]?
            for split in stride(from: scalars.count - 1, to: 0, by: -1) {
                var base = String.UnicodeScalarView()
                base.append(contentsOf: scalars[..<split])
                var marks = String.UnicodeScalarView()
                marks.append(contentsOf: scalars[split...])
                if let head = encodeComposed(String(base).precomposedStringWithCanonicalMapping),
                   let tail = encodeComposed(String(marks)) {
                    encoded = head + tail
                    break
                }
            }
            guard let encoded else { throw Unencodable(character: character) }
            bytes += encoded
        }
        return bytes
    }

    private static func encodeComposed(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                bytes.append(UInt8(scalar.value))
            } else if scalar.value <= 0xFFFF, let byte = upperHalf[UInt16(scalar.value)] {
                bytes.append(byte)
            } else {
                return nil
            }
        }
        return bytes
    }
}
