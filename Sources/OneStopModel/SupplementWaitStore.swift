/// The supplement requests of the dossiers of a `DossierTable` that have more than one, 16 bytes
/// a request in page-sized chunks; the table keeps each one's place in the packed dossier's
/// single-request fields, unused then. An array per dossier in a dictionary cost a 32-byte
/// header, 24 bytes a request, malloc's and the dictionary's overhead: about 150 bytes more per
/// such dossier, which broke the memory bound on exports where every dossier has several
/// requests. Not thread-safe: its table's contract.
struct SupplementWaitStore {
    /// Requests per chunk: 256 KiB; a dossier's requests never straddle two chunks (at most
    /// 10,000 requests a record reach the store, fewer than a chunk holds).
    private static let chunkRequests = 1 << 14
    /// `answered` when the request was not answered.
    private static let unanswered = Int64.min

    /// Pairs of (requested, answered) seconds.
    private var chunks: [UnsafeMutablePointer<Int64>] = []
    private var usedInLastChunk = 0

    /// Keeps `waits` and returns where: chunk (bits 40…), first request in it (bits 16…39) and
    /// count (bits 0…15), never negative. `earlier`, the place of the same dossier's requests
    /// before, is written over when they fit there.
    mutating func keep(_ waits: [SupplementWait], replacing earlier: Int64? = nil) -> Int64 {
        precondition(waits.count < 1 << 16 && waits.count <= Self.chunkRequests)
        let place: (chunk: Int, first: Int)
        if let earlier, earlier >= 0, Int(earlier & 0xFFFF) >= waits.count {
            place = (Int(earlier >> 40), Int(earlier >> 16 & 0xFF_FFFF))
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
        return Int64(place.chunk) << 40 | Int64(place.first) << 16 | Int64(waits.count)
    }

    /// The requests kept at `place` (from `keep`), in document order.
    func waits(at place: Int64) -> [SupplementWait] {
        let pairs = chunks[Int(place >> 40)] + 2 * Int(place >> 16 & 0xFF_FFFF)
        return (0..<Int(place & 0xFFFF)).map { offset in
            let answered = pairs[2 * offset + 1]
            return SupplementWait(
                requested: Instant(secondsSinceEpoch: pairs[2 * offset]),
                answered: answered == Self.unanswered ? nil : Instant(secondsSinceEpoch: answered))
        }
    }

    /// Frees every chunk.
    mutating func removeAll() {
        for chunk in chunks { Pages.deallocate(chunk, count: 2 * Self.chunkRequests) }
        chunks = []
        usedInLastChunk = 0
    }
}
