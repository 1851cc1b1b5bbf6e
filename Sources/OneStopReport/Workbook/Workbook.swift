import OneStopEmit

/// An Excel workbook written as SpreadsheetML (Office Open XML) by hand, streamed: each sheet's
/// rows are produced one at a time and written deflated into the zip as they come, so memory does
/// not grow with rows. Every sheet has one bold, frozen header row with a filter (the Figures
/// sheet as an Excel Table), columns sized to their contents, and an A4 print setup fitted to the
/// page width with the header repeated on every page. Equal workbooks give equal bytes.
struct Workbook {
    /// The document title (`docProps/core.xml`).
    var title: String
    var sheets: [Worksheet]
    /// Rows per sheet, the header included: Excel's limit (tests lower it).
    var maximumRows = Workbook.excelRowLimit

    /// Excel's rows per sheet, the header included.
    static let excelRowLimit = 1_048_576
    /// Columns are sized from the header and the first this many rows.
    static let widthSampleRows = 2_000
}

/// Receives a sheet's rows in order.
final class WorksheetRows {
    private let body: (_ cells: [Cell]) throws(EmitError) -> Void
    /// Rows still allowed.
    private var room: Int

    init(room: Int, body: @escaping (_ cells: [Cell]) throws(EmitError) -> Void) {
        self.room = room
        self.body = body
    }

    /// Writes a row; false (and nothing written) once the sheet is full, so a producer that can
    /// stop early may.
    @discardableResult
    func append(_ cells: [Cell]) throws(EmitError) -> Bool {
        guard room > 0 else { return false }
        room -= 1
        try body(cells)
        return true
    }
}

/// One sheet: a header row, then data rows produced on demand.
struct Worksheet {
    typealias Rows = (WorksheetRows) throws(EmitError) -> Void

    /// At most 31 characters, none of `[]:*?/\`.
    var name: String
    var header: [String]
    /// How many data rows `rows` produces; beyond the workbook's `maximumRows - 1` the rest are
    /// left out and `cutNote` says so beside the header.
    var rowCount: Int
    /// Each column's width in characters.
    var columnWidths: [Int]
    /// Said beside the header when not every row fits: where the full table is (a CSV).
    var cutNote: String?
    /// An Excel Table (`xl/tables/`) rather than a plain range with a filter: what pivot tables
    /// pick up by name.
    var isTable = false
    var rows: Rows

    /// A sheet whose rows are produced by `rows`, sized from `sample` (its first rows).
    init(name: String, header: [String], rowCount: Int, sample: [[Cell]], cutNote: String? = nil,
         isTable: Bool = false, rows: @escaping Rows) {
        self.name = name
        self.header = header
        self.rowCount = rowCount
        self.columnWidths = Workbook.columnWidths(header: header, rows: sample)
        self.cutNote = cutNote
        self.isTable = isTable
        self.rows = rows
    }

    /// A sheet of rows held in memory (a small one).
    init(name: String, header: [String], rows: [[Cell]]) {
        self.init(name: name, header: header, rowCount: rows.count, sample: rows) { sink throws(EmitError) in
            for row in rows {
                guard try sink.append(row) else { break }
            }
        }
    }

    /// A sheet with one row per element of `elements`, sized from the first `widthSampleRows`.
    init<Elements: Collection>(
        name: String, header: [String], elements: Elements, cutNote: String? = nil,
        row: @escaping (Elements.Element) -> [Cell]
    ) {
        self.init(name: name, header: header, rowCount: elements.count,
                  sample: elements.prefix(Workbook.widthSampleRows).map(row), cutNote: cutNote) { sink throws(EmitError) in
            for element in elements {
                guard try sink.append(row(element)) else { break }
            }
        }
    }

    /// The data rows written below the header when a sheet holds `maximumRows` rows.
    func writtenRowCount(maximumRows: Int) -> Int { min(rowCount, maximumRows - 1) }
}

/// One cell's value and look.
enum Cell: Sendable, Hashable {
    /// No cell at all (an empty ratio, an absent value).
    case empty
    /// Text, written inline in the cell.
    case text(String)
    /// A count, formatted `#,##0`.
    case integer(Int)
    /// A number that is not a quantity (a line number), formatted `0`: no thousands separator.
    case number(Int)
    /// A ratio written as an exact decimal (`0.4792`), formatted as a percentage `0.00%`.
    case percent(decimal: String)
    /// A change in percentage points (`-2.35`), formatted with its sign.
    case change(decimal: String)
    /// A scorecard outcome: text on a green (met) or red (not met) fill.
    case outcome(String, met: Bool?)
    /// A remark to the reader, in bold red: the rows a sheet could not hold.
    case note(String)

    /// The ratio's 4-decimal value as the CSVs print it (R18), or `.empty` when the denominator is 0.
    static func ratio(_ decimal: String?) -> Cell {
        decimal.map { .percent(decimal: $0) } ?? .empty
    }

    /// How many characters the cell shows, for the column width.
    var displayWidth: Int {
        switch self {
        case .empty: 0
        case .text(let text), .outcome(let text, _): text.count
        case .note: 0  // beside the header, overflowing into the empty cells on its right
        case .integer(let value): String(value).count + (String(value).count - 1) / 3
        case .number(let value): String(value).count
        case .percent: 7  // "100.00%"
        case .change: 7  // "+100.00"
        }
    }
}
