/// A date format a dialect lists (docs/contract.md §3.1): a pattern such as `yyyyMMddHHmmss`,
/// `dd/MM/yyyy HH:mm:ss` or `dd/MM/yyyy`, or `iso8601` (with or without an offset).
///
/// Pattern letters: `yyyy` year, `MM` month, `dd` day, `HH` hour, `mm` minute, `ss` second
/// (exactly two digits each), `M`, `d`, `H` (one or two digits); `'…'` quotes literal text;
/// any other character that is not a letter stands for itself. A pattern without `HH`/`H` is
/// date-only.
public struct DatePattern: Sendable, Hashable, CustomStringConvertible {
    enum Token: Sendable, Hashable {
        case year4, month2, month1or2, day2, day1or2, hour2, hour1or2, minute2, second2
        case literal(UInt8)
    }

    enum Kind: Sendable, Hashable {
        case pattern([Token])
        case iso8601
    }

    let kind: Kind
    public let description: String

    /// Parses a pattern; throws a message naming the first unsupported letter.
    public init(_ text: String) throws(DatePatternError) {
        description = text
        if text.lowercased() == "iso8601" {
            kind = .iso8601
            return
        }
        var tokens: [Token] = []
        let bytes = Array(text.utf8)
        var i = 0
        func run(_ letter: UInt8) -> Int {
            var j = i
            while j < bytes.count, bytes[j] == letter { j += 1 }
            return j - i
        }
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "'") {
                var j = i + 1
                while j < bytes.count, bytes[j] != UInt8(ascii: "'") {
                    tokens.append(.literal(bytes[j]))
                    j += 1
                }
                guard j < bytes.count else { throw DatePatternError(pattern: text, problem: "unclosed quote") }
                i = j + 1
                continue
            }
            let isLetter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            guard isLetter else {
                guard byte < 0x80 else { throw DatePatternError(pattern: text, problem: "non-ASCII literal") }
                tokens.append(.literal(byte))
                i += 1
                continue
            }
            let count = run(byte)
            let token: Token? = switch (Character(Unicode.Scalar(byte)), count) {
            case ("y", 4): .year4
            case ("M", 2): .month2
            case ("M", 1): .month1or2
            case ("d", 2): .day2
            case ("d", 1): .day1or2
            case ("H", 2): .hour2
            case ("H", 1): .hour1or2
            case ("m", 2): .minute2
            case ("s", 2): .second2
            default: nil
            }
            guard let token else {
                let run = String(repeating: Character(Unicode.Scalar(byte)), count: count)
                throw DatePatternError(
                    pattern: text,
                    problem: "'\(run)' is not supported (use yyyy, MM, M, dd, d, HH, H, mm, ss, 'quoted text', or iso8601)")
            }
            tokens.append(token)
            i += count
        }
        guard tokens.contains(.year4),
              tokens.contains(.month2) || tokens.contains(.month1or2),
              tokens.contains(.day2) || tokens.contains(.day1or2)
        else { throw DatePatternError(pattern: text, problem: "a pattern needs yyyy, MM (or M) and dd (or d)") }
        kind = .pattern(tokens)
    }
}

/// A dialect's date pattern could not be understood.
public struct DatePatternError: Error, Sendable, CustomStringConvertible {
    public var pattern: String
    public var problem: String

    public var description: String { "date format '\(pattern)': \(problem)" }
}
