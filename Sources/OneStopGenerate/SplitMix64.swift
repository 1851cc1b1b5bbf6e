/// A small, fast, seedable random generator (SplitMix64). The generator derives one stream per
/// dossier from `(seed, source, dossier)`, so a dossier's life is a pure function of those three
/// numbers: files can be written in any order, on any number of threads, byte-identically.
struct SplitMix64: Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// A stream keyed by several numbers; different keys give unrelated streams.
    init(_ keys: UInt64...) {
        var mixed: UInt64 = 0x6A09_E667_F3BC_C909
        for key in keys {
            mixed = SplitMix64.mix(mixed ^ SplitMix64.mix(key &+ 0x9E37_79B9_7F4A_7C15))
        }
        state = mixed
    }

    /// The SplitMix64 finaliser: a good 64-bit mixing function on its own.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// Uniform in `0..<bound` (bound > 0); the tiny modulo bias does not matter here.
    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// Uniform in `range`.
    mutating func within(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// Uniform in `[0, 1)`.
    mutating func unit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }
}
