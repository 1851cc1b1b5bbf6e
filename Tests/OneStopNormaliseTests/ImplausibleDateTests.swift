import OneStopModel
import Testing
@testable import OneStopNormalise

/// R24 on the run's implementation (`RecordPacker`, through the entry point a run calls).
@Suite("Implausible dates (R24): any date of a record before 1990-01-01 local rejects it")
struct ImplausibleDateTests {
    /// What the run makes of `raw`: its reject, or nil when it packed the record.
    static func verdict(_ raw: RawRecord, dialect: Dialect = dvcqg, clock: LocalClock = hoChiMinh) throws -> Reject? {
        let strings = StringTable()
        let packer = RecordPacker(normaliser: try RecordNormaliser(dialect: dialect, clock: clock), strings: strings)
        let table = DossierTable(strings: strings)
        let reject = raw.withView { packer.normalise($0, source: 0, file: "tinh/a.xml", into: table) }
        #expect(table.count == (reject == nil ? 1 : 0), "packed exactly when not rejected")
        return reject
    }

    /// A resolved record whose every date, supplement request's included, is 1990-01-01 00:00
    /// local: the earliest plausible instant.
    static func recordAtTheBound() -> RawRecord {
        let bound = "19900101000000"
        var raw = record([.received: bound, .due: bound, .finished: bound, .returned: bound])
        raw.supplements = [[bound, bound, bound]]
        return raw
    }

    enum DateField: Sendable, CustomStringConvertible {
        case record(CanonicalField)
        case supplement(SupplementField)
        var description: String {
            switch self {
            case .record(let field): field.key
            case .supplement(let field): "supplement \(field.key)"
            }
        }
    }

    static func setting(_ field: DateField, to value: String, in raw: RawRecord) -> RawRecord {
        var raw = raw
        switch field {
        case .record(let field): raw[field] = value
        case .supplement(let field): raw.supplements[0][field.rawValue] = value
        }
        return raw
    }

    static let fields: [(DateField, String)] = [
        (.record(.received), "NgayTiepNhan"), (.record(.due), "NgayHenTra"), (.record(.finished), "NgayKetThucXuLy"),
        (.record(.returned), "NgayTra"), (.supplement(.requested), "NgayYeuCau"), (.supplement(.answered), "NgayBoSung"),
        (.supplement(.newDue), "NgayHenTraMoi"),
    ]

    @Test("Each date field: 1990-01-01 00:00 local is kept, one second earlier and 0001-01-01 are rejected on it",
          arguments: fields)
    func eachDateField(field: DateField, sourceName: String) throws {
        #expect(try Self.verdict(Self.recordAtTheBound()) == nil)
        for value in ["19891231235959", "00010101000000", "01/01/0001", "1989-12-31T16:59:59Z"] {
            let reject = try #require(try Self.verdict(Self.setting(field, to: value, in: Self.recordAtTheBound())),
                                      "\(value) is kept")
            #expect(reject.reason == .implausibleDate(value), "\(value)")
            #expect(reject.field == sourceName)
            #expect(reject.dossierID == "000.00.12.H55-221115-00012")
            #expect(reject.file == "tinh/a.xml" && reject.line == 3)
        }
        // The same instant as the bound, written with an offset: kept.
        #expect(try Self.verdict(Self.setting(field, to: "1989-12-31T17:00:00Z", in: Self.recordAtTheBound())) == nil)
    }

    @Test("A date-only due date is the end of its day: 31/12/1989 is rejected, 01/01/1990 kept")
    func dateOnlyDueDate() throws {
        let received = "01/01/1990"
        #expect(try Self.verdict(record([.received: received, .due: "01/01/1990"])) == nil)
        let reject = try #require(try Self.verdict(record([.received: received, .due: "31/12/1989"])))
        #expect(reject.reason == .implausibleDate("31/12/1989"))
        #expect(reject.field == "NgayHenTra")
    }

    @Test("The reason reads `implausible date`; the reject keeps the value as written, trimmed")
    func reasonText() throws {
        let reject = try #require(try Self.verdict(record([.received: " 00010101000000\n"])))
        #expect(reject.reason.description == "implausible date")
        #expect(reject.reason == .implausibleDate("00010101000000"))
        // Unicode white space is trimmed too (the value is not ASCII).
        let padded = try #require(try Self.verdict(record([.received: "\u{00A0}01/01/0001\u{3000}"])))
        #expect(padded.reason == .implausibleDate("01/01/0001"))
    }

    @Test("No upper bound: due and end dates far in the future are kept")
    func noUpperBound() throws {
        #expect(try Self.verdict(record([.due: "31/12/9999", .finished: "99991231235959", .returned: "99991231235959"])) == nil)
    }

    @Test("1990-01-01 is local: the pipeline's time zone decides")
    func localToThePipeline() throws {
        let utc = try #require(LocalClock(identifier: "UTC"))
        // 1990-01-01 00:00 in Hồ Chí Minh City is 1989-12-31 17:00 UTC.
        let midnightHere = record([.received: "1990-01-01T00:00:00+07:00"])
        #expect(try Self.verdict(midnightHere) == nil)
        #expect(try Self.verdict(midnightHere, clock: utc)?.reason == .implausibleDate("1990-01-01T00:00:00+07:00"))
        #expect(try Self.verdict(record([.received: "19900101000000"]), clock: utc) == nil)
    }

    @Test("Checked at the step of an unparseable date: received, due, finished, returned, then supplement requests")
    func rejectOrder() throws {
        let old = "00010101000000"
        let bad = "2022-13-01"
        func reject(_ raw: RawRecord) throws -> Reject { try #require(try Self.verdict(raw)) }
        // Among the dates, the first bad one in field order, implausible or unparseable.
        #expect(try reject(record([.received: old, .due: bad])).field == "NgayTiepNhan")
        #expect(try reject(record([.received: bad, .due: old])).reason == .unparseableDate(bad))
        #expect(try reject(record([.due: old, .finished: bad])).reason == .implausibleDate(old))
        #expect(try reject(record([.finished: bad, .returned: old])).reason == .unparseableDate(bad))
        var supplement = record([.returned: old])
        supplement.supplements = [[bad, nil, nil]]
        #expect(try reject(supplement).field == "NgayTra")
        supplement = record()
        supplement.supplements = [["20221116090000", old, nil], [bad, nil, nil]]
        #expect(try reject(supplement).field == "NgayBoSung")
        // After the codes: a missing status or an unmapped channel comes first.
        #expect(try reject(record([.status: nil, .received: old])).reason == .missingStatus)
        #expect(try reject(record([.channel: "7", .received: old])).reason == .unmappedCode("7"))
        // Before the checks that compare dates: not "due before received", not "resolved without end".
        #expect(try reject(record([.received: "20221115083000", .due: old])).reason == .implausibleDate(old))
        #expect(try reject(record([.status: "9", .finished: old, .returned: nil])).reason == .implausibleDate(old))
    }

    @Test("Every status, 1 and 3 included (R3)")
    func everyStatus() throws {
        for status in Status.allCases {
            let reject = try Self.verdict(record([.status: String(status.rawValue), .received: "00010101000000"]))
            #expect(reject?.reason == .implausibleDate("00010101000000"), "status \(status.rawValue)")
        }
    }

    @Test("A dialect default before 1990 rejects the records that take it, on that field")
    func implausibleDefault() throws {
        var dialect = dvcqg
        dialect.defaults[.finished] = "01/01/1900"
        let reject = try #require(try Self.verdict(record([.finished: " "]), dialect: dialect))
        #expect(reject.reason == .implausibleDate("01/01/1900"))
        #expect(reject.field == "NgayKetThucXuLy")
        #expect(try Self.verdict(record(), dialect: dialect) == nil)
    }
}
