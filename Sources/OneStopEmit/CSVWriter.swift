/// Builds an RFC 4180 CSV file in memory: UTF-8, a field quoted only when it contains a comma, a
/// double quote, CR or LF (quotes doubled), LF line endings — or, for Excel, a byte-order mark
/// and CRLF line endings.
///
/// Every field is also neutralised for spreadsheets (`neutralised(_:)`): codes, names, ids, file
/// names and reasons come from exports and catalogues nobody here controls, and a spreadsheet
/// would run one that starts like a formula. Every CSV onestop writes goes through here, so a
/// new one gets the same protection.
public struct CSVWriter: Sendable {
    public let excel: Bool
    public private(set) var bytes: [UInt8]

    public init(excel: Bool = false) {
        self.excel = excel
        bytes = excel ? [0xEF, 0xBB, 0xBF] : []
    }

    /// Appends one record.
    public mutating func writeRow(_ fields: [String]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(Self.comma) }
            var field = field
            field.withUTF8 { Self.appendEscaped($0, to: &bytes) }
        }
        if excel { bytes.append(Self.carriageReturn) }
        bytes.append(Self.lineFeed)
    }

    // MARK: - A row field by field (figures.csv writes millions: no String per field)

    /// Appends fields escaped beforehand (`escapedBytes(_:)`), as they are.
    public mutating func append(escaped: [UInt8]) {
        bytes.append(contentsOf: escaped)
    }

    /// Appends one field, escaped as `writeRow(_:)` escapes it.
    public mutating func append(_ field: String) {
        var field = field
        field.withUTF8 { Self.appendEscaped($0, to: &bytes) }
    }

    /// Appends a whole number as a field: its decimal digits, as `writeRow(_:)` writes
    /// `String(value)` (a number is never quoted, and a negative one is not neutralised).
    public mutating func append(_ value: Int) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for Int.min's 20 characters
        withUnsafeMutableBytes(of: &digits) { buffer in
            var magnitude = value.magnitude
            var index = buffer.count
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                index -= 1
                buffer[index] = UInt8(ascii: "-")
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[index...]))
        }
    }

    /// Appends the comma between two fields.
    public mutating func appendSeparator() {
        bytes.append(Self.comma)
    }

    /// Ends the row.
    public mutating func endRow() {
        if excel { bytes.append(Self.carriageReturn) }
        bytes.append(Self.lineFeed)
    }

    /// The fields as `writeRow(_:)` writes them, joined by commas (no row end): a prefix many rows share.
    public static func escapedBytes(_ fields: [String]) -> [UInt8] {
        var writer = CSVWriter()
        for (index, field) in fields.enumerated() {
            if index > 0 { writer.appendSeparator() }
            writer.append(field)
        }
        return writer.bytes
    }

    /// Hands what was built so far to `writer` once it passes a megabyte, so a large table is
    /// never held whole in memory.
    public mutating func drain(into writer: OutputWriter) throws(EmitError) {
        guard bytes.count >= 1 << 20 else { return }
        try finish(into: writer)
    }

    /// Hands everything built so far to `writer`.
    public mutating func finish(into writer: OutputWriter) throws(EmitError) {
        try writer.write(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    /// The field as written: neutralised for spreadsheets, then quoted, with quotes doubled,
    /// only when it needs it.
    public static func escape(_ field: String) -> String {
        var field = field
        var escaped: [UInt8] = []
        field.withUTF8 { appendEscaped($0, to: &escaped) }
        return String(decoding: escaped, as: UTF8.self)
    }

    /// The field with a `'` in front when a spreadsheet would read it as a formula (OWASP's rule
    /// for CSV injection): it starts with `=`, `+`, `-`, `@`, a tab or a carriage return. A
    /// number such as `-1` or `-0.5` is left as it is: it is read as that number, never run.
    /// Excel and LibreOffice show the `'`, so the text stays readable and visibly altered.
    public static func neutralised(_ field: String) -> String {
        var field = field
        return field.withUTF8 { startsFormula($0) } ? "'" + field : field
    }

    private static let comma = UInt8(ascii: ",")
    private static let quote = UInt8(ascii: "\"")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let lineFeed = UInt8(ascii: "\n")

    /// Appends a field's bytes as written, in one pass over them and without building a String
    /// (figures.csv writes millions of fields).
    private static func appendEscaped(_ field: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        var needsQuotes = false
        for byte in field where byte == comma || byte == quote || byte == carriageReturn || byte == lineFeed {
            needsQuotes = true
            break
        }
        let neutralise = startsFormula(field)
        if !needsQuotes {
            if neutralise { bytes.append(UInt8(ascii: "'")) }
            bytes.append(contentsOf: field)
            return
        }
        bytes.append(quote)
        if neutralise { bytes.append(UInt8(ascii: "'")) }
        for byte in field {
            if byte == quote { bytes.append(quote) }
            bytes.append(byte)
        }
        bytes.append(quote)
    }

    private static func startsFormula(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = field.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D: return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"): return !isPlainNumber(field)
        default: return false
        }
    }

    /// A sign, digits, and at most one `.` followed by digits: `-1`, `+2`, `-0.5`.
    private static func isPlainNumber(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = field.first == UInt8(ascii: "-") || field.first == UInt8(ascii: "+") ? 1 : 0
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let wholeStart = index
        while index < field.count, isDigit(field[index]) { index += 1 }
        guard index > wholeStart else { return false }
        guard index < field.count else { return true }
        guard field[index] == UInt8(ascii: "."), index + 1 < field.count else { return false }
        index += 1
        while index < field.count, isDigit(field[index]) { index += 1 }
        return index == field.count
    }
}
