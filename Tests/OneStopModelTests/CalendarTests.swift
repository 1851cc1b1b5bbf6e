import Foundation
import Testing
@testable import OneStopModel

@Suite("Local calendar and clock")
struct CalendarTests {
    @Test func dayNumbersRoundTrip() {
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let date = LocalDate(daysSinceEpoch: days)
            #expect(date.daysSinceEpoch == days)
        }
        #expect(LocalDate(year: 1970, month: 1, day: 1)?.daysSinceEpoch == 0)
        #expect(LocalDate(year: 2022, month: 3, day: 1)?.daysSinceEpoch == 19_052)
    }

    @Test func impossibleDaysDoNotExist() {
        #expect(LocalDate(year: 2022, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2024, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 1900, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2000, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 2022, month: 13, day: 1) == nil)
        #expect(LocalDate(iso: "2022-04-31") == nil)
        #expect(LocalDate(iso: "2022-4-30") == nil)
    }

    @Test("Asia/Ho_Chi_Minh is UTC+7 in 2022; its day starts at 17:00Z the day before")
    func hoChiMinhDays() throws {
        let clock = try #require(LocalClock(identifier: "Asia/Ho_Chi_Minh"))
        let start = clock.startOfDay(try #require(LocalDate(iso: "2022-01-01")))
        #expect(start.secondsSinceEpoch == 1_640_970_000)  // 2021-12-31T17:00:00Z
        #expect(clock.localDate(of: start).description == "2022-01-01")
        #expect(clock.localDate(of: start.adding(seconds: -1)).description == "2021-12-31")
    }

    @Test("Zones with daylight saving keep their offsets (not only UTC+7)")
    func daylightSaving() throws {
        let clock = try #require(LocalClock(identifier: "Europe/Paris"))
        let summer = clock.startOfDay(try #require(LocalDate(iso: "2022-07-01")))
        let winter = clock.startOfDay(try #require(LocalDate(iso: "2022-01-01")))
        #expect(clock.offset(at: summer) == 7200)
        #expect(clock.offset(at: winter) == 3600)
        #expect(summer.secondsSinceEpoch == 1_656_626_400)  // 2022-06-30T22:00:00Z
    }

    @Test func unknownZoneIsRefused() {
        #expect(LocalClock(identifier: "Mars/Olympus") == nil)
    }
}
