/// Text from files — export and folder names, codes, values, parser messages — made safe to
/// print on a terminal or into a log: control characters and Unicode direction overrides are
/// written as visible escapes, so a name cannot start a new line that reads like onestop's own
/// ("all files read OK"), move the cursor, erase a line or reverse the text around it.
public enum TerminalText {
    /// `text` with line feed, carriage return and tab written `\n`, `\r`, `\t`, and every other
    /// C0 or C1 control, DEL, the Unicode line and paragraph separators and the bidirectional
    /// formatting characters (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, LRM, RLM, ALM) written
    /// `\u{202E}`. Everything else, Vietnamese included, is unchanged.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where needsEscape(scalar): out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true  // direction marks and overrides
        case 0x2028, 0x2029: true  // line and paragraph separators
        default: false
        }
    }
}
