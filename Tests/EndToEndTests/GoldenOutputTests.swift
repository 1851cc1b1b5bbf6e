import Foundation
import Testing

/// `dossiers.csv`, `figures.csv`, the scorecard gaps and the per-agency scorecard of the built
/// binary, compared with what the independent oracle (Fixtures/tools/oracle.py) computed from
/// docs/figures.md: Fixtures/expected/demo/ and Fixtures/expected/with-broken/.
@Suite("End to end: dossiers.csv, figures.csv, gaps and agency lines against the oracle", .serialized)
struct GoldenOutputTests {
    /// A run with `--dossiers`, and the folder of the oracle's files for the same pipeline.
    struct GoldenRun {
        var result: CommandResult
        var output: String
        var expected: String
    }

    static func run(_ pipeline: String, expected: String, name: String) throws -> GoldenRun {
        let output = OneStopCommand.temporaryOutput(name)
        let result = try OneStopCommand.run(["run", pipeline, "--monthly", "--dossiers", "--jobs", "1", "--out", output])
        return GoldenRun(result: result, output: output, expected: repositoryRoot + "/Fixtures/expected/" + expected)
    }

    static let demo = Result { try run("Pipelines/demo.yaml", expected: "demo", name: "golden-demo") }
    static let withBroken = Result {
        try run("Fixtures/pipelines/with-broken.yaml", expected: "with-broken", name: "golden-with-broken")
    }

    static let runs = ["demo", "with-broken"]

    static func golden(_ name: String) throws -> GoldenRun {
        try (name == "demo" ? demo : withBroken).get()
    }

    @Test("The demo exits 0; with-broken exits 65 by design (its broken files fail, R8)")
    func exitStatus() throws {
        let demo = try Self.golden("demo")
        #expect(demo.result.status == 0, "\(demo.result.stderr)")
        #expect(try Self.golden("with-broken").result.status == 65)
    }

    @Test("figures.csv is byte-identical to the oracle's", arguments: runs)
    func figuresMatchOracle(name: String) throws {
        let golden = try Self.golden(name)
        let ours = try read(golden.output + "/figures.csv")
        let oracle = try read(golden.expected + "/figures.csv")
        #expect(firstDifferentLine(ours, oracle) == nil)
    }

    @Test("dossiers.csv has the oracle's rows, cell for cell, by column name", arguments: runs)
    func dossierRowsMatchOracle(name: String) throws {
        let golden = try Self.golden(name)
        let ours = try FigureTable(path: golden.output + "/dossiers.csv")
        let oracle = try FigureTable(path: golden.expected + "/dossiers.csv")
        #expect(Set(ours.header) == Set(oracle.header))
        #expect(ours.rows.count == oracle.rows.count)
        let columns = oracle.header
        var differences: [String] = []
        for (index, (our, want)) in zip(ours.rows, oracle.rows).enumerated() {
            for column in columns where our[column] != want[column] {
                differences.append("line \(index + 2) \(want["source"] ?? ""):\(want["dossier_id"] ?? "") \(column): "
                    + "ours '\(our[column] ?? "missing")', oracle '\(want[column] ?? "")'")
            }
        }
        #expect(differences.isEmpty, "\(differences.count) cell(s) differ:\n\(differences.prefix(20).joined(separator: "\n"))")
    }

    @Test("dossiers.csv has its columns in the order docs/figures.md lists them")
    func dossierColumnOrder() throws {
        let golden = try Self.golden("demo")
        let ours = try FigureTable(path: golden.output + "/dossiers.csv").header
        let oracle = try FigureTable(path: golden.expected + "/dossiers.csv").header
        #expect(ours == oracle)
    }

    @Test("dossiers.csv is byte-identical to the oracle's")
    func dossiersByteIdentical() throws {
        let golden = try Self.golden("demo")
        let ours = try read(golden.output + "/dossiers.csv")
        let oracle = try read(golden.expected + "/dossiers.csv")
        #expect(firstDifferentLine(ours, oracle) == nil)
    }

    @Test("summary.json: every province and level scorecard line has the oracle's gap", arguments: runs)
    func gapsMatchOracle(name: String) throws {
        let golden = try Self.golden(name)
        let ours = try #require(try readJSON(golden.output + "/summary.json")["scorecard"] as? [String: Any])
        let oracle = try #require(try readJSON(golden.expected + "/figures.json")["scorecard"] as? [String: Any])
        func gaps(_ scorecard: [String: Any]) -> [String] {
            var lines = (scorecard["province"] as? [[String: Any]] ?? []).map { ("ALL", $0) }
            let levels = scorecard["by_level"] as? [String: Any] ?? [:]
            for level in ["province", "district", "commune"] {
                lines += (levels[level] as? [[String: Any]] ?? []).map { (level, $0) }
            }
            return lines.map { scope, line in
                "\(scope) \(line["name"] ?? "?") gap=\((line["gap"] as? NSNumber).map { "\($0.intValue)" } ?? "null")"
            }
        }
        let want = gaps(oracle)
        #expect(want.count == 20)
        #expect(gaps(ours) == want)
    }

    @Test("figures.csv: every agency's scorecard line equals the oracle's", arguments: runs)
    func agencyLinesMatchOracle(name: String) throws {
        let golden = try Self.golden(name)
        let rows = try FigureTable(path: golden.output + "/figures.csv").rows
            .filter { $0["scope"] == "scorecard" && $0["dimension"] == "agency" }
        let ours = rows.map { row in
            AgencyLine(
                agency: row["key"] ?? "", measure: row["measure"] ?? "", numerator: row["numerator"] ?? "",
                denominator: row["denominator"] ?? "", value: row["value"] ?? "",
                target: ExactFraction(decimal: row["target"] ?? "")?.text ?? row["target"] ?? "", met: row["met"] ?? "")
        }
        let scorecard = try #require(try readJSON(golden.expected + "/figures.json")["scorecard"] as? [String: Any])
        let agencies = try #require(scorecard["by_agency"] as? [String: [String: Any]])
        let oracle = agencies.keys.sorted().flatMap { agency in
            (agencies[agency]?["lines"] as? [[String: Any]] ?? []).map { line in
                AgencyLine(
                    agency: agency, measure: line["name"] as? String ?? "",
                    numerator: (line["numerator"] as? NSNumber).map { "\($0.intValue)" } ?? "",
                    denominator: (line["denominator"] as? NSNumber).map { "\($0.intValue)" } ?? "",
                    value: line["value"] as? String ?? "",
                    target: (line["target"] as? String).flatMap { ExactFraction(ratio: $0)?.text } ?? "",
                    met: (line["met"] as? Bool).map { $0 ? "true" : "false" } ?? "")
            }
        }
        #expect(oracle.count == 5 * agencies.count && !agencies.isEmpty)
        #expect(ours == oracle)
    }

    @Test("agency_scorecard.csv: every agency line's gap, n and rank equal the oracle's", arguments: runs)
    func agencyRanksMatchOracle(name: String) throws {
        let golden = try Self.golden(name)
        let rows = try FigureTable(path: golden.output + "/agency_scorecard.csv").rows
        // The oracle flags every unranked line resting on fewer than report.minDossiers (10)
        // dossiers; the CSV says `no_value` instead when the line has no value at all.
        let ours = rows.map { row in
            [row["agency"] ?? "", row["measure"] ?? "", row["numerator"] ?? "", row["denominator"] ?? "",
             row["met"] ?? "", row["gap"] ?? "", row["dossiers"] ?? "", row["rank"] ?? "",
             (row["rank"] ?? "").isEmpty && Int(row["dossiers"] ?? "") ?? 0 < 10 ? "too few" : ""].joined(separator: " ")
        }
        for row in rows {
            let expected = !(row["rank"] ?? "").isEmpty ? "ranked" : row["denominator"] == "0" ? "no_value" : "too_few_dossiers"
            #expect(row["ranking"] == expected, "\(row)")
        }
        let scorecard = try #require(try readJSON(golden.expected + "/figures.json")["scorecard"] as? [String: Any])
        let agencies = try #require(scorecard["by_agency"] as? [String: [String: Any]])
        let oracle = agencies.keys.sorted().flatMap { agency in
            (agencies[agency]?["lines"] as? [[String: Any]] ?? []).map { line -> String in
                func number(_ key: String) -> String { (line[key] as? NSNumber).map { "\($0.intValue)" } ?? "" }
                return [agency, line["name"] as? String ?? "", number("numerator"), number("denominator"),
                        (line["met"] as? Bool).map { $0 ? "true" : "false" } ?? "", number("gap"), number("dossiers"),
                        number("rank"), line["too_few_dossiers"] as? Bool == true ? "too few" : ""].joined(separator: " ")
            }
        }
        #expect(!oracle.isEmpty)
        #expect(ours == oracle)
    }
}

/// The first line where two texts differ, as "line N: ours … / oracle …"; nil when they are equal
/// (a short message instead of both files in full).
func firstDifferentLine(_ ours: String, _ oracle: String) -> String? {
    if ours == oracle { return nil }
    let a = ours.split(separator: "\n", omittingEmptySubsequences: false)
    let b = oracle.split(separator: "\n", omittingEmptySubsequences: false)
    for index in 0..<max(a.count, b.count) {
        let left = index < a.count ? String(a[index]) : "(end of file)"
        let right = index < b.count ? String(b[index]) : "(end of file)"
        if left != right { return "line \(index + 1): ours \(left) / oracle \(right)" }
    }
    return "the files differ in line endings"
}

/// One per-agency scorecard line as text, for comparing figures.csv with figures.json.
struct AgencyLine: Equatable, CustomStringConvertible {
    var agency, measure, numerator, denominator, value, target, met: String

    var description: String { "\(agency) \(measure) \(numerator)/\(denominator) \(value) target \(target) met \(met)" }
}

/// A target read exactly from figures.csv (`0.999`) or figures.json (`999/1000`), as reduced `n/d`.
struct ExactFraction {
    var numerator: Int
    var denominator: Int

    var text: String { "\(numerator)/\(denominator)" }

    init?(ratio text: String) {
        let parts = text.split(separator: "/")
        guard let numerator = Int(parts.first ?? ""), let denominator = parts.count == 2 ? Int(parts[1]) : 1 else {
            return nil
        }
        self.init(numerator, denominator)
    }

    init?(decimal text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0]) else { return nil }
        let digits = parts.count == 2 ? String(parts[1]) : ""
        guard digits.count <= 15, digits.allSatisfy(\.isNumber) else { return nil }
        var denominator = 1
        for _ in digits { denominator *= 10 }
        self.init(whole * denominator + (Int(digits) ?? 0), denominator)
    }

    private init?(_ numerator: Int, _ denominator: Int) {
        guard denominator > 0 else { return nil }
        var (a, b) = (numerator, denominator)
        while b != 0 { (a, b) = (b, a % b) }
        self.numerator = numerator / a
        self.denominator = denominator / a
    }
}
