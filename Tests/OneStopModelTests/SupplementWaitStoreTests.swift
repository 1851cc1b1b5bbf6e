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
        let places = kept.map { store.keep($0) }
        #expect(places.allSatisfy { $0 >= 0 }, "a place is never negative: negative means none")
        #expect(Set(places).count == places.count)
        for (place, waits) in zip(places, kept) { #expect(store.waits(at: place) == waits) }
        store.removeAll()
    }

    @Test("A later version's requests take the earlier place when they fit, else a new one")
    func replace() {
        var store = SupplementWaitStore()
        let first = store.keep(Self.waits(4, from: 1_000))
        let neighbour = store.keep(Self.waits(3, from: 9_000))
        let fewer = store.keep(Self.waits(2, from: 5_000, answeredEvery: 1), replacing: first)
        #expect(fewer >> 16 == first >> 16, "fewer: in place")
        #expect(store.waits(at: fewer) == Self.waits(2, from: 5_000, answeredEvery: 1))
        let more = store.keep(Self.waits(6, from: 7_000), replacing: fewer)
        #expect(more >> 16 != first >> 16, "more: elsewhere")
        #expect(store.waits(at: more) == Self.waits(6, from: 7_000))
        #expect(store.waits(at: neighbour) == Self.waits(3, from: 9_000), "a neighbour is untouched")
        #expect(store.keep(Self.waits(2, from: 1), replacing: PackedDossier.none) >= 0, "none to replace: a new place")
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
        // And the other way: several requests again, then a table built from this one's rows.
        table.replace(0, with: PackedDossier(several, strings: strings), waits: several.supplements.map(\.wait))
        #expect(table.waits(at: 0) == several.supplements.map(\.wait))
        let copy = DossierTable(strings: strings)
        table.drain { _, packed, id, waits in copy.append(packed, id: id, waits: waits) }
        #expect(copy.waits(at: 0) == several.supplements.map(\.wait))
        // A dossier of several requests appended without them has none, not another table's.
        let bare = DossierTable(strings: strings)
        var id = "B"
        _ = id.withUTF8 { bare.append(PackedDossier(several, strings: strings), id: $0, waits: nil) }
        #expect(bare.waits(at: 0).isEmpty)
    }
}

@Suite("Packed dossiers compare as dossiers")
struct PackedDossierEqualityTests {
    @Test("A dossier of several requests equals itself whichever table holds it; one request still counts")
    func equality() {
        let strings = StringTable()
        let at = { (seconds: Int64) in Instant(secondsSinceEpoch: seconds) }
        let several = Dossier(source: 0, id: "A", procedure: "P", status: .accepted,
                              supplements: [Supplement(requested: at(5)), Supplement(requested: at(6), answered: at(9))])
        let packed = PackedDossier(several, strings: strings)
        let table = DossierTable(strings: strings)
        _ = table.append(packed, id: UnsafeBufferPointer(start: nil, count: 0), waits: nil)
        _ = table.append(packed, id: UnsafeBufferPointer(start: nil, count: 0), waits: several.supplements.map(\.wait))
        #expect(table[0] == packed && table[1] == packed && table[1].hashValue == packed.hashValue)
        let one = { (answered: Int64) in
            PackedDossier(Dossier(source: 0, id: "A", procedure: "P", status: .accepted,
                                  supplements: [Supplement(requested: at(5), answered: at(answered))]), strings: strings)
        }
        #expect(one(7) != one(8), "the single request is part of the dossier")
    }
}
