import CSV
import Foundation

/// Reads a CSV file of a published output set row by row, checking its header.
enum PublishedCSV {
    /// Calls `visit` with every row after the header; the header must be `header`.
    static func forEachRow(path: String, header: [String], _ visit: ([String]) throws -> Void) throws {
        guard let stream = InputStream(fileAtPath: path) else {
            throw DatabaseError.unreadableOutputSet(path: path, reason: "the file cannot be opened")
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: true)
        } catch {
            throw DatabaseError.unreadableOutputSet(path: path, reason: "\(error)")
        }
        // --excel writes a byte-order mark before the header.
        var found = reader.headerRow ?? []
        if let first = found.first, first.hasPrefix("\u{FEFF}") { found[0] = String(first.dropFirst()) }
        guard found == header else {
            throw DatabaseError.unreadableOutputSet(
                path: path, reason: "its header is '\(found.joined(separator: ","))', expected '\(header.joined(separator: ","))'")
        }
        while let row = reader.next() {
            try visit(row)
        }
        // CSV.swift reports reading past the end as `cannotReadFile` when the stream claims more
        // bytes at its end (Foundation on Linux does): an error only before the end.
        if let error = reader.error, stream.streamStatus != .atEnd {
            throw DatabaseError.unreadableOutputSet(path: path, reason: "\(error)")
        }
    }
}
