import Testing
@testable import OneStopIngest

/// The checksum that proves a file read in pieces was parsed from the bytes it was hashed from.
@Suite("xxHash64")
struct XXHash64Tests {
    /// Values from the reference library (libxxhash 0.8.1, `XXH64(data, length, 0)`).
    @Test("Matches the reference implementation", arguments: [
        ("", 0xEF46_DB37_51D8_E999 as UInt64),
        ("a", 0xD24E_C4F1_A98C_6E5B),
        ("abc", 0x44BC_2CF5_AD77_0999),
        ("Nobody inspects the spammish repetition", 0xFBCE_A83C_8A37_8BF1),
        ("0123456789abcdef0123456789abcdef0123456789", 0xA761_90C3_ACF0_8A1C),
    ])
    func referenceValues(text: String, expected: UInt64) {
        var hash = XXHash64()
        Array(text.utf8).withUnsafeBytes { hash.update($0) }
        #expect(hash.finalize() == expected)
    }

    @Test("Fed in pieces of any size, it gives the one-shot value")
    func piecesDoNotMatter() {
        var state: UInt32 = 1
        let bytes = (0..<100_000).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
        for step in [1, 3, 7, 31, 32, 33, 4096, 65_537] {
            var hash = XXHash64()
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                var size = step
                while offset < buffer.count {
                    let count = min(size, buffer.count - offset)
                    hash.update(UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count]))
                    offset += count
                    size = size % 97 + step
                }
            }
            // libxxhash 0.8.1 on the same 100 000 bytes.
            #expect(hash.finalize() == 0x528A_2774_4C2D_3D05, "pieces from \(step) bytes")
        }
    }
}
