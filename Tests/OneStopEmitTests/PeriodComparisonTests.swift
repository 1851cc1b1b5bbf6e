import Foundation
import OneStopAggregate
import OneStopModel
import Testing
@testable import OneStopEmit

@Suite struct PeriodComparisonTests {
    static let year2021 = Period(from: LocalDate(year: 2021, month: 1, day: 1)!, to: LocalDate(year: 2021, month: 12, day: 31)!)

    /// The sample report with the period before: every province-wide line at 1/2, on_time_rate
    /// at 997/1000, and no line for digitisation_rate; every level line at 1/4.
    static func compared() -> RunReport {
        var report = sampleReport()
        let province = ScorecardMeasure.allCases.filter { $0 != .digitisationRate }.map { measure in
            ScorecardLine(measure: measure, value: measure == .onTimeRate ? Fraction(997, 1000) : Fraction(1, 2), target: nil)
        }
        let levels = Level.allCases.sorted().map { level in
            LevelScorecard(level: level, lines: ScorecardMeasure.allCases.map { ScorecardLine(measure: $0, value: Fraction(1, 4), target: nil) })
        }
        report.comparison = PeriodComparison(period: year2021, scorecard: Scorecard(province: province, byLevel: levels))
        return report
    }

    @Test("The change is exact, in percentage points: (now − before) × 100")
    func changeIsExact() throws {
        let change = try #require(PeriodComparison.change(from: Fraction(3, 4), to: Fraction(4, 5)))
        #expect(change.comparison(with: Fraction(5, 1)) == 0)
        let down = try #require(PeriodComparison.change(from: Fraction(1, 3), to: Fraction(1, 4)))
        #expect(down.comparison(with: Fraction(-25, 3)) == 0)
        #expect(PeriodComparison.change(from: Fraction(0, 0), to: Fraction(1, 2)) == nil)
        #expect(PeriodComparison.change(from: Fraction(1, 2), to: Fraction(0, 0)) == nil)
    }

    @Test("Signed text rounds half away from zero and shows no sign on zero")
    func signedText() {
        #expect(PeriodComparison.signedText(Fraction(5, 1)) == "+5.00")
        #expect(PeriodComparison.signedText(Fraction(-25, 3)) == "-8.33")
        #expect(PeriodComparison.signedText(Fraction(1, 200)) == "+0.01")  // 0.005 → 0.01
        #expect(PeriodComparison.signedText(Fraction(-1, 200)) == "-0.01")
        #expect(PeriodComparison.signedText(Fraction(1, 300)) == "0.00")  // 0.0033 → 0.00, no sign
        #expect(PeriodComparison.signedText(Fraction(0, 7)) == "0.00")
    }

    @Test("summary.json: comparison is null without the period before, and the keys before it are unchanged")
    func summaryWithoutComparison() throws {
        let json = SummaryJSON.render(sampleReport())
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(parsed["comparison"] is NSNull)
        let keys = ["pipeline", "period", "rules", "accounting", "sources", "freshness", "warnings", "problems",
                    "progress_identity_failures", "scorecard", "configuration_fingerprint", "comparison"]
        let positions = keys.map { json.range(of: "\n  \"\($0)\": ")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(Set(parsed.keys) == Set(keys))
    }

    @Test("summary.json: each line's previous value and change, lines the earlier period lacks left out")
    func summaryWithComparison() throws {
        let parsed = try SummaryJSONTests.parsed(Self.compared())
        let comparison = try #require(parsed["comparison"] as? [String: Any])
        #expect(comparison["period"] as? [String: String] == ["from": "2021-01-01", "to": "2021-12-31"])
        let scorecard = try #require(comparison["scorecard"] as? [String: Any])
        let province = try #require(scorecard["province"] as? [[String: Any]])
        #expect(province.map { $0["name"] as? String } == ["online_procedure_coverage", "online_dossier_share",
                                                          "postal_procedure_coverage", "on_time_rate"])
        // online_procedure_coverage: 122/221 against 1/2 → (122/221 − 1/2) × 100 = 5.2036… → 5.20.
        #expect((province[0]["previous_value"] as? NSNumber)?.doubleValue == 0.5)
        #expect(province[0]["previous_numerator"] as? Int == 1)
        #expect(province[0]["previous_denominator"] as? Int == 2)
        #expect((province[0]["change_pp"] as? NSNumber)?.doubleValue == 5.2)
        // online_dossier_share has no value now (0/0): no change.
        #expect(province[1]["value"] is NSNull)
        #expect(province[1]["change_pp"] is NSNull)
        // on_time_rate: 998/1000 against 997/1000 → +0.10.
        #expect((province[3]["change_pp"] as? NSNumber)?.doubleValue == 0.1)
        let byLevel = try #require(scorecard["by_level"] as? [String: [[String: Any]]])
        // district: 0/1 against 1/4 → −25.00.
        #expect((byLevel["district"]?[0]["change_pp"] as? NSNumber)?.doubleValue == -25)
        #expect(SummaryJSON.render(Self.compared()).contains("\"change_pp\": -25.00"))
    }

    @Test("The printed scorecard gains a previous and a change column only with the period before")
    func printedTable() {
        let plain = renderScorecardTable(sampleReport().aggregation.scorecard)
        #expect(!plain.contains("change"))
        let report = Self.compared()
        let table = renderScorecardTable(report.aggregation.scorecard, comparison: report.comparison)
        let rows = table.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows[0].suffix(3) == ["previous", "(2021-01-01…2021-12-31)", "change"])
        #expect(rows[1].suffix(4) == ["50.00", "%", "+5.20", "pp"])
        #expect(rows[4].suffix(4) == ["99.70", "%", "+0.10", "pp"])
        #expect(rows[5].suffix(2) == ["–", "–"])  // digitisation_rate: not in the earlier period
        #expect(rows[11].suffix(4) == ["25.00", "%", "-25.00", "pp"])  // district online_procedure_coverage
    }
}
