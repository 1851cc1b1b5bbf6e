import Foundation
import OneStopAggregate
import OneStopModel
import Testing
@testable import OneStopEmit

@Suite struct SummaryJSONTests {
    static func parsed(_ report: RunReport = sampleReport()) throws -> [String: Any] {
        let data = Data(SummaryJSON.render(report).utf8)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func topLevelKeysInTheDocumentedOrder() {
        let json = SummaryJSON.render(sampleReport())
        let keys = ["\"pipeline\"", "\"period\"", "\"rules\"", "\"accounting\"", "\"sources\"", "\"freshness\"",
                    "\"warnings\"", "\"problems\"", "\"progress_identity_failures\"", "\"scorecard\""]
        let positions = keys.map { json.range(of: "\n  \($0): ")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(json.hasPrefix("{\n  \"pipeline\": \"\",\n  \"period\": {\n    \"from\": \"2022-01-01\",\n"))
        #expect(json.hasSuffix("}\n"))
    }

    @Test func periodAndRules() throws {
        let json = try Self.parsed()
        let period = try #require(json["period"] as? [String: Any])
        #expect(period["from"] as? String == "2022-01-01")
        #expect(period["to"] as? String == "2022-12-31")
        #expect(period["timezone"] as? String == "Asia/Ho_Chi_Minh")
        let rules = try #require(json["rules"] as? [String: Any])
        #expect(rules["on_time_granularity"] as? String == "day")
        #expect(rules["multiple_supplements_are_late"] as? Bool == true)
        #expect(rules["max_reject_rate"] as? Double == 0.05)
    }

    @Test func accountingWithFilesAndFailures() throws {
        let accounting = try #require(try Self.parsed()["accounting"] as? [String: Any])
        #expect(accounting["records_read"] as? Int == 12)
        #expect(accounting["rejected"] as? Int == 2)
        #expect(accounting["superseded"] as? Int == 1)
        #expect(accounting["not_accepted"] as? Int == 1)
        #expect(accounting["kept"] as? Int == 8)
        #expect(accounting["identity_ok"] as? Bool == true)  // 12 = 2 + 1 + 1 + 8
        #expect(accounting["rejected_by_reason"] as? [String: Int]
            == ["missing dossier id": 1, "due date before received date": 1])
        let files = try #require(accounting["files"] as? [[String: Any]])
        #expect(files.map { $0["path"] as? String } == ["tinh/a.xml", "tinh/bad.xml", "tinh/old.xml"])
        #expect(files[0]["sha256"] as? String == "ab12")
        #expect(files[0]["bytes"] as? Int == 1234)
        #expect(files[0]["export_time"] as? String == "2022-07-04T02:00:00+07:00")
        #expect(files[0]["records"] as? Int == 12)
        #expect(files[0]["error"] == nil && files[0]["line"] == nil)  // only failed files carry them
        #expect(files[1]["status"] as? String == "failed")
        #expect(files[1]["error"] as? String == "XML error: unclosed token")
        #expect(files[1]["line"] as? Int == 98)
        #expect(files[2]["export_time"] is NSNull)  // explicit null
        // Rejected-by-reason keys are sorted in the text.
        let json = SummaryJSON.render(sampleReport())
        #expect(json.range(of: "due date before received date")!.lowerBound
            < json.range(of: "missing dossier id")!.lowerBound)
    }

    @Test func identityFlagFollowsR7() throws {
        var report = sampleReport()
        report.accounting.kept = 7
        let accounting = try #require(try Self.parsed(report)["accounting"] as? [String: Any])
        #expect(accounting["identity_ok"] as? Bool == false)
    }

    @Test func warningsAreGroupedAndSorted() throws {
        let warnings = try #require(try Self.parsed()["warnings"] as? [String: Any])
        let noDue = try #require(warnings["no_due_date"] as? [String: Any])
        #expect(noDue["count"] as? Int == 2)
        #expect(noDue["dossiers"] as? [String] == ["huyen:A", "tinh:B"])
        #expect(warnings["unknown_procedures"] as? [String: Int] == ["1.000001": 1, "9.999002": 2])
        let missing = try #require(warnings["missing_agency"] as? [String: Any])
        #expect(missing["count"] as? Int == 0)
        #expect(missing["dossiers"] as? [String] == [])
        #expect(warnings["export_time_from_mtime"] as? [String] == ["tinh/old.xml"])
    }

    @Test func identityFailuresAreListed() throws {
        #expect(try Self.parsed()["progress_identity_failures"] as? [String] == [])
        let failing = try Self.parsed(sampleReport(identityFailures: ["progress agency X: total 2 ≠ resolved 1 + in progress 0"]))
        #expect(failing["progress_identity_failures"] as? [String]
            == ["progress agency X: total 2 ≠ resolved 1 + in progress 0"])
    }

    @Test func scorecardLines() throws {
        let scorecard = try #require(try Self.parsed()["scorecard"] as? [String: Any])
        let province = try #require(scorecard["province"] as? [[String: Any]])
        #expect(province.map { $0["name"] as? String } == ScorecardMeasure.allCases.map(\.rawValue))
        // 122/221 = 0.55203… → 0.5520; target 1/2 → 0.5; met.
        #expect(province[0]["value"] as? Double == 0.552)
        #expect(province[0]["numerator"] as? Int == 122)
        #expect(province[0]["denominator"] as? Int == 221)
        #expect(province[0]["target"] as? Double == 0.5)
        #expect(province[0]["met"] as? Bool == true)
        // 0/0: value and met are explicit nulls; the target stays.
        #expect(province[1]["value"] is NSNull)
        #expect(province[1]["met"] is NSNull)
        #expect(province[1]["target"] as? Double == 0.55)
        // No target: target and met null.
        #expect(province[2]["target"] is NSNull)
        #expect(province[2]["met"] is NSNull)
        // 998/1000 against 0.999: not met.
        #expect(province[3]["value"] as? Double == 0.998)
        #expect(province[3]["target"] as? Double == 0.999)
        #expect(province[3]["met"] as? Bool == false)
        let byLevel = try #require(scorecard["by_level"] as? [String: [[String: Any]]])
        #expect(Set(byLevel.keys) == ["province", "district", "commune"])
        #expect(byLevel["district"]?.first?["value"] as? Double == 0)
        // The text: value rounded to 4 decimals, in level order.
        let json = SummaryJSON.render(sampleReport())
        #expect(json.contains("\"value\": 0.5520,"))
        #expect(json.contains("\"value\": 0.6667,"))  // 2/3
        #expect(json.contains("\"value\": null,"))
        let levels = ["\"province\": [", "\"district\": [", "\"commune\": ["].map { json.range(of: $0)!.lowerBound }
        #expect(levels == levels.sorted())
    }

    @Test func decimalsAreExactWhenTheyTerminate() {
        #expect(SummaryJSON.decimal(Fraction(999, 1000)) == .number("0.999"))
        #expect(SummaryJSON.decimal(Fraction(11, 20)) == .number("0.55"))
        #expect(SummaryJSON.decimal(Fraction(1, 1)) == .number("1"))
        #expect(SummaryJSON.decimal(Fraction(55, 100)) == .number("0.55"))
        #expect(SummaryJSON.decimal(Fraction(2, 3)) == .number(String(2.0 / 3.0)))
        #expect(SummaryJSON.decimal(Fraction(1, 0)) == .null)
    }

    @Test func stringsAreEscaped() throws {
        let value = JSONValue.object([("k", .string("quote \" backslash \\ newline \n tab \t bell \u{07} Đà Nẵng"))])
        let data = Data(value.pretty().utf8)
        let parsed = try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
        #expect(parsed["k"] == "quote \" backslash \\ newline \n tab \t bell \u{07} Đà Nẵng")
        #expect(value.pretty().contains("\\u0007"))
    }
}

@Suite struct ScorecardTableTests {
    @Test func oneLinePerMeasureAndScope() {
        let table = renderScorecardTable(sampleReport().aggregation.scorecard)
        let rows = table.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.count == 1 + 5 * 4)  // header, then 5 measures × (all + 3 levels)
        #expect(rows[0] == ["measure", "scope", "value", "num/den", "target", "met", "gap"])
        // 122/221 = 55.203 % → 55.20 %, target 50.00 %, met, gap 0.
        #expect(rows[1] == ["online_procedure_coverage", "all", "55.20", "%", "122/221", "50.00", "%", "✓", "0"])
        #expect(rows[2] == ["online_dossier_share", "all", "–", "0/0", "55.00", "%", "–"])
        #expect(rows[3] == ["postal_procedure_coverage", "all", "30.53", "%", "58/190", "–", "–"])
        // 998/1000 against 99.9 %: one more on-time dossier would meet it.
        #expect(rows[4] == ["on_time_rate", "all", "99.80", "%", "998/1000", "99.90", "%", "✗", "1"])
        // 2/3 against 100 %: one more.
        #expect(rows[5] == ["digitisation_rate", "all", "66.67", "%", "2/3", "100.00", "%", "✗", "1"])
        #expect(rows[6] == ["online_procedure_coverage", "province", "100.00", "%", "1/1", "50.00", "%", "✓", "0"])
        #expect(rows[11].prefix(2) == ["online_procedure_coverage", "district"])
        #expect(rows[16].prefix(2) == ["online_procedure_coverage", "commune"])
    }

    @Test func columnsAreAligned() {
        let lines = renderScorecardTable(sampleReport().aggregation.scorecard).split(separator: "\n")
        let header = lines[0]
        let scopeColumn = header.distance(from: header.startIndex, to: header.range(of: "scope")!.lowerBound)
        let metColumn = header.distance(from: header.startIndex, to: header.range(of: "met")!.lowerBound)
        for line in lines.dropFirst() {
            let scope = line.split(separator: " ")[1]
            let start = line.range(of: " \(scope) ")!.lowerBound
            #expect(line.distance(from: line.startIndex, to: start) + 1 == scopeColumn)
            // The mark sits under "met"; a gap, right-aligned, ends under "gap".
            let mark = line[line.index(line.startIndex, offsetBy: metColumn)]
            #expect("✓✗–".contains(mark), "\(line)")
            #expect(line.count == metColumn + 1 || line.count == header.count)
        }
    }

    @Test("A level no source has reads 'no source', without value, mark or gap")
    func levelWithoutSource() {
        var scorecard = sampleReport().aggregation.scorecard
        scorecard.byLevel[2].hasSources = false
        let rows = renderScorecardTable(scorecard).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows[16] == ["online_procedure_coverage", "commune", "no", "source", "50.00", "%", "–"])
        #expect(rows[11].contains("✓") || rows[11].contains("✗"))  // district has sources
    }
}
