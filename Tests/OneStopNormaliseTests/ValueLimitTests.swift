import OneStopModel
import Testing
@testable import OneStopNormalise

/// What the reference rules (`ReferenceNormaliser`) and the run's implementation (`RecordPacker`,
/// through the entry point a run calls) make of one record.
private struct Verdicts {
    var expected: NormalisedRecord
    var reject: Reject?
    var packed: PackedDossier?
    var packedID: String?
    var strings: StringTable

    init(_ raw: RawRecord, dialect: Dialect = dvcqg) throws {
        let normaliser = try RecordNormaliser(dialect: dialect, clock: hoChiMinh)
        strings = StringTable()
        let packer = RecordPacker(normaliser: normaliser, strings: strings)
        let table = DossierTable(strings: strings)
        expected = try ReferenceNormaliser(dialect: dialect, clock: hoChiMinh).normalise(raw, source: 1, file: "tinh/a.xml")
        var reject: Reject?
        raw.withView { view in
            reject = packer.normalise(view, source: 1, file: "tinh/a.xml", into: table)
        }
        self.reject = reject
        if table.count == 1 {
            packed = table[0]
            packedID = table.id(at: 0)
        }
    }

    /// Both accepted the record and agree on it.
    func expectAccepted(sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .dossier(let dossier) = expected else {
            Issue.record("the reference rejected it: \(expected)", sourceLocation: sourceLocation)
            return
        }
        #expect(reject == nil, sourceLocation: sourceLocation)
        #expect(packed == PackedDossier(dossier, strings: strings), sourceLocation: sourceLocation)
        #expect(packedID == dossier.id, sourceLocation: sourceLocation)
    }

    /// Both rejected the record with `reason` on `field`, and nothing was packed.
    func expectRejected(
        field: String, reason: RejectReason, dossierID: String?, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard case .rejected(let expectedReject) = expected else {
            Issue.record("the reference accepted it", sourceLocation: sourceLocation)
            return
        }
        #expect(expectedReject.field == field, sourceLocation: sourceLocation)
        #expect(expectedReject.reason == reason, sourceLocation: sourceLocation)
        #expect(expectedReject.dossierID == dossierID, sourceLocation: sourceLocation)
        #expect(expectedReject.file == "tinh/a.xml" && expectedReject.line == 3, sourceLocation: sourceLocation)
        #expect(reject == expectedReject, "the run's reject", sourceLocation: sourceLocation)
        #expect(packed == nil, "a rejected record was packed", sourceLocation: sourceLocation)
    }
}

/// An ASCII value of exactly `count` bytes (upper-case, so normalising does not change it).
private func value(_ count: Int) -> String {
    String(repeating: "A", count: count - 1) + "9"
}

@Suite("Bounded codes and names (ValueLimits): at the bound accepted, one byte over rejected")
struct ValueLimitTests {
    static let id = "000.00.12.H55-221115-00012"

    @Test("Each bounded field: the bound is accepted, one byte more is rejected", arguments: [
        (CanonicalField.dossierID, ValueLimits.dossierID, "MaHoSo"),
        (.procedureCode, ValueLimits.code, "MaTTHC"),
        (.procedureName, ValueLimits.procedureName, "TenTTHC"),
        (.field, ValueLimits.code, "MaLinhVuc"),
        (.agency, ValueLimits.code, "DonViXuLy"),
    ])
    func bound(field: CanonicalField, limit: Int, sourceName: String) throws {
        #expect(ValueLimits.limit(of: field) == limit)
        try Verdicts(record([field: value(limit)])).expectAccepted()

        let over = try Verdicts(record([field: value(limit + 1)]))
        // An overlong id is not usable in the reject row: the file and line find the record.
        over.expectRejected(field: sourceName, reason: .valueTooLong(bytes: limit + 1, limit: limit),
                            dossierID: field == .dossierID ? nil : Self.id)
        guard let reject = over.reject else { return }
        #expect(reject.reason.description == "value too long: \(limit + 1) bytes, at most \(limit)")
    }

    @Test("The limits: 64 bytes for ids and codes, 2 048 for names; unbounded fields have none")
    func limits() {
        #expect(ValueLimits.dossierID == 64)
        #expect(ValueLimits.code == 64)
        #expect(ValueLimits.procedureName == 2_048)
        for field in [CanonicalField.channel, .returnMethod, .status, .received, .due, .finished, .returned, .digitised] {
            #expect(ValueLimits.limit(of: field) == nil)
        }
    }

    @Test("The length is measured once normalised: surrounding white space and NFD do not count")
    func measuredAfterNormalisation() throws {
        // 64 bytes between 40 bytes of white space: over the bound raw, within it normalised.
        let padded = String(repeating: " ", count: 20) + value(64) + String(repeating: "\n", count: 20)
        for field in [CanonicalField.dossierID, .procedureCode, .field, .agency] {
            let verdicts = try Verdicts(record([field: padded]))
            verdicts.expectAccepted()
        }
        // "ấ" decomposed is 5 bytes (a + U+0302 + U+0301), composed 3: 600 × 5 bytes raw, 1 800 NFC.
        let decomposed = String(repeating: "a\u{0302}\u{0301}", count: 600)
        #expect(decomposed.utf8.count > ValueLimits.procedureName)
        try Verdicts(record([.procedureName: decomposed])).expectAccepted()
    }

    @Test("A code only longer once upper-cased is rejected (and not kept)")
    func longerOnceUpperCased() throws {
        // U+0250 "ɐ" (2 bytes) upper-cases to U+2C6F "Ɐ" (3 bytes): 64 bytes raw, 96 normalised.
        let turned = String(repeating: "\u{0250}", count: 32)
        #expect(turned.utf8.count == 64)
        #expect(TextNormaliser.code(turned)?.utf8.count == 96)
        for (field, name) in [(CanonicalField.procedureCode, "MaTTHC"), (.field, "MaLinhVuc"), (.agency, "DonViXuLy")] {
            try Verdicts(record([field: turned])).expectRejected(
                field: name, reason: .valueTooLong(bytes: 96, limit: 64), dossierID: Self.id)
        }
        try Verdicts(record([.dossierID: turned])).expectRejected(
            field: "MaHoSo", reason: .valueTooLong(bytes: 96, limit: 64), dossierID: nil)
    }

    @Test("A dialect default longer than the bound rejects the records that use it")
    func overlongDefault() throws {
        var dialect = dvcqg
        dialect.defaults[.agency] = value(65)
        try Verdicts(record([.agency: nil]), dialect: dialect).expectRejected(
            field: "DonViXuLy", reason: .valueTooLong(bytes: 65, limit: 64), dossierID: Self.id)
        try Verdicts(record([.agency: "X"]), dialect: dialect).expectAccepted()
    }

    @Test("Check order: an overlong value is reported before the checks that follow the procedure code")
    func checkOrder() throws {
        // Missing id comes first; then the id's length; then missing procedure; then lengths.
        try Verdicts(record([.dossierID: nil, .procedureCode: value(65)])).expectRejected(
            field: "MaHoSo", reason: .missingDossierID, dossierID: nil)
        try Verdicts(record([.dossierID: value(65), .procedureCode: nil])).expectRejected(
            field: "MaHoSo", reason: .valueTooLong(bytes: 65, limit: 64), dossierID: nil)
        try Verdicts(record([.procedureCode: nil, .agency: value(65)])).expectRejected(
            field: "MaTTHC", reason: .missingProcedureCode, dossierID: Self.id)
        // Name, then field, then agency; all before the status and the dates.
        try Verdicts(record([.procedureName: value(2_049), .field: value(65), .status: "x"])).expectRejected(
            field: "TenTTHC", reason: .valueTooLong(bytes: 2_049, limit: 2_048), dossierID: Self.id)
        try Verdicts(record([.field: value(65), .agency: value(66), .received: "bad"])).expectRejected(
            field: "MaLinhVuc", reason: .valueTooLong(bytes: 65, limit: 64), dossierID: Self.id)
    }

    @Test("A huge value (the reader's 1 MiB cap) is rejected with its length, not its text, and not kept")
    func hugeValue() throws {
        let huge = String(repeating: "x", count: 1_048_576)
        let verdicts = try Verdicts(record([.agency: huge]))
        verdicts.expectRejected(field: "DonViXuLy", reason: .valueTooLong(bytes: 1_048_576, limit: 64), dossierID: Self.id)
        #expect(!verdicts.strings.snapshot().contains { $0.utf8.count > ValueLimits.code }, "the huge value was not kept")
    }

    @Test("A reject quotes at most 100 bytes of the value it names, cut between characters")
    func quotedValuesAreBounded() throws {
        let huge = String(repeating: "9", count: 1_048_576)
        try Verdicts(record([.received: huge])).expectRejected(
            field: "NgayTiepNhan", reason: .unparseableDate(String(repeating: "9", count: 100) + "…"), dossierID: Self.id)
        try Verdicts(record([.status: huge])).expectRejected(
            field: "TrangThaiHoSo", reason: .unmappedCode(String(repeating: "9", count: 100) + "…"), dossierID: Self.id)
        var attachment = record()
        attachment.attachments = [[huge]]
        try Verdicts(attachment).expectRejected(
            field: "DuocSoHoa", reason: .unmappedCode(String(repeating: "9", count: 100) + "…"), dossierID: Self.id)
        var supplement = record()
        supplement.supplements = [[huge, nil, nil]]
        try Verdicts(supplement).expectRejected(
            field: "NgayYeuCau", reason: .unparseableDate(String(repeating: "9", count: 100) + "…"), dossierID: Self.id)

        // 100 bytes are quoted whole; "ố" (3 bytes) that would end past byte 100 is left out whole.
        #expect(ValueLimits.quoted(String(repeating: "x", count: 100)) == String(repeating: "x", count: 100))
        let vietnamese = String(repeating: "x", count: 98) + "ốc"
        #expect(ValueLimits.quoted(vietnamese) == String(repeating: "x", count: 98) + "…")
        #expect(ValueLimits.quoted("") == "")
    }
}
