import OneStopModel

/// The valid versions of one file, packed, held until the file is known to be whole (R8), with
/// their positions in the file (R6).
public final class FileVersions {
    public let table: DossierTable
    /// Position in the file (counting every record, rejected ones too) of each version.
    @exclusivity(unchecked) private(set) var positions: [UInt32] = []

    public init(strings: StringTable) {
        table = DossierTable(strings: strings)
    }

    public var count: Int { table.count }

    /// Normalises the record at `position` in its file: kept here when valid, returned when rejected.
    public func add(
        _ view: RawRecordView, position: Int, source: Int, file: String, packer: RecordPacker
    ) -> Reject? {
        precondition(position >= 0 && position <= Int(UInt32.max), "more than 2³² records in one file")
        let reject = packer.normalise(view, source: source, file: file, into: table)
        if reject == nil { positions.append(UInt32(position)) }
        return reject
    }

    /// The position in the file of version `index`.
    public func position(at index: Int) -> Int { Int(positions[index]) }

    func positionsDrained() { positions = [] }
}

/// Keeps the latest valid version of each (source, dossier id) (docs/contract.md §3.1, R5–R7), packed: the
/// deduplication behind a run. Same rules as `Deduplicator`, which works on whole `Dossier`
/// values; a test checks that both keep the same winners.
///
/// Memory per distinct dossier: its packed form (64 bytes), its id and a 9-byte reference to
/// it, its version's order (8 bytes: file number and position) and 8–16 bytes of hash index.
///
/// Dossier ids come from the exports, so the index's hash is keyed (SipHash-1-3 with a random
/// key per store): nobody can choose ids that pile up in one place of the index. With the
/// unkeyed hash it had before, 200 000 ids chosen to collide took 17 s to commit, against
/// 0.3 s for as many ordinary ids. The key changes nothing the store returns: winners are kept
/// in order of first appearance, and ties are broken by (export time, path, position) alone.
/// Files may commit in any order: the winner is decided by (export time, path, position) alone.
/// Not thread-safe: the run commits under its lock (so its stored properties skip Swift's
/// dynamic exclusivity checks).
public final class DossierStore {
    /// The winners, one per distinct (source, dossier id), in order of first appearance.
    public let winners: DossierTable
    /// Valid versions that lost to a later one.
    @exclusivity(unchecked) public private(set) var superseded = 0

    @exclusivity(unchecked) private var files: [(exportTime: Instant, path: String)] = []
    /// Per winner: file number (high 32 bits) and position in the file (low 32 bits).
    @exclusivity(unchecked) private var orders: [UnsafeMutablePointer<UInt64>] = []
    private static let segmentShift = 14
    private static let segmentSize = 1 << segmentShift
    /// Open addressing: 0 is empty, else the key's hash (high 32 bits) and winner index + 1.
    /// A key's home slot is the top bits of its hash, so growing moves entries by their stored
    /// bits alone: rereading every id (a cache miss each) took a third of the commits' time.
    @exclusivity(unchecked) private var index: UnsafeMutablePointer<UInt64>
    @exclusivity(unchecked) private var mask: Int
    /// 64 − log2(index capacity): `hash >> shift` is the home slot.
    @exclusivity(unchecked) private var shift: UInt64
    private let key = SipHashKey()

    public init(strings: StringTable) {
        winners = DossierTable(strings: strings)
        mask = 1023
        shift = 64 - 10
        index = .allocate(capacity: mask + 1)
        index.initialize(repeating: 0, count: mask + 1)
    }

    deinit {
        index.deallocate()
        for segment in orders { segment.deallocate() }
    }

    /// Number of distinct dossiers seen.
    public var count: Int { winners.count }

    /// Numbers a file whose versions are about to be committed.
    public func registerFile(exportTime: Instant, path: String) -> Int {
        files.append((exportTime, path))
        return files.count - 1
    }

    /// Offers every version of a file registered as `file`, emptying `versions` as it goes (so
    /// a file's versions and the winners they become are not both in memory at once);
    /// `positionOffset` is added to their positions (the records before them, when a file was
    /// read in pieces).
    public func commit(_ versions: FileVersions, file: Int, positionOffset: Int = 0) {
        precondition(file >= 0 && file < files.count)
        let table = versions.table
        let count = table.count
        // Room for every version being new, so a large file (all of whose dossiers may be new)
        // does not rehash the index several times on the way.
        if (winners.count + count + 1) * 4 > (mask + 1) * 3 { grow(toHold: winners.count + count + 1) }
        // Each offer starts with a random read of the index, which missed the cache on most
        // versions (three quarters of the time offers took in profiles). The keys' hashes are
        // computed first, in order, so the index slot of the version `lookahead` places ahead
        // can be read early: those reads do not depend on the offers and overlap with them.
        var hashes = [UInt64](repeating: 0, count: count)
        for version in 0..<count {
            hashes[version] = table.withID(at: version) { hash($0, source: table[version].source) }
        }
        let lookahead = 16
        var touched: UInt64 = 0
        table.drain { version, packed, id, waits in
            if version + lookahead < count {
                touched &+= index[home(hashes[version + lookahead])]
            }
            let position = versions.position(at: version) + positionOffset
            precondition(position <= Int(UInt32.max), "more than 2³² records in one file")
            offer(packed, id: id, hash: hashes[version], order: UInt64(file) << 32 | UInt64(position)) { waits }
        }
        touchedSum &+= touched
        versions.positionsDrained()
    }

    /// Keeps the early index reads of `commit` from being optimised away.
    @exclusivity(unchecked) private var touchedSum: UInt64 = 0

    @inline(__always)
    private func hash(_ id: UnsafeBufferPointer<UInt8>, source: Int) -> UInt64 {
        key.hash(id) &+ UInt64(source) &* 0x9E37_79B9_7F4A_7C15
    }

    /// The index slot where the search for a key of this hash starts.
    @inline(__always)
    private func home(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: hash >> shift)
    }

    @inline(__always)
    private func orderSlot(_ winner: Int) -> UnsafeMutablePointer<UInt64> {
        orders[winner >> Self.segmentShift] + (winner & (Self.segmentSize - 1))
    }

    /// Whether the version `candidate` orders after (or equal to) `current` (R6: export time,
    /// then path, then position; a later offer of an equal order wins, as in `Deduplicator`).
    @inline(__always)
    private func wins(_ candidate: UInt64, over current: UInt64) -> Bool {
        let candidateFile = Int(candidate >> 32)
        let currentFile = Int(current >> 32)
        if candidateFile != currentFile {
            let a = files[candidateFile]
            let b = files[currentFile]
            if a.exportTime != b.exportTime { return a.exportTime > b.exportTime }
            if a.path != b.path { return a.path > b.path }
        }
        return candidate & 0xFFFF_FFFF >= current & 0xFFFF_FFFF
    }

    private func offer(
        _ packed: PackedDossier, id: UnsafeBufferPointer<UInt8>, hash: UInt64, order: UInt64,
        waits: () -> [SupplementWait]?
    ) {
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var position = home(hash)
        while true {
            let entry = index[position]
            if entry == 0 { break }
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let winner = Int(entry & 0xFFFF_FFFF) - 1
                if winners[winner].source == packed.source,
                   winners.withID(at: winner, { $0.count == id.count && (id.isEmpty || bytesEqual($0.baseAddress!, id.baseAddress!, id.count)) })
                {
                    superseded += 1
                    let current = orderSlot(winner)
                    if wins(order, over: current.pointee) {
                        winners.replace(winner, with: packed, waits: waits())
                        current.pointee = order
                    }
                    return
                }
            }
            position = (position &+ 1) & mask
        }
        let winner = winners.append(packed, id: id, waits: waits())
        if winner & (Self.segmentSize - 1) == 0 { orders.append(.allocate(capacity: Self.segmentSize)) }
        orderSlot(winner).initialize(to: order)
        // The index keeps 32 bits of each hash, enough for homes in 2³² slots.
        precondition(winner < 1 << 31, "too many distinct dossiers")
        index[position] = tag | UInt64(winner + 1)
        if (winners.count + 1) * 4 > (mask + 1) * 3 { grow(toHold: winners.count + 1) }
    }

    /// Moves the entries into the smallest power-of-two index that holds `entries` under 3/4
    /// load; an entry's new home comes from its stored hash bits.
    private func grow(toHold entries: Int) {
        let old = index
        let oldCapacity = mask + 1
        var capacity = oldCapacity * 2
        while entries * 4 > capacity * 3 { capacity *= 2 }
        mask = capacity - 1
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        index = .allocate(capacity: mask + 1)
        index.initialize(repeating: 0, count: mask + 1)
        for slot in 0..<oldCapacity where old[slot] != 0 {
            var position = home(old[slot] & 0xFFFF_FFFF_0000_0000)
            while index[position] != 0 { position = (position &+ 1) & mask }
            index[position] = old[slot]
        }
        old.deallocate()
    }
}

/// SipHash-1-3 (the function behind Swift's `Hasher`) under a random 128-bit key: a hash of byte
/// strings that cannot be steered without the key. Written out for short keys: about 30 ns per
/// 20-byte dossier id, against about 90 through `Hasher` (and 10 for the unkeyed hash before).
struct SipHashKey: Sendable {
    let k0: UInt64
    let k1: UInt64

    init() {
        var generator = SystemRandomNumberGenerator()
        k0 = generator.next()
        k1 = generator.next()
    }

    init(_ k0: UInt64, _ k1: UInt64) {
        self.k0 = k0
        self.k1 = k1
    }

    @inline(__always)
    func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var state = State(
            v0: k0 ^ 0x736F_6D65_7073_6575, v1: k1 ^ 0x646F_7261_6E64_6F6D,
            v2: k0 ^ 0x6C79_6765_6E65_7261, v3: k1 ^ 0x7465_6462_7974_6573)
        let count = bytes.count
        var index = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index &+ 8 <= count {
                state.absorb(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                index &+= 8
            }
        }
        var last = UInt64(truncatingIfNeeded: count) << 56
        var shift: UInt64 = 0
        while index < count {
            last |= UInt64(bytes[index]) << shift
            shift &+= 8
            index &+= 1
        }
        state.absorb(last)
        state.v2 ^= 0xFF
        state.round()
        state.round()
        state.round()
        return state.v0 ^ state.v1 ^ state.v2 ^ state.v3
    }

    private struct State {
        var v0, v1, v2, v3: UInt64

        @inline(__always)
        mutating func absorb(_ word: UInt64) {
            v3 ^= word
            round()
            v0 ^= word
        }

        @inline(__always)
        mutating func round() {
            v0 &+= v1
            v1 = v1 << 13 | v1 >> 51
            v1 ^= v0
            v0 = v0 << 32 | v0 >> 32
            v2 &+= v3
            v3 = v3 << 16 | v3 >> 48
            v3 ^= v2
            v0 &+= v3
            v3 = v3 << 21 | v3 >> 43
            v3 ^= v0
            v2 &+= v1
            v1 = v1 << 17 | v1 >> 47
            v1 ^= v2
            v2 = v2 << 32 | v2 >> 32
        }
    }
}
