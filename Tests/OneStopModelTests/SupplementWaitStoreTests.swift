import Testing
@testable import OneStopModel

@Suite("Supplement requests kept flat")
struct SupplementWaitStoreTests {
    static func waits(_ count: Int, from start: Int64, answeredEvery step: Int = 2) -> [SupplementWait] {
        (0..<count).map { offset in
            let requested = start + Int64(offset) * 100
            return SupplementWait(requested: Instant(secondsSinceEpoch: requested),
                                  answered: offset % step == 0 ? Instant(secondsSinceEpoch: requested + 50) : nil)
        }
    }

    @Test("Each dossier's requests read back as kept, unanswered ones included, across many chunks")
    func roundTrip() {
        var store = SupplementWaitStore()
        // 40,000 dossiers of 2–6 requests: several 16,384-request chunks, some runs at a chunk's end.
        let kept = (0..<40_000).map { Self.waits(2 + $0 % 5, from: Int64($0) * 10_000) }
        for (index, waits) in kept.enumerated() { store.set(waits, at: index) }
        for (index, waits) in kept.enumerated() { #expect(store.waits(at: index) == waits, "dossier \(index)") }
        #expect(store.waits(at: 40_000) == nil)
        store.removeAll()
        #expect(store.isEmpty && store.waits(at: 0) == nil)
    }

    @Test("A later version's requests replace the earlier ones, fewer or more; removing forgets them")
    func replace() {
        var store = SupplementWaitStore()
        store.set(Self.waits(4, from: 1_000), at: 7)
        store.set(Self.waits(3, from: 9_000), at: 8)
        store.set(Self.waits(2, from: 5_000, answeredEvery: 1), at: 7)  // fewer: in place
        #expect(store.waits(at: 7) == Self.waits(2, from: 5_000, answeredEvery: 1))
        store.set(Self.waits(6, from: 7_000), at: 7)  // more: elsewhere
        #expect(store.waits(at: 7) == Self.waits(6, from: 7_000))
        #expect(store.waits(at: 8) == Self.waits(3, from: 9_000), "a neighbour is untouched")
        store.remove(at: 7)
        #expect(store.waits(at: 7) == nil && store.waits(at: 8) != nil)
        store.removeAll()
    }

    @Test("A table replacing a dossier of several requests by one of a single request forgets the list")
    func tableReplace() {
        let strings = StringTable()
        let at = { (seconds: Int64) in Instant(secondsSinceEpoch: seconds) }
        let several = Dossier(source: 0, id: "A", procedure: "P", status: .accepted,
                              supplements: [Supplement(requested: at(5)), Supplement(requested: at(6), answered: at(9))])
        let single = Dossier(source: 0, id: "A", procedure: "P", status: .accepted,
                             supplements: [Supplement(requested: at(7), answered: at(8))])
        let table = DossierTable([several], strings: strings)
        #expect(table.waits(at: 0).count == 2)
        table.replace(0, with: PackedDossier(single, strings: strings), waits: nil)
        #expect(table.waits(at: 0) == [SupplementWait(requested: at(7), answered: at(8))])
        #expect(table.manyWaits(at: 0) == nil)
    }
}
