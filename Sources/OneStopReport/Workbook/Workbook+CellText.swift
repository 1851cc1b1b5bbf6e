extension Workbook {
    /// A text cell's value in SpreadsheetML's own escaping, before XML escaping: Excel reads
    /// `_xHHHH_` in a string as the character U+HHHH, so an underscore that starts such a
    /// sequence is written `_x005F_` (a code `_x003D_` stays those seven characters, not `=`),
    /// and a control character XML cannot hold or would turn into a line feed (a carriage
    /// return) is written as its `_xHHHH_`, as Excel writes it. Tab and line feed stay.
    ///
    /// A text cell is a string (`t="s"`) whatever it holds: `=HYPERLINK(…)` in a procedure name
    /// is shown, never run, so it needs no `'` as the CSVs do.
    static func cellText(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if scalar == "_", startsEscapeSequence(scalars, at: index) {
                out += "_x005F_"
            } else if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" {
                out += "_x" + hex4(scalar.value) + "_"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether `_xHHHH_` (four hexadecimal digits) starts at `index`.
    private static func startsEscapeSequence(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + 6 < scalars.count, scalars[index + 1] == "x", scalars[index + 6] == "_" else { return false }
        return scalars[(index + 2)...(index + 5)].allSatisfy { $0.properties.isASCIIHexDigit }
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
