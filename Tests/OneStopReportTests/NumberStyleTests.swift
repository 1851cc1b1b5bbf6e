import OneStopModel
import Testing
@testable import OneStopReport

@Suite struct NumberStyleTests {
    @Test func vietnameseAndEnglishSeparators() {
        let vi = NumberStyle(.vi)
        let en = NumberStyle(.en)
        #expect(vi.percent(Fraction(143, 312)) == "45,83%")
        #expect(en.percent(Fraction(143, 312)) == "45.83%")
        #expect(vi.percent(Fraction(0, 0)) == nil)
        #expect(vi.percentOrDash(Fraction(0, 0)) == "–")
        #expect(vi.integer(1_234_567) == "1.234.567")
        #expect(en.integer(1_234_567) == "1,234,567")
        #expect(vi.integer(999) == "999")
        #expect(vi.bytes(2_345_678) == "2,3 MB")
        #expect(en.bytes(999) == "999 B")
        #expect(vi.date(LocalDate(year: 2022, month: 3, day: 7)!) == "07/03/2022")
        #expect(en.date(LocalDate(year: 2022, month: 3, day: 7)!) == "2022-03-07")
        #expect(vi.month("2022-03") == "03/2022")
    }

    @Test func percentagesRoundHalfUpExactly() {
        let style = NumberStyle(.en)
        #expect(style.percent(Fraction(1, 8), places: 1) == "12.5%")
        #expect(style.percent(Fraction(1, 16), places: 1) == "6.3%", "6.25 rounds up, as the CSVs do (R18)")
        #expect(style.percent(Fraction(1_234_567, 1_234_567)) == "100.00%")
        #expect(style.percent(Fraction(123_456, 100)) == "123,456.00%")
    }
}
