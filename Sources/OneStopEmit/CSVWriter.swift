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
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: Self.escape(field).utf8)
        }
        if excel { bytes.append(UInt8(ascii: "\r")) }
        bytes.append(UInt8(ascii: "\n"))
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
        let field = neutralised(field)
        let needsQuotes = field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"")
            || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }
        guard needsQuotes else { return field }
        var quoted = "\""
        for scalar in field.unicodeScalars {
            if scalar == "\"" { quoted.unicodeScalars.append(scalar) }
            quoted.unicodeScalars.append(scalar)
        }
        return quoted + "\""
    }

    /// The field with a `'` in front when a spreadsheet would read it as a formula (OWASP's rule
    /// for CSV injection): it starts with `=`, `+`, `-`, `@`, a tab or a carriage return. A
    /// number such as `-1` or `-0.5` is left as it is: it is read as that number, never run.
    /// Excel and LibreOffice show the `'`, so the text stays readable and visibly altered.
    public static func neutralised(_ field: String) -> String {
        guard let first = field.utf8.first, formulaStarts.contains(first), !isPlainNumber(field) else { return field }
        return "'" + field
    }

    private static let formulaStarts: Set<UInt8> = [
        UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D,
    ]

    /// A sign, digits, and at most one `.` followed by digits: `-1`, `+2`, `-0.5`.
    private static func isPlainNumber(_ field: String) -> Bool {
        var bytes = field.utf8.dropFirst(field.utf8.first == UInt8(ascii: "-") || field.utf8.first == UInt8(ascii: "+") ? 1 : 0)
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let whole = bytes.prefix(while: isDigit)
        guard !whole.isEmpty else { return false }
        bytes = bytes.dropFirst(whole.count)
        guard let point = bytes.first else { return true }
        guard point == UInt8(ascii: ".") else { return false }
        let fraction = bytes.dropFirst()
        return !fraction.isEmpty && fraction.allSatisfy(isDigit)
    }
}
