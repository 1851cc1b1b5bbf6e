import CSV
import Foundation

/// A figures CSV read back by header name.
struct FigureTable {
    var header: [String]
    var rows: [[String: String]]

    init(path: String) throws {
        var text = try read(path)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let reader = try CSVReader(string: text, hasHeaderRow: true)
        header = reader.headerRow ?? []
        var rows: [[String: String]] = []
        while let row = reader.next() {
            rows.append(Dictionary(uniqueKeysWithValues: zip(header, row)))
        }
        self.rows = rows
    }

    /// Rows keyed by the joined key columns.
    func keyed(by keys: [String]) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for row in rows { result[keys.map { row[$0] ?? "" }.joined(separator: "|")] = row }
        return result
    }
}

/// The figure columns of docs/contract.md §5, in order: a contract spreadsheets link to.
let figureColumns = [
    "received_online", "received_inperson_post", "carried_over", "total", "resolved_early", "resolved_on_time",
    "resolved_late", "resolved_total", "in_progress_within", "in_progress_overdue", "in_progress_total", "received",
    "online", "postal", "digitised", "on_time", "online_share", "postal_share", "digitisation_rate", "on_time_rate",
]

/// Differences between one of our CSV rows and an expected.json progress entry, as readable lines.
func differences(ours row: [String: String]?, expected: [String: Any], label: String) -> [String] {
    guard let row else { return ["\(label): row missing in our output"] }
    var found: [String] = []
    for column in figureColumns.prefix(16) {
        let key = column == "on_time" ? "on_time_num" : column
        let want = (expected[key] as? NSNumber)?.intValue
        if row[column].flatMap(Int.init) != want {
            found.append("\(label).\(column): ours \(row[column] ?? "nil"), expected \(want.map(String.init) ?? "nil")")
        }
    }
    let ratios = expected["ratios"] as? [String: [String: Any]] ?? [:]
    for column in figureColumns.suffix(4) {
        let want = ratios[column]?["value_4dp"] as? String ?? "?"
        if row[column] != want { found.append("\(label).\(column): ours '\(row[column] ?? "nil")', expected '\(want)'") }
    }
    return found
}
