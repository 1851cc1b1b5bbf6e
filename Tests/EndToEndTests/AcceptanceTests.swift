import Foundation
import Testing

/// `onestop run` over ../shared/acceptance/dvcqg-2022-small reproduces the independently computed
/// expected.json and expected-rejects.csv there.
@Suite("Acceptance: dvcqg 2022 small", .serialized)
struct AcceptanceTests {
    static let acceptance = repositoryRoot + "/../shared/acceptance/dvcqg-2022-small"
    static let output = OneStopCommand.temporaryOutput("acceptance")
    static let result = Result { try OneStopCommand.run(["run", "Pipelines/acceptance-2022.yaml", "--monthly", "--out", output, "--quiet"]) }

    var expected: [String: Any] { (try? readJSON(Self.acceptance + "/expected.json")) ?? [:] }

    func run() throws -> CommandResult { try Self.result.get() }

    @Test("Exit 65: the five bad_* files fail, the rest is counted")
    func exitStatusAndFailedFiles() throws {
        let result = try run()
        #expect(result.status == 65)
        let summary = try readJSON(Self.output + "/summary.json")
        let accounting = try #require(summary["accounting"] as? [String: Any])
        let files = try #require(accounting["files"] as? [[String: Any]])
        let failed = files.filter { $0["status"] as? String == "failed" }.compactMap { $0["path"] as? String }.sorted()
        let expectedFailed = ((expected["accounting"] as? [String: Any])?["failed_files"] as? [[String: Any]] ?? [])
            .compactMap { $0["path"] as? String }.sorted()
        #expect(failed == expectedFailed)
        for file in files where file["status"] as? String == "failed" {
            #expect((file["error"] as? String)?.isEmpty == false)
        }
        let expectedFiles = (expected["accounting"] as? [String: Any])?["files"] as? [[String: Any]] ?? []
        for want in expectedFiles {
            let ours = files.first { $0["path"] as? String == want["path"] as? String }
            #expect(ours?["sha256"] as? String == want["sha256"] as? String, "sha256 of \(want["path"] ?? "")")
            #expect((ours?["bytes"] as? NSNumber)?.intValue == (want["bytes"] as? NSNumber)?.intValue)
        }
    }

    @Test("Accounting (R7) matches")
    func accounting() throws {
        _ = try run()
        let ours = try #require(try readJSON(Self.output + "/summary.json")["accounting"] as? [String: Any])
        let want = try #require(expected["accounting"] as? [String: Any])
        for key in ["records_read", "rejected", "superseded", "not_accepted", "kept"] {
            #expect((ours[key] as? NSNumber)?.intValue == (want[key] as? NSNumber)?.intValue, "\(key)")
        }
        let ourReasons = (ours["rejected_by_reason"] as? [String: NSNumber] ?? [:]).mapValues(\.intValue)
        let wantReasons = (want["rejected_by_reason"] as? [String: NSNumber] ?? [:]).mapValues(\.intValue)
        #expect(ourReasons == wantReasons)
    }

    @Test("rejects.csv equals expected-rejects.csv")
    func rejects() throws {
        _ = try run()
        #expect(try read(Self.output + "/rejects.csv") == read(Self.acceptance + "/expected-rejects.csv"))
    }

    @Test("Every progress row of every dimension, with exact numerators and denominators")
    func progressRows() throws {
        _ = try run()
        let progress = try #require(expected["progress"] as? [String: [String: [String: Any]]])
        let ours = try FigureTable(path: Self.output + "/progress.csv").keyed(by: ["dimension", "key"])
        var problems: [String] = []
        var expectedKeys = Set<String>()
        for dimension in ["province", "level", "field", "agency", "procedure"] {
            for (key, figures) in progress[dimension] ?? [:] {
                let ourKey = dimension == "province" ? "ALL" : key
                expectedKeys.insert("\(dimension)|\(ourKey)")
                problems += differences(ours: ours["\(dimension)|\(ourKey)"], expected: figures, label: "\(dimension) \(key)")
            }
        }
        let extra = Set(ours.keys).subtracting(expectedKeys)
        #expect(extra.isEmpty, "rows we have that expected.json has not: \(extra.sorted())")
        #expect(problems.isEmpty, "\(problems.count) differences:\n\(problems.prefix(40).joined(separator: "\n"))")
    }

    @Test("procedures.csv matches the agency|procedure dimension")
    func procedureRows() throws {
        _ = try run()
        let expectedRows = try #require((expected["progress"] as? [String: Any])?["agency_procedure"] as? [String: [String: Any]])
        let ours = try FigureTable(path: Self.output + "/procedures.csv").keyed(by: ["agency", "procedure"])
        var problems: [String] = []
        for (key, figures) in expectedRows {
            problems += differences(ours: ours[key], expected: figures, label: key)
        }
        #expect(ours.count == expectedRows.count)
        #expect(problems.isEmpty, "\(problems.count) differences:\n\(problems.prefix(40).joined(separator: "\n"))")
    }

    @Test("monthly.csv matches the month dimension (R17)")
    func monthlyRows() throws {
        _ = try run()
        let expectedRows = try #require((expected["progress"] as? [String: Any])?["month"] as? [String: [String: Any]])
        let ours = try FigureTable(path: Self.output + "/monthly.csv").keyed(by: ["month"])
        var problems: [String] = []
        for (key, figures) in expectedRows {
            problems += differences(ours: ours[key], expected: figures, label: key)
        }
        #expect(ours.count == expectedRows.count)
        #expect(problems.isEmpty, "\(problems.count) differences:\n\(problems.prefix(40).joined(separator: "\n"))")
    }

    @Test("Scorecard lines, province-wide and per level")
    func scorecard() throws {
        _ = try run()
        let ours = try #require(try readJSON(Self.output + "/summary.json")["scorecard"] as? [String: Any])
        let want = try #require(expected["scorecard"] as? [String: Any])
        func compare(_ ourLines: [[String: Any]]?, _ wantLines: [[String: Any]]?, scope: String) {
            let ourByName = Dictionary(uniqueKeysWithValues: (ourLines ?? []).map { ($0["name"] as? String ?? "", $0) })
            for line in wantLines ?? [] {
                let name = line["name"] as? String ?? ""
                let mine = ourByName[name]
                #expect((mine?["numerator"] as? NSNumber)?.intValue == (line["num"] as? NSNumber)?.intValue, "\(scope) \(name) numerator")
                #expect((mine?["denominator"] as? NSNumber)?.intValue == (line["den"] as? NSNumber)?.intValue, "\(scope) \(name) denominator")
                #expect((mine?["met"] as? Bool) == (line["met"] as? Bool), "\(scope) \(name) met")
            }
        }
        compare(ours["province"] as? [[String: Any]], want["province"] as? [[String: Any]], scope: "province-wide")
        let ourLevels = ours["by_level"] as? [String: [[String: Any]]] ?? [:]
        for (level, lines) in want["by_level"] as? [String: [[String: Any]]] ?? [:] {
            compare(ourLevels[level], lines, scope: level)
        }
    }

    @Test("Warnings: dossiers without due date, unknown procedures")
    func warnings() throws {
        _ = try run()
        let ours = try #require(try readJSON(Self.output + "/summary.json")["warnings"] as? [String: Any])
        let want = try #require(expected["warnings"] as? [String: Any])
        let noDue = ours["no_due_date"] as? [String: Any]
        #expect((noDue?["dossiers"] as? [String])?.sorted() == (want["no_due_date_ids"] as? [String])?.sorted())
        let unknown = (ours["unknown_procedures"] as? [String: NSNumber])?.mapValues(\.intValue)
        #expect(unknown == (want["unknown_procedures"] as? [String: NSNumber])?.mapValues(\.intValue))
    }
}
