import Testing
@testable import OneStopModel

@Suite("Packed dossiers and borrowed records")
struct PackedDossierTests {
    @Test("A RawRecord laid out as a view copies back to itself")
    func viewRoundTrip() {
        var raw = RawRecord(line: 42)
        raw[.dossierID] = " A-1 "
        raw[.procedureName] = "Cấp giấy"
        raw[.status] = ""
        raw.supplements = [["20221117090000", nil, "x"], [nil, nil, nil]]
        raw.attachments = [["1"], [nil]]
        let copy = raw.withView { view in
            #expect(view.line == 42)
            #expect(view.supplementCount == 2 && view.attachmentCount == 2)
            #expect(view.value(.procedureCode) == nil)
            #expect(view.value(.status)?.count == 0)
            return view.makeRecord()
        }
        #expect(copy == raw)
    }

    @Test("A packed dossier keeps what the rules read")
    func packing() {
        let strings = StringTable()
        let at = { (seconds: Int64) in Instant(secondsSinceEpoch: seconds) }
        let dossier = Dossier(
            source: 3, id: "X", procedure: "P", procedureName: "Tên", field: nil, agency: "A", channel: .postal,
            returnMethod: .unknown, status: .finished, received: at(100), due: at(1_000), finished: nil,
            returned: at(900), supplements: [Supplement(requested: at(200), answered: at(260))], digitised: true)
        let packed = PackedDossier(dossier, strings: strings)
        #expect(packed.source == 3 && packed.status == .finished && packed.channel == .postal)
        #expect(packed.received == at(100) && packed.end == at(900))
        #expect(packed.effectiveDue == at(1_060))  // R11: due + answered - requested
        #expect(packed.due == at(1_000))  // the record's own
        #expect(packed.onlyWait == SupplementWait(requested: at(200), answered: at(260)))
        #expect(strings[packed.procedure] == "P" && packed.field == -1 && strings[packed.agency] == "A")
        #expect(MemoryLayout<PackedDossier>.size <= 72)

        let table = DossierTable([dossier, Dossier(source: 0, id: "Ý-2", procedure: "P", status: .accepted,
                                                   supplements: [Supplement(requested: at(5)), Supplement(requested: at(6), answered: at(9))])],
                                 strings: strings)
        #expect(table.count == 2 && table.id(at: 0) == "X" && table.id(at: 1) == "Ý-2")
        #expect(table.waits(at: 1) == [SupplementWait(requested: at(5), answered: nil), SupplementWait(requested: at(6), answered: at(9))])
        #expect(table[1].onlyWait == nil && table[1].supplementCount == 2)
    }
}
