/// An Excel workbook held in memory, written as SpreadsheetML (Office Open XML) by hand:
/// every sheet has one bold, frozen header row with an autofilter, and columns sized to their
/// contents. `xlsx()` packs it into a zip with fixed timestamps, so equal workbooks give equal bytes.
struct Workbook: Sendable, Hashable {
    /// The document title (`docProps/core.xml`).
    var title: String
    var sheets: [Worksheet]
}

/// One sheet: a header row, then data rows.
struct Worksheet: Sendable, Hashable {
    /// At most 31 characters, none of `[]:*?/\`.
    var name: String
    var header: [String]
    var rows: [[Cell]]
}

/// One cell's value and look.
enum Cell: Sendable, Hashable {
    /// No cell at all (an empty ratio, an absent value).
    case empty
    /// Text, stored in the shared strings table.
    case text(String)
    /// A count, formatted `#,##0`.
    case integer(Int)
    /// A number that is not a quantity (a line number), formatted `0`: no thousands separator.
    case number(Int)
    /// A ratio written as an exact decimal (`0.4792`), formatted as a percentage `0.00%`.
    case percent(decimal: String)
    /// A scorecard outcome: text on a green (met) or red (not met) fill.
    case outcome(String, met: Bool?)

    /// The ratio's 4-decimal value as the CSVs print it (R18), or `.empty` when the denominator is 0.
    static func ratio(_ decimal: String?) -> Cell {
        decimal.map { .percent(decimal: $0) } ?? .empty
    }

    /// How many characters the cell shows, for the column width.
    var displayWidth: Int {
        switch self {
        case .empty: 0
        case .text(let text), .outcome(let text, _): text.count
        case .integer(let value): String(value).count + (String(value).count - 1) / 3
        case .number(let value): String(value).count
        case .percent: 7  // "100.00%"
        }
    }
}
