import Foundation
import Testing

/// `figures.csv` in a pivot table: summing one measure's numerator over one dimension gives the
/// province's figure (docs/figures.md, "figures.csv"), on the demo and on the acceptance year.
@Suite("End to end: figures.csv sums to the province by pivot", .serialized)
struct FiguresPivotTests {
    struct PivotRun {
        var result: CommandResult
        var output: String
    }

    static func run(_ pipeline: String, name: String) throws -> PivotRun {
        let output = OneStopCommand.temporaryOutput(name)
        let result = try OneStopCommand.run(["run", pipeline, "--monthly", "--quiet", "--out", output])
        return PivotRun(result: result, output: output)
    }

    static let demo = Result { try run("Pipelines/demo.yaml", name: "pivot-demo") }
    /// Exits 65 by design: five of the acceptance exports are broken.
    static let acceptance = Result { try run("Pipelines/acceptance-2022.yaml", name: "pivot-acceptance") }

    static let runs = ["demo", "acceptance"]

    /// The figures.csv rows of scope `progress`, and progress.csv's `province,ALL` row.
    static func tables(_ name: String) throws -> (figures: [[String: String]], province: [String: String]) {
        let run = try (name == "demo" ? demo : acceptance).get()
        #expect(run.result.status == (name == "demo" ? 0 : 65), "\(run.result.stderr)")
        let figures = try FigureTable(path: run.output + "/figures.csv").rows.filter { $0["scope"] == "progress" }
        let province = try #require(
            try FigureTable(path: run.output + "/progress.csv").keyed(by: ["dimension", "key"])["province|ALL"])
        return (figures, province)
    }

    static func sum(_ rows: [[String: String]], measure: String, dimension: String, of column: String = "numerator")
        -> Int
    {
        rows.filter { $0["measure"] == measure && $0["dimension"] == dimension }
            .reduce(0) { $0 + (Int($1[column] ?? "") ?? 0) }
    }

    @Test("received summed over agencies, and total over levels, give progress.csv's province row", arguments: runs)
    func receivedAndTotal(name: String) throws {
        let (figures, province) = try Self.tables(name)
        let received = try #require(Int(province["received"] ?? ""))
        let total = try #require(Int(province["total"] ?? ""))
        #expect(received > 0 && total > received)
        #expect(Self.sum(figures, measure: "received", dimension: "agency") == received)
        #expect(Self.sum(figures, measure: "total", dimension: "level") == total)
    }

    @Test("Every measure's numerator and denominator, summed over every dimension, give the province's", arguments: runs)
    func everyMeasureOverEveryDimension(name: String) throws {
        let (figures, _) = try Self.tables(name)
        let dimensions = ["level", "field", "agency", "procedure", "agency_procedure", "agency_level", "month"]
        let provinceRows = figures.filter { $0["dimension"] == "province" }
        #expect(provinceRows.count == figureColumns.count)
        var mismatches: [String] = []
        for row in provinceRows {
            let measure = row["measure"] ?? ""
            for dimension in dimensions {
                for column in ["numerator", "denominator"] where !(row[column] ?? "").isEmpty {
                    let sum = Self.sum(figures, measure: measure, dimension: dimension, of: column)
                    if String(sum) != row[column] {
                        mismatches.append("\(measure) \(column) over \(dimension): \(sum), province \(row[column] ?? "")")
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }
}
