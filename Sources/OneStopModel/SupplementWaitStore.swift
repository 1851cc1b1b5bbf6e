/// The supplement requests of the dossiers of a `DossierTable` that have more than one (the
/// packed form holds one), 16 bytes a request in page-sized chunks: an array per dossier cost a
/// 32-byte header, 24 bytes a request and malloc's overhead, which broke the memory bound on
/// exports where every dossier has several requests. Not thread-safe: its table's contract.
struct SupplementWaitStore {
    /// Requests per chunk: 256 KiB; a dossier's requests never straddle two chunks (at most
    /// 10,000 requests a record reach the store, fewer than a chunk holds).
    private static let chunkRequests = 1 << 14
    /// `answered` when the request was not answered.
    private static let unanswered = Int64.min

    /// Pairs of (requested, answered) seconds.
    private var chunks: [UnsafeMutablePointer<Int64>] = []
    private var usedInLastChunk = 0
    /// Dossier index → chunk (bits 40…), first request in it (bits 16…39) and count (bits 0…15).
    private var slots: [Int: UInt64] = [:]

    var isEmpty: Bool { slots.isEmpty }

    /// Keeps `waits` for dossier `index`, in the place of its earlier ones when they fit there.
    mutating func set(_ waits: [SupplementWait], at index: Int) {
        precondition(waits.count < 1 << 16 && waits.count <= Self.chunkRequests)
        let place: (chunk: Int, first: Int)
        if let slot = slots[index], Int(slot & 0xFFFF) >= waits.count {
            place = (Int(slot >> 40), Int(slot >> 16 & 0xFF_FFFF))
        } else {
            if chunks.isEmpty || usedInLastChunk + waits.count > Self.chunkRequests {
                chunks.append(Pages.allocate(Int64.self, count: 2 * Self.chunkRequests))
                usedInLastChunk = 0
            }
            place = (chunks.count - 1, usedInLastChunk)
            usedInLastChunk += waits.count
        }
        let pairs = chunks[place.chunk] + 2 * place.first
        for (offset, wait) in waits.enumerated() {
            pairs[2 * offset] = wait.requested.secondsSinceEpoch
            pairs[2 * offset + 1] = wait.answered?.secondsSinceEpoch ?? Self.unanswered
        }
        slots[index] = UInt64(place.chunk) << 40 | UInt64(place.first) << 16 | UInt64(waits.count)
    }

    /// The requests kept for dossier `index`, in document order; nil when none are.
    func waits(at index: Int) -> [SupplementWait]? {
        guard let slot = slots[index] else { return nil }
        let pairs = chunks[Int(slot >> 40)] + 2 * Int(slot >> 16 & 0xFF_FFFF)
        return (0..<Int(slot & 0xFFFF)).map { offset in
            let answered = pairs[2 * offset + 1]
            return SupplementWait(
                requested: Instant(secondsSinceEpoch: pairs[2 * offset]),
                answered: answered == Self.unanswered ? nil : Instant(secondsSinceEpoch: answered))
        }
    }

    mutating func remove(at index: Int) {
        slots[index] = nil
    }

    /// Frees every chunk and forgets every dossier's requests.
    mutating func removeAll() {
        for chunk in chunks { Pages.deallocate(chunk, count: 2 * Self.chunkRequests) }
        chunks = []
        usedInLastChunk = 0
        slots = [:]
    }
}
