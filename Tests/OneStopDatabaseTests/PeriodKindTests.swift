import OneStopModel
import Testing
@testable import OneStopDatabase

@Suite struct PeriodKindTests {
    @Test("Each kind of period and the one before it", arguments: [
        // (period, kind, the period before)
        (period("2022-01-01", "2022-12-31"), PeriodKind.year, period("2021-01-01", "2021-12-31")),
        (period("2022-07-01", "2022-12-31"), .half, period("2022-01-01", "2022-06-30")),
        (period("2023-01-01", "2023-03-31"), .quarter, period("2022-10-01", "2022-12-31")),
        (period("2024-03-01", "2024-03-31"), .month, period("2024-02-01", "2024-02-29")),
        (period("2023-01-01", "2023-01-31"), .month, period("2022-12-01", "2022-12-31")),
        (period("2023-02-01", "2023-02-28"), .month, period("2023-01-01", "2023-01-31")),
        (period("2022-07-01", "2023-06-30"), .months, period("2021-07-01", "2022-06-30")),
        (period("2022-02-01", "2022-03-31"), .months, period("2021-12-01", "2022-01-31")),
        (period("2022-03-10", "2022-03-19"), .days, period("2022-02-28", "2022-03-09")),
        (period("2022-01-01", "2022-06-29"), .days, period("2021-07-05", "2021-12-31")),
    ])
    func kindAndPrevious(period: Period, kind: PeriodKind, previous: Period) {
        #expect(PeriodKind(period) == kind)
        #expect(period.previous == previous)
    }

    @Test("A quarter that does not start a calendar quarter is three months, not a quarter")
    func unalignedQuarter() {
        #expect(PeriodKind(period("2022-02-01", "2022-04-30")) == .months)
    }
}
