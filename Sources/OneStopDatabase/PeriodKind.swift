import OneStopModel

/// What kind of span a period is, for finding the one before it and for the `period_kind` column.
public enum PeriodKind: String, Sendable, CaseIterable {
    /// 1 January to 31 December.
    case year
    /// January–June or July–December.
    case half
    /// January–March, April–June, July–September or October–December.
    case quarter
    /// One calendar month.
    case month
    /// Other whole calendar months (a fiscal year from July, two months, …).
    case months
    /// Any other run of days.
    case days

    public init(_ period: Period) {
        guard let months = period.wholeMonths else {
            self = .days
            return
        }
        let start = period.from.month
        switch months {
        case 12 where start == 1: self = .year
        case 6 where start == 1 || start == 7: self = .half
        case 3 where (start - 1) % 3 == 0: self = .quarter
        case 1: self = .month
        default: self = .months
        }
    }
}

extension Period {
    /// The number of calendar months the period spans, when it runs from the first day of a
    /// month to the last day of a month; nil otherwise.
    var wholeMonths: Int? {
        guard from.day == 1, to.day == LocalDate.daysInMonth(year: to.year, month: to.month) else { return nil }
        return (to.year - from.year) * 12 + to.month - from.month + 1
    }

    /// The period of the same length just before this one: the previous year for a year, the
    /// previous quarter or month for a quarter or month — whole calendar months for any span of
    /// whole months; otherwise the same number of days ending the day before `from`.
    public var previous: Period {
        if let months = wholeMonths {
            let first = from.year * 12 + (from.month - 1) - months
            let last = first + months - 1
            let start = LocalDate(year: first / 12, month: first % 12 + 1, day: 1)
            let endMonth = last % 12 + 1
            let end = LocalDate(year: last / 12, month: endMonth, day: LocalDate.daysInMonth(year: last / 12, month: endMonth))
            if let start, let end { return Period(from: start, to: end) }
        }
        let length = to.daysSinceEpoch - from.daysSinceEpoch + 1
        return Period(
            from: LocalDate(daysSinceEpoch: from.daysSinceEpoch - length),
            to: LocalDate(daysSinceEpoch: from.daysSinceEpoch - 1))
    }
}
