#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole pages straight from the kernel, given back the moment they are freed: the segments of
/// a file's versions are freed while the store's grow, often on another thread, and memory
/// freed into one thread's malloc arena is not reused by another's nor returned to the system.
enum Pages {
    static func allocate<Element>(_ type: Element.Type, count: Int) -> UnsafeMutablePointer<Element> {
        let bytes = count * MemoryLayout<Element>.stride
        #if canImport(Glibc) || canImport(Darwin)
        guard let raw = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              raw != MAP_FAILED
        else { fatalError("out of memory (mmap of \(bytes) bytes)") }
        return raw.bindMemory(to: Element.self, capacity: count)
        #else
        return .allocate(capacity: count)
        #endif
    }

    static func deallocate<Element>(_ pointer: UnsafeMutablePointer<Element>, count: Int) {
        #if canImport(Glibc) || canImport(Darwin)
        munmap(UnsafeMutableRawPointer(pointer), count * MemoryLayout<Element>.stride)
        #else
        pointer.deallocate()
        #endif
    }
}

/// Packed dossiers with their ids, in fixed-size segments: about 64 bytes per dossier plus its
/// id's bytes and a 9-byte reference, and no growth by copying (a copy would briefly double the
/// memory of the largest structure of a run). Deduplication keeps the winners in one; a file
/// being read holds its versions in another until it is known to be whole (R8).
///
/// One thread builds a table; once built it may be read from many threads at once (the class is
/// `@unchecked Sendable` on that contract: nothing mutates it after it is handed over). For the
/// same reason its stored properties skip Swift's dynamic exclusivity checks, which took a
/// visible share of the per-record path in profiles.
public final class DossierTable: @unchecked Sendable {
    /// The table the packed dossiers' codes index.
    public let strings: StringTable
    @exclusivity(unchecked) public private(set) var count = 0

    @usableFromInline static let segmentShift = 14
    @usableFromInline static let segmentSize = 1 << segmentShift
    private static let arenaChunk = 1 << 18

    @exclusivity(unchecked) @usableFromInline var packedSegments: [UnsafeMutablePointer<PackedDossier>] = []
    /// Per dossier: arena chunk (high 32 bits) and offset (low 32 bits) of its length-prefixed id.
    @exclusivity(unchecked) @usableFromInline var idSegments: [UnsafeMutablePointer<UInt64>] = []
    @exclusivity(unchecked) @usableFromInline var arena: [UnsafeMutablePointer<UInt8>] = []
    /// Size of each arena chunk (most are `arenaChunk`; an id longer than that gets its own).
    @exclusivity(unchecked) private var arenaSizes: [Int] = []
    @exclusivity(unchecked) private var arenaUsed = 0
    @exclusivity(unchecked) private var arenaCapacity = 0
    /// The supplement requests of dossiers with more than one (the packed form holds one).
    @exclusivity(unchecked) private var waitStore = SupplementWaitStore()

    public init(strings: StringTable) {
        self.strings = strings
    }

    /// Packs every dossier (codes interned in a new table, or in `strings`).
    public convenience init(_ dossiers: [Dossier], strings: StringTable = StringTable()) {
        self.init(strings: strings)
        for dossier in dossiers {
            var id = dossier.id
            id.withUTF8 { bytes in
                _ = append(PackedDossier(dossier, strings: strings), id: bytes,
                           waits: dossier.supplements.count > 1 ? dossier.supplements.map(\.wait) : nil)
            }
        }
    }

    deinit {
        for segment in packedSegments { Pages.deallocate(segment, count: Self.segmentSize) }
        for segment in idSegments { Pages.deallocate(segment, count: Self.segmentSize) }
        for (chunk, size) in zip(arena, arenaSizes) { Pages.deallocate(chunk, count: size) }
        waitStore.removeAll()
    }

    /// Adds a dossier; `waits` are its supplement requests when it has more than one (nil
    /// otherwise). Returns its index.
    @discardableResult
    public func append(_ packed: PackedDossier, id: UnsafeBufferPointer<UInt8>, waits: [SupplementWait]?) -> Int {
        let index = count
        if index & (Self.segmentSize - 1) == 0 {
            packedSegments.append(Pages.allocate(PackedDossier.self, count: Self.segmentSize))
            idSegments.append(Pages.allocate(UInt64.self, count: Self.segmentSize))
        }
        var packed = packed
        if packed.supplementCount > 1 {
            // The place of its requests (or none given), never another table's.
            packed.waitRequestedSeconds = waits.map { waitStore.keep($0) } ?? PackedDossier.none
        }
        (packedSegments[index >> Self.segmentShift] + (index & (Self.segmentSize - 1))).initialize(to: packed)
        (idSegments[index >> Self.segmentShift] + (index & (Self.segmentSize - 1))).initialize(to: store(id))
        count += 1
        return index
    }

    /// Replaces the dossier at `index` (a later version of the same id).
    public func replace(_ index: Int, with packed: PackedDossier, waits: [SupplementWait]?) {
        precondition(index >= 0 && index < count)
        var packed = packed
        if packed.supplementCount > 1 {
            let earlier = self[index]
            packed.waitRequestedSeconds = waits.map {
                waitStore.keep($0, replacing: earlier.supplementCount > 1 ? earlier.waitRequestedSeconds : nil)
            } ?? PackedDossier.none
        }
        packedSegments[index >> Self.segmentShift][index & (Self.segmentSize - 1)] = packed
    }

    @inlinable
    public subscript(index: Int) -> PackedDossier {
        packedSegments[index >> Self.segmentShift][index & (Self.segmentSize - 1)]
    }

    /// The supplement requests of dossier `index` that R13 reads: its one request, or all of
    /// them when it has more, in document order; empty when it has none.
    public func waits(at index: Int) -> [SupplementWait] {
        let packed = self[index]
        if let only = packed.onlyWait { return [only] }
        return manyWaits(packed) ?? []
    }

    /// The requests of dossier `index` when it has more than one, else nil.
    public func manyWaits(at index: Int) -> [SupplementWait]? {
        manyWaits(self[index])
    }

    /// The requests of `packed`, a dossier of this table, when it has more than one (and they
    /// were given), else nil. Their place is in its single-request fields, unused then.
    private func manyWaits(_ packed: PackedDossier) -> [SupplementWait]? {
        guard packed.supplementCount > 1, packed.waitRequestedSeconds >= 0 else { return nil }
        return waitStore.waits(at: packed.waitRequestedSeconds)
    }

    /// Runs `body` on the UTF-8 bytes of dossier `index`'s id.
    @inlinable
    public func withID<Result>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows
        -> Result
    {
        let reference = idSegments[index >> Self.segmentShift][index & (Self.segmentSize - 1)]
        var cursor = UnsafePointer(arena[Int(reference >> 32)] + Int(reference & 0xFFFF_FFFF))
        var length = 0
        var shift = 0
        while true {
            let byte = cursor.pointee
            cursor += 1
            length |= Int(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        return try body(UnsafeBufferPointer(start: cursor, count: length))
    }

    /// Calls `body` with each dossier in order (its index, packed form, id bytes and requests
    /// when it has more than one), freeing the memory of those already visited as it goes, then
    /// empties the table: how a file's versions move into deduplication without the two copies
    /// existing at once.
    public func drain(_ body: (Int, PackedDossier, UnsafeBufferPointer<UInt8>, [SupplementWait]?) -> Void) {
        var freedChunks = 0
        for index in 0..<count {
            let reference = idSegments[index >> Self.segmentShift][index & (Self.segmentSize - 1)]
            let chunk = Int(reference >> 32)
            // Ids are stored in order: chunks before this id's hold only visited ids.
            while freedChunks < chunk {
                Pages.deallocate(arena[freedChunks], count: arenaSizes[freedChunks])
                freedChunks += 1
            }
            let packed = self[index]
            // Only a dossier with several requests has an entry: no lookup for the others.
            let waits = manyWaits(packed)
            withID(at: index) { body(index, packed, $0, waits) }
            if index & (Self.segmentSize - 1) == Self.segmentSize - 1 || index == count - 1 {
                Pages.deallocate(packedSegments[index >> Self.segmentShift], count: Self.segmentSize)
                Pages.deallocate(idSegments[index >> Self.segmentShift], count: Self.segmentSize)
            }
        }
        for chunk in freedChunks..<arena.count { Pages.deallocate(arena[chunk], count: arenaSizes[chunk]) }
        packedSegments = []
        idSegments = []
        arena = []
        arenaSizes = []
        arenaUsed = 0
        arenaCapacity = 0
        waitStore.removeAll()
        count = 0
    }

    /// The id of dossier `index`.
    public func id(at index: Int) -> String {
        withID(at: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Copies `id`, length first (LEB128), into the arena; returns its reference.
    private func store(_ id: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let needed = id.count + 10
        if arenaUsed + needed > arenaCapacity {
            arenaCapacity = max(Self.arenaChunk, needed)
            arena.append(Pages.allocate(UInt8.self, count: arenaCapacity))
            arenaSizes.append(arenaCapacity)
            arenaUsed = 0
        }
        let chunk = arena[arena.count - 1]
        let reference = UInt64(arena.count - 1) << 32 | UInt64(arenaUsed)
        var length = id.count
        while length >= 0x80 {
            chunk[arenaUsed] = UInt8(length & 0x7F) | 0x80
            arenaUsed += 1
            length >>= 7
        }
        chunk[arenaUsed] = UInt8(length)
        arenaUsed += 1
        if let base = id.baseAddress, id.count > 0 {
            (chunk + arenaUsed).update(from: base, count: id.count)
        }
        arenaUsed += id.count
        return reference
    }
}
