/// Builds an RFC 4180 CSV file in memory: UTF-8, a field quoted only when it contains a comma, a
/// double quote, CR or LF (quotes doubled), LF line endings — or, for Excel, a byte-order mark
/// and CRLF line endings.
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

    /// The field as written: quoted, with quotes doubled, only when it needs it.
    public static func escape(_ field: String) -> String {
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
}
