import Foundation
import OneStopEmit
import Testing
import ZIPFoundation
@testable import OneStopReport

/// The streaming zip writer, read back by ZIPFoundation's reader (which checks each entry's
/// CRC-32) and by Python's `zipfile`: readers that share no code with it.
@Suite struct ZipStreamTests {
    /// Text that deflate cannot shrink to nothing: a few hundred kB of pseudo-random digits.
    static let bulky: String = {
        var state: UInt64 = 42
        var text = ""
        for _ in 0..<60_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            text += String(state >> 40) + ","
        }
        return text
    }()

    static func archive(zip64Threshold: UInt64 = 0xFFFF_FFFF) throws -> [UInt8] {
        let writer = OutputWriter()
        let zip = ZipStream(writer: writer, name: "test.zip", zip64Threshold: zip64Threshold)
        try zip.addEntry("a.txt", text: "hello, Đắk Lắk")
        try zip.addEntry("empty.txt", text: "")
        try zip.addEntry("dir/bulky.txt") { sink throws(EmitError) in
            // In pieces of every size, across the sink's buffer.
            var rest = Substring(bulky)
            var size = 1
            while !rest.isEmpty {
                try sink.write(String(rest.prefix(size)))
                rest = rest.dropFirst(size)
                size = size * 3 % 70_001 + 1
            }
        }
        try zip.finish()
        return writer.bytes
    }

    static func read(_ bytes: [UInt8]) throws -> [String: String] {
        let archive = try Archive(data: Data(bytes), accessMode: .read)
        var entries: [String: String] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            entries[entry.path] = String(decoding: data, as: UTF8.self)
        }
        return entries
    }

    static let expected = ["a.txt": "hello, Đắk Lắk", "empty.txt": "", "dir/bulky.txt": bulky]

    @Test func entriesComeBackWhole() throws {
        let bytes = try Self.archive()
        #expect(try Self.read(bytes) == Self.expected)
        #expect(bytes.count < Self.bulky.utf8.count, "deflated")
        #expect(try Self.archive() == bytes, "the same entries give the same bytes")
    }

    @Test func zip64RecordsWhereSizesOrOffsetsAreLarge() throws {
        // A threshold of 1 byte makes every size and offset "large": the ZIP64 extra fields,
        // end record and locator are written and must read back as the plain archive does.
        let bytes = try Self.archive(zip64Threshold: 1)
        #expect(try Self.read(bytes) == Self.expected)
        let endRecord: [UInt8] = [0x50, 0x4B, 0x06, 0x06]
        #expect(bytes.indices.contains { bytes[$0...].starts(with: endRecord) }, "a ZIP64 end of central directory")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("zip64-\(UUID().uuidString).zip").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let script = """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1]) as z:
                assert z.testzip() is None
                print(",".join(f"{i.filename}:{i.file_size}" for i in z.infolist()))
            """
        let result = try runProgram("python3", ["-c", script, path])
        #expect(result.status == 0)
        #expect(result.output == "a.txt:\("hello, Đắk Lắk".utf8.count),empty.txt:0,dir/bulky.txt:\(Self.bulky.utf8.count)\n")
    }
}
