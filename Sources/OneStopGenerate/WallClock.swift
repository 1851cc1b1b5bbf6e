import OneStopModel

/// A local wall-clock time, as seconds since 1970-01-01 00:00 on the local calendar (no zone:
/// exports write local times without an offset, and the pipeline's timezone reads them back).
struct WallClock: Sendable, Hashable, Comparable {
    var seconds: Int64

    static let minute: Int64 = 60
    static let hour: Int64 = 3_600
    static let day: Int64 = 86_400

    init(seconds: Int64) {
        self.seconds = seconds
    }

    /// Midnight starting the given calendar day, plus `second` seconds.
    init(year: Int, month: Int, day: Int, second: Int64 = 0) {
        seconds = WallClock.days(year: year, month: month, day: day) * WallClock.day + second
    }

    static func < (lhs: WallClock, rhs: WallClock) -> Bool { lhs.seconds < rhs.seconds }

    /// Days since 1970-01-01 (proleptic Gregorian; Howard Hinnant's `days_from_civil`).
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The whole days since 1970-01-01.
    var dayNumber: Int64 { seconds >= 0 ? seconds / WallClock.day : (seconds - WallClock.day + 1) / WallClock.day }

    /// Seconds since the start of the day.
    var secondOfDay: Int64 { seconds - dayNumber * WallClock.day }

    /// 0 = Monday … 6 = Sunday.
    var weekday: Int { Int(((dayNumber % 7) + 7 + 3) % 7) }

    /// The calendar date.
    var date: (year: Int, month: Int, day: Int) {
        let date = LocalDate(daysSinceEpoch: dayNumber)
        return (date.year, date.month, date.day)
    }

    /// Hour, minute, second of the day.
    var time: (hour: Int, minute: Int, second: Int) {
        let s = secondOfDay
        return (Int(s / 3_600), Int(s % 3_600 / 60), Int(s % 60))
    }

    /// Start of this day plus `second` seconds.
    func at(second: Int64) -> WallClock { WallClock(seconds: dayNumber * WallClock.day + second) }

    func adding(days: Int) -> WallClock { WallClock(seconds: seconds + Int64(days) * WallClock.day) }

    func adding(seconds delta: Int64) -> WallClock { WallClock(seconds: seconds + delta) }

    /// `count` working days later (Monday to Friday), same time of day.
    func addingWorkingDays(_ count: Int) -> WallClock {
        var result = self
        var left = count
        while left > 0 {
            result = result.adding(days: 1)
            if result.weekday < 5 { left -= 1 }
        }
        return result
    }

    /// The same moment, or the next Monday's same time when it falls on a weekend.
    var onWorkingDay: WallClock {
        switch weekday {
        case 5: adding(days: 2)
        case 6: adding(days: 1)
        default: self
        }
    }
}
