import OneStopModel
import Testing
@testable import OneStopNormalise

/// A small deterministic generator (SplitMix64), so every run tests the same records.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Raw values chosen to hit every branch of both normalisation paths: white space (ASCII and
/// not), case, NFD, blanks, missing values, unmapped codes, every date format, bad dates, and
/// values at, over and (raw or normalised only) around their length bound (`ValueLimits`).
enum Pools {
    /// 64 bytes (the bound for ids and codes), 65, 64 padded with white space, and 64 bytes raw
    /// that upper-case to 96.
    static let longCodes: [String?] = [
        String(repeating: "c", count: 64), String(repeating: "C", count: 65),
        "  " + String(repeating: "c", count: 64) + " ", String(repeating: "\u{0250}", count: 32),
    ]
    static let ids: [String?] = [
        "000.00.12.H55-221115-00012", " abc-1 ", "\tX-2\n", "x\u{0B}", "", "   ", nil, "Đ-1", "a\u{0301}-3",
        "\u{00A0}ID-4", "id-5",
    ]
    static let codes: [String?] = [
        "1.004227", " 1.004227a ", "2.001157", "", nil, "p\u{00A0}", "xd", " XD ", "l\u{0111}", "Ca\u{0302}\u{0301}p",
    ]
    static let names: [String?] = ["Cấp giấy phép", "Ca\u{0302}\u{0301}p gia\u{0302}\u{0301}y", nil, "  ", "  Cấp  ", "A & B"]
    static let longNames: [String?] = [
        String(repeating: "n", count: 2_048), String(repeating: "n", count: 2_049),
        String(repeating: "a\u{0302}\u{0301}", count: 600),  // 3 000 bytes raw, 1 800 once NFC
    ]
    static let statuses: [String?] = ["10", " 9 ", "2", "4", "1", "3", "7", "8", "11", "", nil, "x"]
    static let channels: [String?] = ["1", "2", "3", "", nil, "7", " 2 "]
    static let returns: [String?] = ["0", "1", "2", nil, ""]
    static let flags: [String?] = ["0", "1", "x", nil, " 1", ""]
    static let dates: [String?] = [
        "20221115083000", " 20221115083000 ", "15/11/2022 08:30:00", "15/11/2022", "2022-11-15T08:30:00+07:00",
        "2022-11-15", "20221332083000", "", nil, "２０２２１１１５", "2022111508300", "\u{00A0}20221115083000",
        "20221125170000", "25/11/2022", "20221101000000", "29/02/2023", "2022-11-15T01:30:00Z",
        // Around R24's bound, 1990-01-01 00:00 local (UTC+7), and the systems' "no date".
        "00010101000000", "31/12/1989", "01/01/1990", "19891231235959", "19900101000000", "1989-12-31T16:59:59Z",
        "1989-12-31T17:00:00Z", "\u{00A0}01/01/0001",
    ]
    static let groupDates: [String?] = [
        "20221117090000", "20221118150000", "18/11/2022", nil, "", "bad", "20221128170000", "00010101000000",
        "31/12/1989",
    ]
}

/// The test dialect with defaults on every kind of field.
let dvcqgWithDefaults: Dialect = {
    var dialect = dvcqg
    dialect.defaults = [
        .channel: "1", .digitised: "0", .status: "2", .returnMethod: "0", .agency: "000.00.99.h55",
        .field: " mt ", .procedureName: "Tên mặc định", .due: "31/12/2022",
    ]
    return dialect
}()

func randomRecord(_ generator: inout SeededGenerator, line: Int) -> RawRecord {
    func pick(_ pool: [String?]) -> String? { pool.randomElement(using: &generator)! }
    var raw = RawRecord(line: line)
    // Mostly plain values, so that the fast path is exercised as much as the fallbacks.
    let plain = Bool.random(using: &generator)
    // Long values only in the other records, so that most plain ones stay valid.
    raw[.dossierID] = plain ? "ID-\(line)" : pick(Pools.ids + Pools.longCodes)
    raw[.procedureCode] = plain ? "1.004227" : pick(Pools.codes + Pools.longCodes)
    raw[.procedureName] = plain ? pick(Pools.names) : pick(Pools.names + Pools.longNames)
    raw[.field] = plain ? pick(Pools.codes) : pick(Pools.codes + Pools.longCodes)
    raw[.agency] = plain ? pick(Pools.codes) : pick(Pools.codes + Pools.longCodes)
    raw[.channel] = plain ? "2" : pick(Pools.channels)
    raw[.returnMethod] = plain ? "1" : pick(Pools.returns)
    raw[.status] = plain ? "4" : pick(Pools.statuses)
    raw[.received] = plain ? "20221115083000" : pick(Pools.dates)
    raw[.due] = plain ? "20221125170000" : pick(Pools.dates)
    raw[.finished] = plain ? pick(["20221120100000", nil]) : pick(Pools.dates)
    raw[.returned] = plain ? pick(["21/11/2022", nil, " "]) : pick(Pools.dates)
    raw[.digitised] = plain ? "1" : pick(Pools.flags)
    let goodDates: [String?] = ["20221117090000", "18/11/2022", nil, "20221128170000"]
    raw.supplements = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
        plain ? ["20221116090000", pick(goodDates), pick(goodDates)]
            : [pick(Pools.groupDates), pick(Pools.groupDates), pick(Pools.groupDates)]
    }
    raw.attachments = (0..<Int.random(in: 0...2, using: &generator)).map { _ in
        [plain ? pick(["0", "1", nil, " "]) : pick(Pools.flags)]
    }
    return raw
}

@Suite("The run's path (RecordPacker, DossierStore) agrees with the reference rules and Deduplicator")
struct FastPathTests {
    @Test("Every record is kept and packed, or rejected, exactly as the reference rules say", arguments: [
        dvcqg, dvcqgWithDefaults,
    ])
    func packerAgreesWithReference(dialect: Dialect) throws {
        let reference = try ReferenceNormaliser(dialect: dialect, clock: hoChiMinh)
        let normaliser = try RecordNormaliser(dialect: dialect, clock: hoChiMinh)
        let strings = StringTable()
        // One packer for every record, as a run's worker has: its caches fill as records repeat.
        let packer = RecordPacker(normaliser: normaliser, strings: strings)
        let table = DossierTable(strings: strings)
        var generator = SeededGenerator(state: 42)
        var valid = 0
        var implausible = 0
        for line in 1...20_000 {
            let raw = randomRecord(&generator, line: line)
            let expected = reference.normalise(raw, source: 1, file: "f.xml")
            // Record by record (no caches), as a RawRecord: the same verdict.
            #expect(normaliser.normalise(raw, source: 1, file: "f.xml") == expected, "line \(line)")
            raw.withView { view in
                let reject = packer.normalise(view, source: 1, file: "f.xml", into: table)
                switch expected {
                case .dossier(let dossier):
                    valid += 1
                    #expect(reject == nil, "line \(line): \(reject.map { "\($0.field): \($0.reason)" } ?? "")")
                    guard reject == nil else { return }
                    #expect(table[table.count - 1] == PackedDossier(dossier, strings: strings), "line \(line)")
                    #expect(table.id(at: table.count - 1) == dossier.id, "line \(line)")
                    #expect(table.waits(at: table.count - 1) == dossier.supplements.map(\.wait), "line \(line)")
                case .rejected(let expectedReject):
                    if case .implausibleDate = expectedReject.reason { implausible += 1 }
                    #expect(reject == expectedReject, "line \(line)")
                }
            }
        }
        // Both kinds of record are common enough to be tested.
        #expect(valid > 8_000)
        #expect(table.count == valid)
        #expect(implausible > 200)
    }

    @Test("Ids are upper-cased from the bytes as String.uppercased() does, eight bytes at a time or one")
    func idsUpperCaseAsStrings() throws {
        let normaliser = try RecordNormaliser(dialect: dvcqg, clock: hoChiMinh)
        let strings = StringTable()
        let packer = RecordPacker(normaliser: normaliser, strings: strings)
        let table = DossierTable(strings: strings)
        // Every printable ASCII byte, around the letters' edges above all, in ids of every
        // length up to 40 (whole words, a tail, or both), at every offset after a blank.
        let printable = (0x21...0x7E).map { Character(UnicodeScalar(UInt8($0))) }
        var generator = SeededGenerator(state: 7)
        for length in 1...40 {
            for leading in ["", " ", "\t  "] {
                for _ in 0..<40 {
                    let id = String((0..<length).map { _ in printable.randomElement(using: &generator)! })
                    var raw = RawRecord(line: length)
                    raw[.dossierID] = leading + id + leading
                    raw[.procedureCode] = "1.004227"
                    raw[.status] = "4"
                    raw[.received] = "20221115083000"
                    raw[.due] = "20221125170000"
                    raw.withView { view in
                        #expect(packer.normalise(view, source: 1, file: "f.xml", into: table) == nil)
                    }
                    #expect(table.id(at: table.count - 1) == id.uppercased(), "\(id)")
                }
            }
        }
    }

    @Test("Fixed-layout date parsing equals the token walk")
    func fixedLayoutsAgree() throws {
        let formats = ["yyyyMMddHHmmss", "dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy", "yyyy-MM-dd'T'HH:mm", "d/M/yyyy", "iso8601"]
        let patterns = try formats.map { try DatePattern($0) }
        let fixed = DateParser(patterns: patterns, clock: hoChiMinh)
        let walked = DateParser(patterns: patterns, clock: hoChiMinh, fixedLayouts: false)
        var generator = SeededGenerator(state: 7)
        let alphabet = Array("0123456789/: -T+Zx")
        var samples = (Pools.dates + Pools.groupDates).compactMap { $0 }
        samples += ["2022-11-15T08:30", "1/2/2022", "31/12/9999 23:59:59", "00000000000000", "99999999999999"]
        for _ in 0..<20_000 {
            var text = Array("20221115083000")
            if Bool.random(using: &generator) { text = Array("15/11/2022 08:30:00") }
            for _ in 0..<Int.random(in: 0...3, using: &generator) {
                let index = Int.random(in: 0..<text.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: text[index] = alphabet.randomElement(using: &generator)!
                case 1: text.remove(at: index)
                default: text.insert(alphabet.randomElement(using: &generator)!, at: index)
                }
            }
            samples.append(String(text))
        }
        for sample in samples {
            #expect(fixed.instant(from: sample) == walked.instant(from: sample), "\(sample)")
            #expect(fixed.instant(from: sample, endOfDayIfDateOnly: true)
                == walked.instant(from: sample, endOfDayIfDateOnly: true), "\(sample)")
        }
    }

    @Test("Every dossier is found again after the store's index has grown many times")
    func storeFindsDossiersAfterGrowing() throws {
        let normaliser = try RecordNormaliser(dialect: dvcqg, clock: hoChiMinh)
        let strings = StringTable()
        let store = DossierStore(strings: strings)
        let distinct = 20_000  // the index starts with 1,024 slots: it grows five times
        for (day, status) in [(1, Status.processing), (2, Status.finished)] {
            let versions = FileVersions(strings: strings)
            let packer = RecordPacker(normaliser: normaliser, strings: strings)
            for number in 0..<distinct {
                var raw = RawRecord(line: number + 1)
                raw[.dossierID] = "HS-\(number)"
                raw[.procedureCode] = "P"
                raw[.status] = String(status.rawValue)
                raw[.received] = "20220301000000"
                raw[.finished] = "20220302000000"
                raw.withView { view in
                    #expect(versions.add(view, position: number, source: 0, file: "d\(day).xml", packer: packer) == nil)
                }
            }
            store.commit(versions, file: store.registerFile(exportTime: local(2022, 3, day), path: "d\(day).xml"))
        }
        #expect(store.count == distinct)
        #expect(store.superseded == distinct)
        let winners = store.winners
        #expect((0..<winners.count).allSatisfy { winners[$0].status == .finished })
        #expect(Set((0..<winners.count).map { winners.id(at: $0) }).count == distinct)
    }

    @Test("DossierStore keeps the winners Deduplicator keeps, whatever the commit order")
    func storeAgreesWithDeduplicator() {
        var generator = SeededGenerator(state: 99)
        let statuses: [Status] = [.accepted, .processing, .finished, .returned, .submitted]
        // Files with equal export times and paths that tie, committed in a shuffled order.
        struct File { var path: String; var day: Int; var versions: [(id: String, source: Int, status: Status)] }
        var files: [File] = []
        for number in 0..<12 {
            let versions = (0..<200).map { _ in
                (id: "D\(Int.random(in: 0..<150, using: &generator))", source: Int.random(in: 0..<2, using: &generator),
                 status: statuses.randomElement(using: &generator)!)
            }
            files.append(File(path: "f\(number % 5).xml", day: Int.random(in: 1...4, using: &generator), versions: versions))
        }
        files.shuffle(using: &generator)

        var reference = Deduplicator()
        let strings = StringTable()
        let store = DossierStore(strings: strings)
        for file in files {
            let versions = FileVersions(strings: strings)
            for (position, version) in file.versions.enumerated() {
                let dossier = Dossier(
                    source: version.source, id: version.id, procedure: "P", status: version.status,
                    received: local(2022, 3, 1), supplements: [Supplement(requested: local(2022, 3, position % 3 + 1))])
                let order = VersionOrder(exportTime: local(2022, 3, file.day), path: file.path, position: position)
                reference.offer(dossier, order: order)
                var raw = RawRecord(line: position)
                raw[.dossierID] = version.id
                raw[.procedureCode] = "P"
                raw[.status] = String(version.status.rawValue)
                raw[.received] = "20220301000000"
                raw[.finished] = "20220302000000"
                raw.supplements = [["0\(position % 3 + 1)/03/2022", nil, nil]]
                let normaliser = try! RecordNormaliser(dialect: dvcqg, clock: hoChiMinh)
                raw.withView { view in
                    #expect(versions.add(view, position: position, source: version.source, file: file.path,
                                         packer: RecordPacker(normaliser: normaliser, strings: strings)) == nil)
                }
            }
            store.commit(versions, file: store.registerFile(exportTime: local(2022, 3, file.day), path: file.path))
        }
        #expect(store.superseded == reference.superseded)
        #expect(store.count == reference.count)
        let expected = reference.winners().map { ($0.source, $0.id, $0.status, $0.supplements[0].requested) }
        let winners = store.winners
        let actual = (0..<winners.count).map {
            (winners[$0].source, winners.id(at: $0), winners[$0].status, winners[$0].onlyWait!.requested)
        }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        #expect(actual.count == expected.count)
        for (a, e) in zip(actual, expected) {
            #expect(a.0 == e.0 && a.1 == e.1 && a.2 == e.2 && a.3 == e.3, "\(a) vs \(e)")
        }
    }
}
