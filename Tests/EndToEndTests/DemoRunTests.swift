import Foundation
import Testing

/// The demo pipeline over Fixtures/, compared with the outputs the independent oracle
/// (Fixtures/tools/oracle.py) computed from the contract (docs/contract.md): Fixtures/expected/demo/.
@Suite("End to end: the demo pipeline", .serialized)
struct DemoRunTests {
    static let expected = repositoryRoot + "/Fixtures/expected/demo"
    static let csvFiles = ["progress.csv", "procedures.csv", "agencies.csv", "monthly.csv", "rejects.csv"]

    static func runDemo(_ extra: [String] = [], name: String) throws -> (CommandResult, String) {
        let output = OneStopCommand.temporaryOutput(name)
        let result = try OneStopCommand.run(["run", "Pipelines/demo.yaml", "--monthly", "--out", output] + extra)
        return (result, output)
    }

    static let jobs1 = Result { try runDemo(["--jobs", "1"], name: "demo-j1") }
    static let jobs4 = Result { try runDemo(["--jobs", "4"], name: "demo-j4") }

    @Test("Exit 0, the scorecard on stdout, nothing on stderr when not a terminal")
    func exitAndStreams() throws {
        let (result, output) = try Self.jobs1.get()
        #expect(result.status == 0)
        #expect(result.stdout.contains("online_procedure_coverage  all         89.29 %    25/28   50.00 %  ✓      0"))
        #expect(result.stdout.contains("online_procedure_coverage  commune   no source            50.00 %  –"))
        #expect(result.stdout.contains("wrote \(output)"))
        #expect(result.stderr == "")
    }

    @Test("Every CSV is byte-identical to the oracle's", arguments: csvFiles)
    func csvMatchesOracle(file: String) throws {
        let (_, output) = try Self.jobs1.get()
        #expect(try read(output + "/" + file) == read(Self.expected + "/" + file))
    }

    @Test("summary.json: accounting, warnings and scorecard equal the oracle's figures.json")
    func summaryMatchesOracle() throws {
        let (_, output) = try Self.jobs1.get()
        let summary = try readJSON(output + "/summary.json")
        let figures = try readJSON(Self.expected + "/figures.json")
        let ours = try #require(summary["accounting"] as? [String: Any])
        let want = try #require(figures["accounting"] as? [String: Any])
        for key in ["records_read", "rejected", "superseded", "not_accepted", "kept"] {
            #expect((ours[key] as? NSNumber)?.intValue == (want[key] as? NSNumber)?.intValue, "\(key)")
        }
        #expect((ours["rejected_by_reason"] as? [String: NSNumber])?.mapValues(\.intValue)
            == (want["rejected_by_reason"] as? [String: NSNumber])?.mapValues(\.intValue))
        #expect(ours["identity_ok"] as? Bool == true)

        let ourScorecard = try #require(summary["scorecard"] as? [String: Any])
        let wantScorecard = try #require(figures["scorecard"] as? [String: Any])
        func lines(_ any: Any?) -> [String] {
            (any as? [[String: Any]] ?? []).map { line in
                "\(line["name"] ?? "") \(line["numerator"] ?? "")/\(line["denominator"] ?? "") met=\(line["met"].map { "\($0)" } ?? "nil")"
            }
        }
        #expect(lines(ourScorecard["province"]) == lines(wantScorecard["province"]))
        let ourLevels = ourScorecard["by_level"] as? [String: Any] ?? [:]
        let wantLevels = wantScorecard["by_level"] as? [String: Any] ?? [:]
        for level in ["province", "district", "commune"] {
            #expect(lines(ourLevels[level]) == lines(wantLevels[level]), "\(level)")
        }

        let warnings = try #require(summary["warnings"] as? [String: Any])
        let wantWarnings = try #require(figures["warnings"] as? [String: Any])
        #expect((warnings["no_due_date"] as? [String: Any])?["dossiers"] as? [String] == wantWarnings["no_due_date"] as? [String])
        #expect((warnings["missing_agency"] as? [String: Any])?["dossiers"] as? [String] == wantWarnings["missing_agency"] as? [String])
        #expect((warnings["unknown_procedures"] as? [String: NSNumber])?.mapValues(\.intValue)
            == (wantWarnings["unknown_procedure"] as? [String: NSNumber])?.mapValues(\.intValue))
    }

    @Test("--jobs 1 and --jobs 4 write byte-identical outputs")
    func jobsDoNotChangeOutput() throws {
        let (one, outputOne) = try Self.jobs1.get()
        let (four, outputFour) = try Self.jobs4.get()
        #expect(one.status == 0 && four.status == 0)
        for file in Self.csvFiles + ["summary.json"] {
            #expect(try read(outputOne + "/" + file) == read(outputFour + "/" + file), "\(file)")
        }
    }

    @Test("Two runs with the same inputs are byte-identical")
    func repeatable() throws {
        let (_, first) = try Self.jobs1.get()
        let (result, second) = try Self.runDemo(["--jobs", "2"], name: "demo-again")
        #expect(result.status == 0)
        for file in Self.csvFiles + ["summary.json"] {
            #expect(try read(first + "/" + file) == read(second + "/" + file), "\(file)")
        }
    }

    @Test("--excel: UTF-8 byte-order mark and CRLF, same cells")
    func excelFlavour() throws {
        let (_, plain) = try Self.jobs1.get()
        let (result, excel) = try Self.runDemo(["--excel"], name: "demo-excel")
        #expect(result.status == 0)
        for file in Self.csvFiles {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: excel + "/" + file))
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(file) starts with the BOM")
            let text = try read(excel + "/" + file)
            #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "\(file) uses CRLF only")
            let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text  // Foundation may drop the BOM
            let normalised = body.replacingOccurrences(of: "\r\n", with: "\n")
            #expect(normalised == (try read(plain + "/" + file)), "\(file) has the same cells")
        }
    }

    @Test("The figures CSVs start with the contract's columns")
    func headers() throws {
        let (_, output) = try Self.jobs1.get()
        let figures = figureColumns.joined(separator: ",")
        #expect(try read(output + "/progress.csv").hasPrefix("dimension,key," + figures + "\n"))
        #expect(try read(output + "/procedures.csv").hasPrefix("agency,procedure,procedure_name,agency_name," + figures + "\n"))
        #expect(try read(output + "/agencies.csv").hasPrefix("agency,level,agency_name," + figures + "\n"))
        #expect(try read(output + "/monthly.csv").hasPrefix("month," + figures + "\n"))
        #expect(try read(output + "/rejects.csv").hasPrefix("file,line,dossier_id,field,reason\n"))
        #expect(try read(output + "/progress.csv").contains("\nprovince,ALL,184,200,6,390,228,83,49,360,13,17,30,384,184,59,299,324,0.4792,0.1536,0.7786,0.8308\n"))
    }

    @Test("No personal-data value from the fixtures appears in any output or message")
    func noPersonalData() throws {
        let (result, output) = try Self.jobs1.get()
        let values = try read(repositoryRoot + "/Fixtures/demo/personal-values.txt")
            .split(separator: "\n").map(String.init).filter { $0.count >= 6 }
        #expect(values.count > 1000)
        let inspect = try OneStopCommand.run(["inspect", "Fixtures/demo/tinh/tinh_20220701.xml", "--dialect", "dvcqg", "--samples", "50"])
        var texts = [result.stdout, result.stderr, inspect.stdout, inspect.stderr]
        for file in try FileManager.default.contentsOfDirectory(atPath: output) {
            texts.append(try read(output + "/" + file))
        }
        let everything = texts.joined(separator: "\n")
        let leaked = values.filter { everything.contains($0) }
        #expect(leaked.isEmpty, "personal values in outputs: \(leaked.prefix(5))")
    }

    @Test("Period and inputs from the command line override the pipeline")
    func overrides() throws {
        let output = OneStopCommand.temporaryOutput("demo-override")
        let result = try OneStopCommand.run([
            "run", "Pipelines/demo.yaml", "--from", "2022-07-01", "--to", "2022-09-30", "--out", output,
            "Fixtures/demo/tinh",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try readJSON(output + "/summary.json")
        let period = summary["period"] as? [String: Any]
        #expect(period?["from"] as? String == "2022-07-01")
        #expect(period?["to"] as? String == "2022-09-30")
        let files = ((summary["accounting"] as? [String: Any])?["files"] as? [[String: Any]] ?? [])
        #expect(!files.isEmpty)
        #expect(files.allSatisfy { $0["source"] as? String == "tinh" })
        let progress = try FigureTable(path: output + "/progress.csv").keyed(by: ["dimension", "key"])
        #expect(progress["level|district"] == nil)
        #expect(progress["level|province"] != nil)
    }
}
