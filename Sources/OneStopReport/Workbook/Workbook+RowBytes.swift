extension Workbook {
    /// Appends one data row's SpreadsheetML to `out`, byte by byte (a sheet can have a million
    /// rows of twenty cells: no string is built per cell). An empty cell is no cell at all, as an
    /// empty CSV field is a blank cell. `columns` holds each column's letters.
    static func appendRow(_ cells: [Cell], number: Int, columns: [[UInt8]], to out: inout [UInt8]) {
        var digits: [UInt8] = []
        appendDecimal(number, to: &digits)
        out.append(contentsOf: #"<row r=""#.utf8)
        out.append(contentsOf: digits)
        out.append(contentsOf: #"">"#.utf8)
        for (index, cell) in cells.enumerated() where index < columns.count {
            if case .empty = cell { continue }
            if case .text("") = cell { continue }
            out.append(contentsOf: #"<c r=""#.utf8)
            out.append(contentsOf: columns[index])
            out.append(contentsOf: digits)
            out.append(contentsOf: #"" s=""#.utf8)
            appendDecimal(CellStyle.of(cell).rawValue, to: &out)
            switch cell {
            case .empty:
                break
            case .text(let text), .outcome(let text, _), .note(let text):
                out.append(contentsOf: #"" t="inlineStr">"#.utf8)
                appendInlineString(text, to: &out)
            case .integer(let value), .number(let value):
                out.append(contentsOf: #""><v>"#.utf8)
                appendDecimal(value, to: &out)
                out.append(contentsOf: "</v>".utf8)
            case .percent(let decimal), .change(let decimal):
                // Digits, a sign and a point (`Fraction.formatted`, exact decimals): nothing to escape.
                out.append(contentsOf: #""><v>"#.utf8)
                out.append(contentsOf: decimal.utf8)
                out.append(contentsOf: "</v>".utf8)
            }
            out.append(contentsOf: "</c>".utf8)
        }
        out.append(contentsOf: "</row>".utf8)
    }

    /// A text cell's `<is>` element (`inlineString`), appended in place.
    static func appendInlineString(_ text: String, to out: inout [UInt8]) {
        guard isPlain(text) else {
            out.append(contentsOf: inlineString(text).utf8)
            return
        }
        out.append(contentsOf: "<is><t>".utf8)
        out.append(contentsOf: text.utf8)
        out.append(contentsOf: "</t></is>".utf8)
    }

    /// An integer's decimal digits, with a leading `-` when negative.
    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var divisor: UInt = 1
        while magnitude / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
    }
}
