/// R1's trimming and upper-casing on the bytes of an ASCII value, without making a String: the
/// common case of every code and date a record carries. Each gives what `TextNormaliser` gives
/// for the same ASCII text.
enum ASCIIText {
    /// The value's bounds without leading and trailing white space; nil when a byte is not ASCII.
    @inline(__always)
    static func trimmedBounds(_ bytes: UnsafeBufferPointer<UInt8>) -> (start: Int, end: Int)? {
        var nonASCII: UInt8 = 0
        for byte in bytes { nonASCII |= byte }
        guard nonASCII < 0x80 else { return nil }
        var start = 0
        var end = bytes.count
        while start < end, isWhitespace(bytes[start]) { start += 1 }
        while end > start, isWhitespace(bytes[end - 1]) { end -= 1 }
        return (start, end)
    }

    /// Copies `count` ASCII bytes from `source` to `target` with a–z upper-cased.
    @inline(__always)
    static func copyUpperCased(_ source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, count: Int) {
        var index = 0
        while index &+ 8 <= count {
            let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
            UnsafeMutableRawPointer(target + index).storeBytes(of: upperCased(word), as: UInt64.self)
            index &+= 8
        }
        while index < count {
            let byte = source[index]
            target[index] = byte &- 0x61 < 26 ? byte &- 0x20 : byte
            index &+= 1
        }
    }

    /// Eight ASCII bytes with a–z upper-cased (every byte below 0x80). For each byte b, b + 0x1F
    /// has its high bit set from "a" (0x61) up, and b + 0x05 from "{" (0x7B) up, so their
    /// difference marks exactly the lower-case letters; no carry crosses bytes, since b < 0x80.
    @inline(__always)
    static func upperCased(_ word: UInt64) -> UInt64 {
        let high: UInt64 = 0x8080_8080_8080_8080
        let fromA = word &+ 0x1F1F_1F1F_1F1F_1F1F
        let pastZ = word &+ 0x0505_0505_0505_0505
        let lower = (fromA & ~pastZ) & high
        return word ^ (lower >> 2)
    }

    /// White space as `Character.isWhitespace` sees it, for ASCII: tab, line feed, vertical tab,
    /// form feed, carriage return, space.
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }
}
