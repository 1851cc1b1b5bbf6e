import OneStopModel
import Testing
@testable import OneStopNormalise

/// The store's index is keyed by a random per-store key (issue 12, item 6b): ids chosen to
/// collide cannot pile up, and nothing the store returns depends on the key.
@Suite("DossierStore's keyed index")
struct DossierStoreHashTests {
    /// `count` ids whose unkeyed hash (`hashBytes`, the store's hash before) has the same top
    /// eight bits: under it, they formed one run in the index and every commit walked it.
    static func craftedIDs(_ count: Int) -> [String] {
        var generator = SeededGenerator(state: 12)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        var ids: [String] = []
        while ids.count < count {
            let bytes = (0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            let top = bytes.withUnsafeBufferPointer { hashBytes($0) >> 56 }
            if top == 0xA5 { ids.append(String(decoding: bytes, as: UTF8.self)) }
        }
        return ids
    }

    /// Commits two files of the same ids (processing, then finished a day later) into a new store.
    static func store(_ ids: [String]) throws -> DossierStore {
        let normaliser = try RecordNormaliser(dialect: dvcqg, clock: hoChiMinh)
        let strings = StringTable()
        let store = DossierStore(strings: strings)
        for (day, status) in [(1, Status.processing), (2, Status.finished)] {
            let versions = FileVersions(strings: strings)
            let packer = RecordPacker(normaliser: normaliser, strings: strings)
            for (position, id) in ids.enumerated() {
                var raw = RawRecord(line: position + 1)
                raw[.dossierID] = id
                raw[.procedureCode] = "P"
                raw[.status] = String(status.rawValue)
                raw[.received] = "20220301000000"
                raw[.finished] = "20220302000000"
                raw.withView { view in
                    #expect(versions.add(view, position: position, source: 0, file: "d\(day).xml", packer: packer) == nil)
                }
            }
            store.commit(versions, file: store.registerFile(exportTime: local(2022, 3, day), path: "d\(day).xml"))
        }
        return store
    }

    @Test("Ids crafted to collide under the unkeyed hash are kept and found again like any others")
    func craftedIDsAreDeduplicated() throws {
        let ids = Self.craftedIDs(4_000)
        #expect(Set(ids).count == ids.count)
        let store = try Self.store(ids)
        #expect(store.count == ids.count)
        #expect(store.superseded == ids.count)
        let winners = store.winners
        #expect((0..<winners.count).allSatisfy { winners[$0].status == .finished })
        #expect((0..<winners.count).map { winners.id(at: $0) } == ids)
    }

    @Test("Two stores have different keys and keep the same winners in the same order")
    func keyChangesNothingReturned() throws {
        let id = Array("000.00.12.H55-221115-0001".utf8)
        let first = SipHashKey()
        let second = SipHashKey()
        #expect(first.k0 != second.k0 || first.k1 != second.k1)
        id.withUnsafeBufferPointer { bytes in
            #expect(first.hash(bytes) == first.hash(bytes))
            #expect(first.hash(bytes) != second.hash(bytes))
        }
        let ids = (0..<3_000).map { "HS-\($0 * 7919 % 3_001)" }
        let a = try Self.store(ids)
        let b = try Self.store(ids)
        #expect((0..<a.winners.count).map { a.winners.id(at: $0) } == (0..<b.winners.count).map { b.winners.id(at: $0) })
    }

    @Test("The keyed hash tells apart ids that differ in one byte, anywhere, at any length")
    func everyByteCounts() {
        let key = SipHashKey(0x0706_0504_0302_0100, 0x0F0E_0D0C_0B0A_0908)
        var seen = Set<UInt64>()
        for length in 0...40 {
            let base = [UInt8](repeating: UInt8(ascii: "A"), count: length)
            seen.insert(base.withUnsafeBufferPointer { key.hash($0) })
            for index in 0..<length {
                var changed = base
                changed[index] = UInt8(ascii: "B")
                seen.insert(changed.withUnsafeBufferPointer { key.hash($0) })
            }
        }
        #expect(seen.count == (0...40).reduce(0) { $0 + 1 + $1 })
    }
}
