import Foundation
import Testing

/// Reads `onestop.xlsx` back with openpyxl — a reader that shares no code with the writer — and
/// checks every sheet against the files the same run wrote: each data sheet's cells against its
/// CSV, the Scorecard sheet against `summary.json`; and the formats: counts are integers,
/// ratios are numbers formatted as percentages, the header row is bold and frozen, with an
/// autofilter over the table.
///
/// Needs `python3` with openpyxl (`make test` installs it). Without it the test is skipped —
/// unless `ONESTOP_REQUIRE_OPENPYXL=1`, which `make test` sets once openpyxl is installed, so a
/// missing reader cannot pass silently there.
@Suite struct WorkbookReadBackTests {
    static let required = ProcessInfo.processInfo.environment["ONESTOP_REQUIRE_OPENPYXL"] == "1"
    static let available = required || ((try? runProgram("python3", ["-c", "import openpyxl"]).status) == 0)

    struct Sheet: Decodable {
        var name: String
        var freeze: String?
        var filter: String?
        /// The Excel Tables of the sheet: name → range.
        var tables: [String: String]
        var printTitles: String?
        var rows: [[Cell]]
    }

    struct Cell: Decodable {
        /// openpyxl's value type: `str`, `int`, `float`, `NoneType`, …
        var type: String
        /// `str(value)` (`repr` for a float), nil for an empty cell.
        var value: String?
        var format: String
        var bold: Bool
    }

    static let script = #"""
        import json, sys
        import openpyxl
        book = openpyxl.load_workbook(sys.argv[1])
        sheets = []
        for sheet in book.worksheets:
            rows = []
            for row in sheet.iter_rows():
                rows.append([{
                    "type": type(cell.value).__name__,
                    "value": None if cell.value is None else (repr(cell.value) if isinstance(cell.value, float) else str(cell.value)),
                    "format": cell.number_format,
                    "bold": bool(cell.font is not None and cell.font.b),
                } for cell in row])
            sheets.append({"name": sheet.title, "freeze": sheet.freeze_panes, "filter": sheet.auto_filter.ref,
                           "tables": dict(sheet.tables.items()),
                           "printTitles": sheet.print_title_rows, "rows": rows})
        json.dump(sheets, sys.stdout, ensure_ascii=False)
        """#

    static func read(_ path: String) throws -> [Sheet] {
        let result = try runProgram("python3", ["-c", script, path])
        try #require(result.status == 0, "openpyxl could not read \(path)")
        return try JSONDecoder().decode([Sheet].self, from: Data(result.output.utf8))
    }

    static let ratioColumns: Set = ["online_share", "postal_share", "digitisation_rate", "on_time_rate", "target"]
    static let textColumns: Set = ["dimension", "key", "agency", "agency_name", "procedure", "procedure_name", "level",
                                   "month", "file", "dossier_id", "field", "reason", "period_from", "period_to", "scope",
                                   "measure", "met"]
    /// The counts of `dossiers.csv`; its other columns are text.
    static let dossierCounts: Set = ["supplement_requests", "digitised", "postal", "days_late"]
    /// The sheets that hold a CSV, and its name.
    static let files = ["Progress": "progress.csv", "Procedures": "procedures.csv", "Agencies": "agencies.csv",
                        "Monthly": "monthly.csv", "Rejects": "rejects.csv", "Figures": "figures.csv",
                        "Dossiers": "dossiers.csv"]

    @Test(.enabled(if: available, "python3 with openpyxl is not installed (make test installs it)"))
    func everySheetEqualsItsCSV() throws {
        let output = try runDemo(xlsx: true, dossiers: true)
        defer { try? FileManager.default.removeItem(atPath: output) }
        let sheets = try Self.read(output + "/onestop.xlsx")
        #expect(sheets.map(\.name) == ["Scorecard", "Agency scorecard", "Progress", "Procedures", "Agencies", "Monthly",
                                       "Rejects", "Figures", "Dossiers"])
        for sheet in sheets {
            #expect(sheet.freeze == "A2", "\(sheet.name): the header row is frozen")
            #expect(sheet.printTitles == "$1:$1", "\(sheet.name): the header row is printed on every page")
        }
        let catalogue = try catalogueLevelsAndFields()
        for sheet in sheets {
            guard let file = Self.files[sheet.name] else { continue }
            let csv = parseCSV(try String(contentsOfFile: "\(output)/\(file)", encoding: .utf8))
            let header = csv[0]
            var rows = sheet.rows
            if sheet.name == "Procedures" {
                // The sheet adds the catalogue's level and field after the key columns (procedure_name,
                // then agency_name when a register names the agencies): checked against the
                // catalogue, then set aside to compare the rest with the CSV.
                let at = try #require(header.firstIndex(of: "agency_name") ?? header.firstIndex(of: "procedure_name")) + 1
                #expect(rows[0][at].value == "level" && rows[0][at + 1].value == "field")
                for (cells, fields) in zip(rows.dropFirst(), csv.dropFirst()) {
                    let expected = catalogue[fields[header.firstIndex(of: "procedure")!]]
                    #expect(cells[at].value == expected?.level && cells[at + 1].value == expected?.field.nilIfEmpty,
                            "Procedures: \(fields[0]) \(fields[1]): the catalogue's level and field")
                }
                rows = rows.map { Array($0[..<at] + $0[(at + 2)...]) }
            }
            #expect(rows.count == csv.count, "\(sheet.name): rows")
            let range = "A1:\(columnLetters(sheet.rows[0].count))\(csv.count)"
            if sheet.name == "Figures" {
                #expect(sheet.tables == ["Figures": range], "Figures: an Excel Table over every figure")
                #expect(sheet.filter == nil, "Figures: the table's own filter only")
            } else {
                #expect(sheet.filter == range, "\(sheet.name): autofilter")
            }
            for (rowIndex, (cells, fields)) in zip(rows, csv).enumerated() {
                #expect(cells.count == fields.count, "\(sheet.name) row \(rowIndex + 1): columns")
                for (column, (cell, field)) in zip(cells, fields).enumerated() {
                    let place = "\(sheet.name)!\(columnLetters(column + 1))\(rowIndex + 1)"
                    if rowIndex == 0 {
                        #expect(cell.type == "str" && sameScalars(cell.value, field), "\(place): header")
                        #expect(cell.bold, "\(place): the header is bold")
                        continue
                    }
                    #expect(!cell.bold, "\(place): data is not bold")
                    let name = header[column]
                    // figures.csv's value is a count where the row has no denominator, else a ratio.
                    let isRatio = Self.ratioColumns.contains(name)
                        || (name == "value" && !fields[header.firstIndex(of: "denominator")!].isEmpty)
                    if field.isEmpty {
                        #expect(cell.type == "NoneType", "\(place): an empty CSV field is an empty cell")
                    } else if isRatio {
                        #expect(cell.type == "float" || cell.type == "int", "\(place): \(field) as a number")
                        #expect(Double(cell.value ?? "") == Double(field), "\(place): \(field) as a number")
                        #expect(cell.format == "0.00%", "\(place): a ratio is formatted as a percentage")
                    } else if sheet.name == "Dossiers" ? !Self.dossierCounts.contains(name) : Self.textColumns.contains(name) {
                        #expect(cell.type == "str" && sameScalars(cell.value, field), "\(place): text \(field)")
                    } else {
                        #expect(cell.type == "int" && cell.value == field, "\(place): \(field) as an integer")
                        #expect(cell.format == (name == "line" ? "0" : "#,##0"), "\(place): integer format")
                    }
                }
            }
        }
    }

    @Test(.enabled(if: available, "python3 with openpyxl is not installed (make test installs it)"))
    func agencyScorecardSheetEqualsFiguresCSV() throws {
        let output = try runDemo(xlsx: true)
        defer { try? FileManager.default.removeItem(atPath: output) }
        let sheet = try #require(try Self.read(output + "/onestop.xlsx").first { $0.name == "Agency scorecard" })
        let csv = parseCSV(try String(contentsOfFile: "\(output)/figures.csv", encoding: .utf8))
        let header = csv[0]
        func field(_ row: [String], _ name: String) -> String { row[header.firstIndex(of: name)!] }
        let lines = csv.dropFirst().filter { field($0, "scope") == "scorecard" && field($0, "dimension") == "agency" }
        #expect(sheet.rows.count == lines.count + 1)
        // The demo's register names the agencies: one column after the code, the rest shift by one.
        #expect(sheet.rows[0].count == 13, "agency, name and eleven columns")
        #expect(sheet.filter == "A1:M\(lines.count + 1)")
        let names = try demoAgencyNames()
        for (cells, line) in zip(sheet.rows.dropFirst(), lines) {
            #expect(cells[1].value == names[field(line, "key")], "the register's name of \(field(line, "key"))")
            let cells = [cells[0]] + cells.dropFirst(2)
            // Agency, code, numerator and denominator as figures.csv has them; value and target as numbers.
            #expect(cells[0].value == field(line, "key") && cells[1].value == field(line, "measure"))
            #expect(cells[4].value == field(line, "numerator") && cells[5].value == field(line, "denominator"))
            #expect(cells[3].value.flatMap(Double.init) == Double(field(line, "value")))
            #expect(cells[8].value.flatMap(Double.init) == Double(field(line, "target")))
            #expect(cells[6].type == "int", "n, the dossiers the line rests on")
            let met = field(line, "met")
            #expect(cells[9].value == (met == "true" ? "Đạt" : met == "false" ? "Chưa đạt" : cells[9].value))
            // Ranked or "too few dossiers" (or an empty value), never both.
            #expect((cells[7].value != nil) != (cells[11].value != nil || field(line, "value").isEmpty))
        }
        #expect(sheet.rows.dropFirst().contains { $0[8].value == "1" }, "the demo ranks agencies")
        #expect(sheet.rows.dropFirst().contains { $0[12].value == "Quá ít hồ sơ để xếp hạng" }, "and has agencies with too few dossiers")
    }

    /// `Fixtures/demo/agencies.csv`'s names by code (a reader of its own, not the register loader).
    private func demoAgencyNames() throws -> [String: String] {
        let rows = parseCSV(try String(contentsOfFile: repositoryRoot + "/Fixtures/demo/agencies.csv", encoding: .utf8))
        let code = try #require(rows[0].firstIndex(of: "code"))
        let name = try #require(rows[0].firstIndex(of: "name"))
        return Dictionary(rows.dropFirst().filter { $0.count > name }.map { ($0[code], $0[name]) }) { first, _ in first }
    }

    /// `Fixtures/demo/catalogue.csv`'s level and field by procedure code (a reader of its own, not
    /// the catalogue loader).
    private func catalogueLevelsAndFields() throws -> [String: (level: String, field: String)] {
        let rows = parseCSV(try String(contentsOfFile: repositoryRoot + "/Fixtures/demo/catalogue.csv", encoding: .utf8))
        let header = rows[0]
        let code = try #require(header.firstIndex(of: "code"))
        let level = try #require(header.firstIndex(of: "level"))
        let field = try #require(header.firstIndex(of: "field"))
        // Codes as the catalogue normalises them: trimmed, upper-cased.
        return Dictionary(rows.dropFirst().map {
            ($0[code].trimmingCharacters(in: .whitespaces).uppercased(), (level: $0[level], field: $0[field]))
        }) { first, _ in first }
    }

    @Test(.enabled(if: available, "python3 with openpyxl is not installed (make test installs it)"))
    func scorecardSheetEqualsSummaryJSON() throws {
        let output = try runDemo(xlsx: true)
        defer { try? FileManager.default.removeItem(atPath: output) }
        let sheet = try #require(try Self.read(output + "/onestop.xlsx").first { $0.name == "Scorecard" })
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output + "/summary.json"))) as? [String: Any])
        let scorecard = try #require(summary["scorecard"] as? [String: Any])
        let byLevel = try #require(scorecard["by_level"] as? [String: Any])
        let scopes: [(String, Any?)] = [("Toàn tỉnh", scorecard["province"]), ("Cấp tỉnh", byLevel["province"]),
                                        ("Cấp huyện", byLevel["district"]), ("Cấp xã", byLevel["commune"])]
        var expected: [[String?]] = []
        for (scope, lines) in scopes {
            for line in try #require(lines as? [[String: Any]]) {
                let met = line["met"] as? Bool
                let outcome = line["no_source"] as? Bool == true ? "Chưa có nguồn"
                    : met == true ? "Đạt" : met == false ? "Chưa đạt" : line["target"] is NSNull ? "Không đặt mục tiêu" : "Chưa có số liệu"
                expected.append([scope, line["name"] as? String, number(line["value"], ratio: true), number(line["numerator"]),
                                 number(line["denominator"]), number(line["target"], ratio: true), outcome,
                                 number(line["gap"])])
            }
        }
        #expect(sheet.freeze == "A2")
        #expect(sheet.filter == "A1:K\(expected.count + 1)", "8 columns, gap, period from and to")
        #expect(sheet.rows.first?.allSatisfy(\.bold) == true)
        #expect(sheet.rows.count == expected.count + 1)
        for (cells, line) in zip(sheet.rows.dropFirst(), expected) {
            let values: [String?] = [cells[0].value, cells[1].value, cells[3].value.flatMap(Double.init).map { "\($0)" },
                                     cells[4].value, cells[5].value, cells[6].value.flatMap(Double.init).map { "\($0)" },
                                     cells[7].value, cells[8].value]
            #expect(values == line)
            #expect(cells[9].value == "2022-01-01" && cells[10].value == "2022-12-31", "the period on every line")
            #expect(cells[3].value == nil || cells[3].format == "0.00%")
            #expect(cells[6].value == nil || cells[6].format == "0.00%")
            #expect(cells[4].type == "int" && cells[5].type == "int")
        }
        let outcomes = Set(sheet.rows.dropFirst().compactMap { $0[7].value })
        #expect(outcomes.isSuperset(of: ["Đạt", "Chưa đạt"]), "the demo meets some targets and misses others")
    }

    /// A JSON number as the test compares it: counts as written, ratios through `Double`.
    private func number(_ value: Any?, ratio: Bool = false) -> String? {
        guard let number = value as? NSNumber, !(value is NSNull) else { return nil }
        return ratio ? "\(number.doubleValue)" : number.stringValue
    }
}

/// The same Unicode scalars: Vietnamese text arrives composed (NFC) and must stay so, which
/// `String ==` (canonical equivalence) would not tell.
func sameScalars(_ lhs: String?, _ rhs: String) -> Bool {
    guard let lhs else { return false }
    return Array(lhs.unicodeScalars) == Array(rhs.unicodeScalars)
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

/// 1 → A, 27 → AA.
func columnLetters(_ number: Int) -> String {
    var number = number
    var letters = ""
    while number > 0 {
        letters = String(UnicodeScalar(UInt8(65 + (number - 1) % 26))) + letters
        number = (number - 1) / 26
    }
    return letters
}
