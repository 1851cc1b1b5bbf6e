/// xxHash64 (seed 0), fed in pieces of any size: a fast checksum (about 10 GB/s) that tells two
/// reads of the same bytes from reads of different ones. Not a defence against crafted
/// collisions — whoever can write an export can write anything into it — but any accidental
/// difference shows with certainty short of 2⁻⁶⁴.
public struct XXHash64: Sendable {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    private var lane1 = prime1 &+ prime2
    private var lane2 = prime2
    private var lane3: UInt64 = 0
    private var lane4: UInt64 = 0 &- prime1
    /// Bytes of an incomplete 32-byte stripe.
    private var stripe: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var stripeCount = 0
    private var length: UInt64 = 0

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        length &+= UInt64(bytes.count)
        var index = 0
        if stripeCount > 0 {
            let taken = min(32 - stripeCount, bytes.count)
            withUnsafeMutableBytes(of: &stripe) {
                ($0.baseAddress! + stripeCount).copyMemory(from: base, byteCount: taken)
            }
            stripeCount += taken
            index = taken
            guard stripeCount == 32 else { return }
            let words = stripe
            consume(words.0, words.1, words.2, words.3)
            stripeCount = 0
        }
        var (a, b, c, d) = (lane1, lane2, lane3, lane4)
        while index + 32 <= bytes.count {
            a = Self.round(a, base.loadUnaligned(fromByteOffset: index, as: UInt64.self).littleEndian)
            b = Self.round(b, base.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self).littleEndian)
            c = Self.round(c, base.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self).littleEndian)
            d = Self.round(d, base.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self).littleEndian)
            index += 32
        }
        (lane1, lane2, lane3, lane4) = (a, b, c, d)
        if index < bytes.count {
            stripeCount = bytes.count - index
            withUnsafeMutableBytes(of: &stripe) {
                $0.baseAddress!.copyMemory(from: base + index, byteCount: stripeCount)
            }
        }
    }

    /// The checksum of everything given so far.
    public func finalize() -> UInt64 {
        var hash: UInt64
        if length >= 32 {
            hash = Self.rotate(lane1, 1) &+ Self.rotate(lane2, 7) &+ Self.rotate(lane3, 12) &+ Self.rotate(lane4, 18)
            for lane in [lane1, lane2, lane3, lane4] {
                hash = (hash ^ Self.round(0, lane)) &* Self.prime1 &+ Self.prime4
            }
        } else {
            hash = Self.prime5
        }
        hash &+= length
        var rest = stripe
        let count = stripeCount
        withUnsafeBytes(of: &rest) { tail in
            var index = 0
            while index + 8 <= count {
                hash ^= Self.round(0, tail.loadUnaligned(fromByteOffset: index, as: UInt64.self).littleEndian)
                hash = Self.rotate(hash, 27) &* Self.prime1 &+ Self.prime4
                index += 8
            }
            if index + 4 <= count {
                hash ^= UInt64(tail.loadUnaligned(fromByteOffset: index, as: UInt32.self).littleEndian) &* Self.prime1
                hash = Self.rotate(hash, 23) &* Self.prime2 &+ Self.prime3
                index += 4
            }
            while index < count {
                hash ^= UInt64(tail[index]) &* Self.prime5
                hash = Self.rotate(hash, 11) &* Self.prime1
                index += 1
            }
        }
        hash ^= hash >> 33
        hash &*= Self.prime2
        hash ^= hash >> 29
        hash &*= Self.prime3
        return hash ^ (hash >> 32)
    }

    private mutating func consume(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) {
        lane1 = Self.round(lane1, a.littleEndian)
        lane2 = Self.round(lane2, b.littleEndian)
        lane3 = Self.round(lane3, c.littleEndian)
        lane4 = Self.round(lane4, d.littleEndian)
    }

    @inline(__always)
    private static func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
        rotate(accumulator &+ input &* prime2, 31) &* prime1
    }

    @inline(__always)
    private static func rotate(_ value: UInt64, _ bits: UInt64) -> UInt64 {
        (value << bits) | (value >> (64 - bits))
    }
}
