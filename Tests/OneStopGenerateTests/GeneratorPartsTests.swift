import Foundation
import OneStopModel
import OneStopPipeline
import Testing
@testable import OneStopGenerate

@Suite("Generator parts")
struct GeneratorPartsTests {
    @Test func wallClockAgreesWithTheGregorianCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var random = SplitMix64(seed: 3)
        for _ in 0..<2_000 {
            let seconds = Int64(random.within(-2_000_000_000...6_000_000_000))
            let clock = WallClock(seconds: seconds)
            let parts = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second, .weekday],
                from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(clock.date.year == parts.year && clock.date.month == parts.month && clock.date.day == parts.day)
            #expect(clock.time.hour == parts.hour && clock.time.minute == parts.minute && clock.time.second == parts.second)
            // Calendar: 1 = Sunday; WallClock: 0 = Monday.
            #expect((clock.weekday + 1) % 7 + 1 == parts.weekday)
            #expect(WallClock(year: clock.date.year, month: clock.date.month, day: clock.date.day).dayNumber == clock.dayNumber)
        }
    }

    @Test func workingDaysSkipWeekends() {
        let friday = WallClock(year: 2022, month: 11, day: 18, second: 9 * 3_600)
        #expect(friday.weekday == 4)
        #expect(friday.addingWorkingDays(1).date == (2022, 11, 21))
        #expect(friday.addingWorkingDays(5).date == (2022, 11, 25))
        #expect(WallClock(year: 2022, month: 11, day: 19).onWorkingDay.date == (2022, 11, 21))
    }

    @Test(arguments: [
        ("yyyyMMddHHmmss", "20220305070908"),
        ("dd/MM/yyyy HH:mm:ss", "05/03/2022 07:09:08"),
        ("d/M/yyyy H:mm", "5/3/2022 7:09"),
        ("yyyy-MM-dd'T'HH:mm", "2022-03-05T07:09"),
        ("dd/MM/yyyy", "05/03/2022"),
        ("iso8601", "2022-03-05T07:09:08"),
    ])
    func datesAreWrittenInTheDialectsFirstFormat(format: String, expected: String) throws {
        let writer = try DateWriter(format: format)
        var bytes: [UInt8] = []
        writer.write(WallClock(year: 2022, month: 3, day: 5, second: 7 * 3_600 + 9 * 60 + 8), into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        #expect(writer.isDateOnly == (format == "dd/MM/yyyy"))
    }

    @Test func writtenDatesParseBack() throws {
        // What the generator writes, the reader's own date patterns accept.
        for format in ["yyyyMMddHHmmss", "dd/MM/yyyy HH:mm:ss", "d/M/yyyy", "iso8601"] {
            let writer = try DateWriter(format: format)
            var bytes: [UInt8] = []
            writer.write(WallClock(year: 2021, month: 12, day: 31, second: 23 * 3_600 + 59 * 60 + 59), into: &bytes)
            let yaml = """
                dialect: t
                record: R/r
                fields: { dossierId: a, procedureCode: b, status: c, received: d }
                codes: { status: { "1": 1 } }
                dateFormats: ["\(format)"]
                """
            #expect(throws: Never.self) { try DialectFile.parse(yaml: yaml, file: "t.yaml") }
            #expect(!bytes.isEmpty)
        }
        #expect(throws: GenerationError.self) { try DateWriter(format: "yyyy-QQ") }
    }

    @Test func nightsOfADossierAreDistinctAndIncludeFirstAndFinal() {
        for first in 0..<6 {
            for final in first..<8 {
                for count in 1...(8 - first) {
                    let nights = ExportPlan.nights(first: first, final: final, count: count)
                    #expect(nights.count == count)
                    #expect(Set(nights).count == count)
                    #expect(nights.allSatisfy { $0 >= first && $0 < 8 })
                    #expect(nights.contains(final))
                    if count > 1 { #expect(nights.contains(first)) }
                }
            }
        }
    }

    @Test func codesAreWrittenAsTheSystemWouldAndReadBack() throws {
        let igate = try DialectFile.load(path: shippedDialects + "/igate.yaml")
        let codes = CodeBook(dialect: igate)
        #expect(codes.status[Status.returned.rawValue] == Array("da_tra_kq".utf8))
        #expect(codes.channel[Int(Channel.postal.rawValue)] == Array("buu_chinh".utf8))
        #expect(codes.flagTrue == Array("co".utf8))
        #expect(igate.statusCodes[codes.unknownStatus.map { String(UnicodeScalar($0)) }.joined()] == nil)
        let dvcqg = try DialectFile.load(path: shippedDialects + "/dvcqg.yaml")
        #expect(CodeBook(dialect: dvcqg).status[Status.supplementRequested.rawValue] == Array("5".utf8))
    }

    @Test func optionsThatContradictEachOtherAreRefused() throws {
        let dialect = try DialectFile.load(path: shippedDialects + "/dvcqg.yaml")
        let cases: [GenerationSettings] = [
            GenerationSettings(records: 0, sources: 1, seed: 1, dialect: dialect),
            GenerationSettings(records: 10, sources: 1, seed: 1, dialect: dialect, dossiers: 20),
            GenerationSettings(records: 100, sources: 1, seed: 1, dialect: dialect, nights: 2, dossiers: 10),
            GenerationSettings(records: 10, sources: 0, seed: 1, dialect: dialect),
            GenerationSettings(records: 10, sources: 20, seed: 1, dialect: dialect, dossiers: 5),
        ]
        for settings in cases {
            #expect(throws: GenerationError.self) { try settings.validate() }
        }
        // More records than the dossiers' remaining exports can hold.
        let tight = GenerationSettings(records: 150, sources: 1, seed: 1, dialect: dialect, nights: 2, dossiers: 80)
        let folder = temporaryFolder("tight")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: GenerationError.self) {
            try ExportGenerator(settings: tight, dialectsFolder: shippedDialects, dialectName: "dvcqg").generate(into: folder)
        }
    }

    @Test func aFolderThatIsNotEmptyIsNeverOverwritten() throws {
        let folder = temporaryFolder("busy")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "keep me".write(toFile: folder + "/notes.txt", atomically: true, encoding: .utf8)
        #expect(throws: GenerationError.self) {
            _ = try generate(dialectPath: shippedDialects + "/dvcqg.yaml", records: 10, sources: 1, into: folder)
        }
        #expect(try String(contentsOfFile: folder + "/notes.txt", encoding: .utf8) == "keep me")
    }

    @Test func aDialectWithoutAnEndInstantCannotBeGenerated() throws {
        let yaml = """
            dialect: t
            record: R/r
            fields: { dossierId: a, procedureCode: b, status: c, received: d }
            codes: { status: { "1": 1, "2": 2, "3": 3, "4": 4, "9": 9 } }
            dateFormats: [iso8601]
            """
        let dialect = try DialectFile.parse(yaml: yaml, file: "t.yaml")
        #expect(throws: GenerationError.self) {
            try ExportWriter(dialect: dialect, catalogue: ProcedureCatalogue(), seed: 1, year: 2022, badRecordRate: 0)
        }
    }

    @Test func aRecordThatIsTheRootCannotBeGenerated() throws {
        let yaml = """
            dialect: t
            record: HoSo
            fields: { dossierId: a, procedureCode: b, status: c, received: d, finished: e }
            codes: { status: { "1": 1, "2": 2, "3": 3, "4": 4, "9": 9 } }
            dateFormats: [iso8601]
            """
        let dialect = try DialectFile.parse(yaml: yaml, file: "t.yaml")
        #expect(throws: GenerationError.self) { try RecordTemplate(dialect: dialect) }
    }

    @Test func theCatalogueIsValidAndMixed() throws {
        let catalogue = ProcedureCatalogue()
        #expect(Set(catalogue.procedures.map(\.code)).count == catalogue.procedures.count)
        for level in Level.allCases {
            let procedures = catalogue.procedures.filter { $0.level == level }
            #expect(procedures.contains { $0.online != .none } && procedures.contains { $0.online == .none })
            #expect(procedures.contains { $0.postal } && procedures.contains { !$0.postal })
        }
        let folder = temporaryFolder("catalogue")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try catalogue.csv.write(toFile: folder + "/c.csv", atomically: true, encoding: .utf8)
        let loaded = try CatalogueFile.load(path: folder + "/c.csv")
        #expect(loaded.entries.count == catalogue.procedures.count)
    }
}
