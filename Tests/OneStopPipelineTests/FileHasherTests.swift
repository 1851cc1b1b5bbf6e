import Crypto
import Testing
@testable import OneStopPipeline

@Suite("File hashes")
struct FileHasherTests {
    @Test("The helper thread's SHA-256 equals the inline one, whatever the chunk sizes", arguments: [false, true])
    func backgroundEqualsInline(background: Bool) {
        var bytes = [UInt8](repeating: 0, count: 3_000_000)
        var state: UInt32 = 1
        for index in bytes.indices {
            state = state &* 1_664_525 &+ 1_013_904_223
            bytes[index] = UInt8(truncatingIfNeeded: state >> 24)
        }
        let expected = hex(SHA256.hash(data: bytes))
        let hasher = FileHasher(background: background, chunkCapacity: 64 * 1024)
        var offset = 0
        var size = 1
        bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let count = min(size, buffer.count - offset)
                hasher.add(UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count]))
                offset += count
                size = size * 3 % 300_007 + 1  // 1 byte up to several slots at once
            }
        }
        #expect(hasher.finish() == expected)
        #expect(FileHasher(background: background).finish() == hex(SHA256.hash(data: [UInt8]())))
    }
}
