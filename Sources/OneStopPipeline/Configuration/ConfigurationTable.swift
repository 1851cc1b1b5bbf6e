import CSV
import OneStopModel

/// A configuration CSV (the catalogue, the agency register): UTF-8 with or without a byte-order
/// mark, a header that must be exactly `columns`, and rows numbered from 1 (the header) as a
/// spreadsheet shows them. Blank rows are skipped; a row with the wrong number of columns, or
/// text that is not valid CSV, is an error naming it.
struct ConfigurationTable {
    let file: String
    let columns: [String]
    private let reader: CSVReader
    /// The number of the row last returned.
    private(set) var row = 1

    init(csv text: String, file: String, columns: [String]) throws(ConfigurationError) {
        self.file = file
        self.columns = columns
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        do {
            reader = try CSVReader(string: body, hasHeaderRow: true)
        } catch {
            throw ConfigurationError(file: file, line: 1, message: "row 1: cannot read the header row: \(error)")
        }
        let header = (reader.headerRow ?? []).map { $0.trimmingWhitespace().lowercased() }
        guard header == columns else {
            throw ConfigurationError(
                file: file, line: 1,
                message: "row 1: the header must be exactly '\(columns.joined(separator: ","))', found '\(header.joined(separator: ","))'")
        }
    }

    /// The next row that is not blank, with exactly `columns.count` fields; nil at the end.
    mutating func next() throws(ConfigurationError) -> [String]? {
        while let fields = reader.next() {
            row += 1
            if fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { continue }
            guard fields.count == columns.count else {
                throw failure(
                    "has \(fields.count) columns, expected \(columns.count) (\(columns.joined(separator: ",")))")
            }
            return fields
        }
        if let error = reader.error {
            throw ConfigurationError(file: file, line: row + 1, message: "row \(row + 1): not valid CSV: \(error)")
        }
        return nil
    }

    /// An error about the current row.
    func failure(_ message: String) -> ConfigurationError {
        ConfigurationError(file: file, line: row, message: "row \(row): \(message)")
    }
}
