import Testing
@testable import OneStopModel

@Suite("Exact fractions (R18, R21)")
struct FractionTests {
    @Test("R18: half-up to 4 decimals from the exact fraction", arguments: [
        (1, 8, "0.1250"), (2, 3, "0.6667"), (1, 16, "0.0625"), (5, 100_000, "0.0001"), (4, 100_000, "0.0000"),
        (857, 1739, "0.4928"), (121, 1739, "0.0696"), (1, 1, "1.0000"), (0, 7, "0.0000"), (99_995, 100_000, "1.0000"),
        (Int.max / 3, Int.max / 2, "0.6667"),
    ])
    func rounding(numerator: Int, denominator: Int, expected: String) {
        #expect(Fraction(numerator, denominator).formatted() == expected)
    }

    @Test("Whole-number rounding is half-up too")
    func zeroPlaces() {
        #expect(Fraction(1, 2).formatted(places: 0) == "1")
        #expect(Fraction(1, 3).formatted(places: 0) == "0")
        #expect(Fraction(7, 2).formatted(places: 1) == "3.5")
    }

    @Test("R18: denominator 0 is empty, never 0 or NaN")
    func zeroDenominator() {
        #expect(Fraction(0, 0).formatted() == nil)
        #expect(Fraction(3, 0).doubleValue == nil)
    }

    @Test("Targets parse exactly", arguments: [
        ("0.999", Fraction(999, 1000)), ("1", Fraction(1, 1)), ("55%", Fraction(55, 100)), ("11/20", Fraction(11, 20)),
        (" .5 ", Fraction(5, 10)), ("99.9%", Fraction(999, 1000)),
    ])
    func parsing(text: String, expected: Fraction) {
        #expect(Fraction(decimal: text) == expected)
    }

    @Test("Malformed targets are refused", arguments: ["", "abc", "1.2.3", "-0.5", "1/0", "0,5", "5%/2"])
    func malformed(text: String) {
        #expect(Fraction(decimal: text) == nil)
    }

    @Test("R21: met compares the exact fraction with the target")
    func met() {
        #expect(Fraction(999, 1000).isAtLeast(Fraction(decimal: "0.999")!) == true)
        #expect(Fraction(998, 1000).isAtLeast(Fraction(decimal: "0.999")!) == false)
        #expect(Fraction(1998, 2000).isAtLeast(Fraction(999, 1000)) == true)
        // 0.99949... rounds to 0.9995 when printed but is below 0.9995 exactly.
        #expect(Fraction(19_989, 20_000).isAtLeast(Fraction(decimal: "0.9995")!) == false)
        #expect(Fraction(0, 0).isAtLeast(Fraction(1, 2)) == nil)
    }
}

/// The gap to a target: the smallest whole number of extra numerator units, with the same
/// denominator, that meets it (worked out by hand).
@Suite struct FractionGapTests {
    @Test func metGivesZero() {
        #expect(Fraction(122, 221).gap(to: Fraction(1, 2)) == 0)
        #expect(Fraction(1, 2).gap(to: Fraction(1, 2)) == 0)  // exactly the target
    }

    @Test func missedByOne() {
        // 998/1000 against 0.999: 999 needed.
        #expect(Fraction(998, 1000).gap(to: Fraction(999, 1000)) == 1)
        // 5/7 against 0.999: ⌈6.993⌉ = 7 → 2.
        #expect(Fraction(5, 7).gap(to: Fraction(999, 1000)) == 2)
    }

    @Test func hundredPercentTarget() {
        #expect(Fraction(2, 3).gap(to: Fraction(1, 1)) == 1)
        #expect(Fraction(0, 12).gap(to: Fraction(100, 100)) == 12)
    }

    @Test func coverageExample() {
        // 0 of 7 procedures against 50 %: ⌈3.5⌉ = 4 more procedures.
        #expect(Fraction(0, 7).gap(to: Fraction(1, 2)) == 4)
        // 17 of 120 against 50 %: 60 needed → 43 more.
        #expect(Fraction(17, 120).gap(to: Fraction(1, 2)) == 43)
    }

    @Test func zeroDenominatorHasNoGap() {
        #expect(Fraction(0, 0).gap(to: Fraction(1, 2)) == nil)
    }

    @Test func exactForLargeCounts() {
        // 10^12 dossiers: ⌈0.999 × 10^12⌉ = 999_000_000_000, no rounding error.
        #expect(Fraction(998_999_999_999, 1_000_000_000_000).gap(to: Fraction(999, 1000)) == 1)
    }

    @Test func comparisonIsExact() {
        #expect(Fraction(1, 3).comparison(with: Fraction(2, 6)) == 0)
        #expect(Fraction(1, 3).comparison(with: Fraction(333, 1000)) == 1)
        #expect(Fraction(332, 1000).comparison(with: Fraction(1, 3)) == -1)
    }
}
