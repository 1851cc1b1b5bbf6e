/// Reads a CSV file of a published output set row by row, checking its header.
enum PublishedCSV {
    /// Calls `visit` with every row after the header; the header must be `header`.
    static func forEachRow(path: String, header: [String], _ visit: ([String]) throws -> Void) throws {
        let reader = try CSVFileReader(path: path)
        let found = try reader.next() ?? []
        guard found == header else {
            throw DatabaseError.unreadableOutputSet(
                path: path, reason: "its header is '\(found.joined(separator: ","))', expected '\(header.joined(separator: ","))'")
        }
        while let row = try reader.next() {
            try visit(row)
        }
    }
}
