import Foundation
import Testing
@testable import OneStopIngest

/// File names are bytes; Swift strings are Unicode. Every name must survive the trip.
@Suite("Lossless paths")
struct LosslessPathTests {
    @Test("Any bytes decode to a path that encodes back to the same bytes; two names never share a path")
    func everyByteStringRoundTrips() {
        var samples: [[UInt8]] = [
            Array("plain/tinh_2022.xml".utf8),
            Array("hồ sơ/Thái Nguyên.xml".utf8),
            [0x68, 0xE0, 0x20, 0x6E, 0xF4, 0x69],  // windows-1258 "hà nôi": not UTF-8
            [0xC3],  // a lead byte at the end
            [0xE0, 0x80, 0x80],  // overlong
            [0xED, 0xA0, 0x80],  // a surrogate
            [0xF4, 0x90, 0x80, 0x80],  // past U+10FFFF
            Array("\u{10FF85}".utf8),  // valid UTF-8 that looks like an escaped byte
            [0xF4, 0x8F, 0xBE, 0x85] + [0x85],
            Array("a\\xE0.xml".utf8),  // a real backslash
        ]
        var state: UInt32 = 7
        for length in 1...40 {
            samples.append((0..<length).map { _ in
                state = state &* 1_664_525 &+ 1_013_904_223
                return UInt8(truncatingIfNeeded: state >> 24) | 1  // no NUL
            })
        }
        var seen: [String: [UInt8]] = [:]
        for bytes in samples {
            let path = LosslessPath.decoding(bytes)
            #expect(LosslessPath.bytes(path) == bytes, "\(bytes)")
            LosslessPath.withFileSystemPath(path) { #expect(Array(UnsafeBufferPointer(start: $0, count: strlen($0))).map(UInt8.init(bitPattern:)) == bytes) }
            if let other = seen[path] { #expect(other == bytes, "two names decode to \(path)") }
            seen[path] = bytes
        }
        #expect(LosslessPath.decoding(Array("hồ sơ.xml".utf8)) == "hồ sơ.xml")
    }

    @Test("Outputs show each byte that is not UTF-8 as \\xNN, and UTF-8 as itself")
    func displayEscapesOnlyInvalidBytes() {
        #expect(LosslessPath.displayed(LosslessPath.decoding([0x68, 0xE0, 0x2E, 0x78, 0x6D, 0x6C])) == "h\\xE0.xml")
        #expect(LosslessPath.displayed(LosslessPath.decoding(Array("Thái Nguyên/a.xml".utf8))) == "Thái Nguyên/a.xml")
        #expect(LosslessPath.displayed(LosslessPath.decoding([0xC3, 0x28])) == "\\xC3(")
    }

    @Test("A file whose name is not UTF-8 is read under that name")
    func readsAFileWithAnInvalidName() throws {
        let dir = TempDir()
        let name: [UInt8] = Array("tinh_".utf8) + [0xE0, 0xFF] + Array(".xml".utf8)
        let raw = dir.url.path.utf8.map { $0 } + [UInt8(ascii: "/")] + name
        let fd = (raw.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer {
            open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        try #require(fd >= 0)
        let text = Array(dvcqgDocument(dvcqgRecord(id: "A")).utf8)
        _ = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        let outcome = readAll(LosslessPath.decoding(raw))
        #expect(outcome.error == nil)
        #expect(outcome.records.map { $0[.dossierID] } == ["A"])
    }
}
