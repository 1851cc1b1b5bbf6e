/// Writes a local time in the first date format a dialect lists (docs/contract.md §3.1), the one its
/// system would write: a pattern of `yyyy`, `MM`, `M`, `dd`, `d`, `HH`, `H`, `mm`, `ss`,
/// `'quoted text'` and other non-letters, or `iso8601` (written without an offset, so it is
/// read in the pipeline's timezone).
struct DateWriter: Sendable {
    enum Token: Sendable, Equatable {
        case year4, month2, month1, day2, day1, hour2, hour1, minute2, second2
        case literal(UInt8)
    }

    let tokens: [Token]
    /// The format carries no time of day: a date is written as its day only.
    let isDateOnly: Bool

    /// Compiles a date format; throws when it uses a letter the reader does not know.
    init(format: String) throws(GenerationError) {
        if format.lowercased() == "iso8601" {
            tokens = [.year4, .literal(0x2D), .month2, .literal(0x2D), .day2, .literal(0x54), .hour2, .literal(0x3A),
                      .minute2, .literal(0x3A), .second2]
            isDateOnly = false
            return
        }
        var result: [Token] = []
        let bytes = Array(format.utf8)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "'") {
                var j = i + 1
                while j < bytes.count, bytes[j] != UInt8(ascii: "'") {
                    result.append(.literal(bytes[j]))
                    j += 1
                }
                i = j + 1
                continue
            }
            let isLetter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            guard isLetter else {
                result.append(.literal(byte))
                i += 1
                continue
            }
            var run = 1
            while i + run < bytes.count, bytes[i + run] == byte { run += 1 }
            let token: Token? = switch (byte, run) {
            case (UInt8(ascii: "y"), 4): .year4
            case (UInt8(ascii: "M"), 2): .month2
            case (UInt8(ascii: "M"), 1): .month1
            case (UInt8(ascii: "d"), 2): .day2
            case (UInt8(ascii: "d"), 1): .day1
            case (UInt8(ascii: "H"), 2): .hour2
            case (UInt8(ascii: "H"), 1): .hour1
            case (UInt8(ascii: "m"), 2): .minute2
            case (UInt8(ascii: "s"), 2): .second2
            default: nil
            }
            guard let token else { throw .unsupportedDialect("date format '\(format)' cannot be written") }
            result.append(token)
            i += run
        }
        tokens = result
        isDateOnly = !result.contains(.hour2) && !result.contains(.hour1)
    }

    /// Appends `time` to `buffer`.
    func write(_ time: WallClock, into buffer: inout [UInt8]) {
        let (year, month, day) = time.date
        let (hour, minute, second) = time.time
        for token in tokens {
            switch token {
            case .year4:
                buffer.append(UInt8(48 + year / 1000 % 10))
                buffer.append(UInt8(48 + year / 100 % 10))
                buffer.append(UInt8(48 + year / 10 % 10))
                buffer.append(UInt8(48 + year % 10))
            case .month2: DateWriter.two(month, &buffer)
            case .month1: DateWriter.oneOrTwo(month, &buffer)
            case .day2: DateWriter.two(day, &buffer)
            case .day1: DateWriter.oneOrTwo(day, &buffer)
            case .hour2: DateWriter.two(hour, &buffer)
            case .hour1: DateWriter.oneOrTwo(hour, &buffer)
            case .minute2: DateWriter.two(minute, &buffer)
            case .second2: DateWriter.two(second, &buffer)
            case .literal(let byte): buffer.append(byte)
            }
        }
    }

    private static func two(_ value: Int, _ buffer: inout [UInt8]) {
        buffer.append(UInt8(48 + value / 10))
        buffer.append(UInt8(48 + value % 10))
    }

    private static func oneOrTwo(_ value: Int, _ buffer: inout [UInt8]) {
        if value >= 10 { buffer.append(UInt8(48 + value / 10)) }
        buffer.append(UInt8(48 + value % 10))
    }
}
