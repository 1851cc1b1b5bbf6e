import Foundation
import OneStopEmit

/// The rows of `dossiers.csv`, streamed from the run (`DossierRows`) or from the published file,
/// as the values of the `dossiers` table: text as written, but `supplement_requests` and
/// `days_late` as whole numbers (empty: NULL).
public struct DossierSource: Sendable {
    /// The table's columns after `run_id`: those of `dossiers.csv`.
    public static var columns: [String] { DossierRows.columns }
    private static let wholeNumberColumns: Set = ["supplement_requests", "days_late"]

    private let produce: @Sendable (_ visit: ([String]) throws -> Void) throws -> Void
    /// Where the rows come from, for messages.
    let origin: String

    /// The rows a run produces.
    public init(_ rows: DossierRows) {
        origin = "the run's dossiers"
        produce = { visit in
            // DossierRows takes a visitor that throws EmitError only: another error is kept aside,
            // the visit stopped, and the error thrown again once out.
            var failure: (any Error)?
            do {
                try rows.forEach { fields throws(EmitError) in
                    do {
                        try visit(fields)
                    } catch {
                        failure = error
                        throw EmitError.cannotRead(path: "dossiers", reason: "stopped")
                    }
                }
            } catch {
                throw failure ?? error
            }
        }
    }

    /// The rows of a published `dossiers.csv` (plain, or with `--excel`'s byte-order mark and CRLF).
    public init(csvFile path: String) {
        origin = path
        produce = { visit in
            try PublishedCSV.forEachRow(path: path, header: DossierRows.columns, visit)
        }
    }

    /// Calls `visit` with every row's values, in `columns` order.
    func forEachRow(_ visit: ([SQLValue]) throws -> Void) throws {
        let columns = Self.columns
        var line = 1
        try produce { fields in
            line += 1
            guard fields.count == columns.count else {
                throw DatabaseError.unreadableOutputSet(
                    path: origin, reason: "row \(line) has \(fields.count) fields, not \(columns.count)")
            }
            var values: [SQLValue] = []
            values.reserveCapacity(columns.count)
            for (column, field) in zip(columns, fields) {
                if Self.wholeNumberColumns.contains(column) {
                    if field.isEmpty {
                        values.append(.null)
                    } else if let number = Int(field) {
                        values.append(.integer(number))
                    } else {
                        throw DatabaseError.unreadableOutputSet(
                            path: origin, reason: "row \(line): \(column) is '\(field)', not a whole number")
                    }
                } else {
                    values.append(.text(field))
                }
            }
            try visit(values)
        }
    }
}
