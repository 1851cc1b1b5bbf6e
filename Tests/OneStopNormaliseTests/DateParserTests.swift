import OneStopModel
import Testing
@testable import OneStopNormalise

@Suite("Date parsing (docs/contract.md §3.1, R4)")
struct DateParserTests {
    let parser = DateParser(
        patterns: try! ["yyyyMMddHHmmss", "dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy", "iso8601"].map { try DatePattern($0) },
        clock: hoChiMinh)

    @Test func compactFormatIsLocalTime() {
        // 2022-11-15 08:30:00 at UTC+7 is 01:30:00Z.
        #expect(parser.instant(from: "20221115083000") == local(2022, 11, 15, 8, 30))
        #expect(parser.instant(from: "20221115083000")?.secondsSinceEpoch == 1_668_475_800)
    }

    @Test func slashFormatsWithAndWithoutTime() {
        #expect(parser.instant(from: "15/11/2022 08:30:00") == local(2022, 11, 15, 8, 30))
        #expect(parser.instant(from: " 15/11/2022 ") == local(2022, 11, 15))
    }

    @Test("R4: a date-only due date means the end of that local day")
    func dateOnlyDueIsEndOfDay() {
        #expect(parser.instant(from: "25/11/2022", endOfDayIfDateOnly: true) == local(2022, 11, 25, 23, 59, 59))
        #expect(parser.instant(from: "2022-11-25", endOfDayIfDateOnly: true) == local(2022, 11, 25, 23, 59, 59))
        #expect(parser.instant(from: "25/11/2022 17:00:00", endOfDayIfDateOnly: true) == local(2022, 11, 25, 17))
    }

    @Test func iso8601WithOffsetIgnoresThePipelineZone() {
        #expect(parser.instant(from: "2022-11-15T01:30:00Z") == local(2022, 11, 15, 8, 30))
        #expect(parser.instant(from: "2022-11-15T08:30:00+07:00") == local(2022, 11, 15, 8, 30))
        #expect(parser.instant(from: "2022-11-15T03:30:00+0200") == local(2022, 11, 15, 8, 30))
        #expect(parser.instant(from: "2022-11-15T08:30:00.250+07:00") == local(2022, 11, 15, 8, 30))
        #expect(parser.instant(from: "2022-11-15T08:30:00") == local(2022, 11, 15, 8, 30))
    }

    @Test("Days that do not exist are unparseable", arguments: [
        "20220229170000", "20221301090000", "20221332083000", "2022-13-01", "chưa xác định", "31/04/2022",
        "20221115246000", "2022111508300", "", "15/11/22",
    ])
    func invalidValues(_ text: String) {
        #expect(parser.instant(from: text) == nil)
    }

    @Test func leapDayParses() {
        #expect(parser.instant(from: "29/02/2024") == local(2024, 2, 29))
    }

    @Test func singleDigitPatterns() throws {
        let loose = DateParser(patterns: [try DatePattern("d/M/yyyy H:mm")], clock: hoChiMinh)
        #expect(loose.instant(from: "5/3/2022 7:05") == local(2022, 3, 5, 7, 5))
        #expect(loose.instant(from: "05/03/2022 17:05") == local(2022, 3, 5, 17, 5))
    }

    @Test func quotedLiteralsInPatterns() throws {
        let withT = DateParser(patterns: [try DatePattern("yyyy-MM-dd'T'HH:mm:ss")], clock: hoChiMinh)
        #expect(withT.instant(from: "2022-11-15T08:30:00") == local(2022, 11, 15, 8, 30))
    }

    @Test func unsupportedPatternLettersAreReported() {
        #expect(throws: DatePatternError.self) { try DatePattern("yyyy-MMM-dd") }
        #expect(throws: DatePatternError.self) { try DatePattern("HH:mm") }
    }
}
