import Crypto
import Foundation
import Testing
@testable import OneStopPipeline

@Suite("File hashes")
struct FileHasherTests {
    @Test("Chunks of any size, and the file read whole, give the file's SHA-256")
    func chunksAndWholeFile() throws {
        var bytes = [UInt8](repeating: 0, count: 3_000_000)
        var state: UInt32 = 1
        for index in bytes.indices {
            state = state &* 1_664_525 &+ 1_013_904_223
            bytes[index] = UInt8(truncatingIfNeeded: state >> 24)
        }
        let expected = hex(SHA256.hash(data: bytes))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onestop-hash-\(UUID().uuidString)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let inline = FileHasher()
        var offset = 0
        var size = 1
        bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let count = min(size, buffer.count - offset)
                inline.add(UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count]))
                offset += count
                size = size * 3 % 300_007 + 1
            }
        }
        #expect(inline.finish() == expected)
        #expect(hashWholeFile(path) == expected)
        #expect(FileHasher().finish() == hex(SHA256.hash(data: [UInt8]())))
        #expect(hashWholeFile(path + ".missing") == "")
    }
}
