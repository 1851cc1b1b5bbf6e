import OneStopModel

/// Parses date values with a dialect's patterns, in the pipeline's time zone (docs/contract.md §3.1, R4).
/// Works on bytes: no `DateFormatter`, no allocation per value.
public struct DateParser: Sendable {
    public let patterns: [DatePattern]
    public let clock: LocalClock
    /// Per pattern, its fixed layout when every token has a fixed width (`yyyyMMddHHmmss`,
    /// `dd/MM/yyyy HH:mm:ss`, …): parsed by position, with the same result as the token walk.
    private let layouts: [FixedLayout?]

    public init(patterns: [DatePattern], clock: LocalClock) {
        self.init(patterns: patterns, clock: clock, fixedLayouts: true)
    }

    /// `fixedLayouts: false` parses every pattern by walking its tokens (tests compare both).
    init(patterns: [DatePattern], clock: LocalClock, fixedLayouts: Bool) {
        self.patterns = patterns
        self.clock = clock
        layouts = fixedLayouts ? patterns.map(FixedLayout.init) : patterns.map { _ in nil }
    }

    /// Byte offsets of each field in a pattern whose tokens all have a fixed width (up to 8
    /// literal characters, kept in two words so the layout holds no array).
    struct FixedLayout {
        var length = 0
        var year = -1, month = -1, day = -1, hour = -1, minute = -1, second = -1
        var literalCount = 0
        /// Byte `i` of each word: offset and value of literal `i`.
        var literalOffsets: UInt64 = 0
        var literalBytes: UInt64 = 0

        init?(_ pattern: DatePattern) {
            guard case .pattern(let tokens) = pattern.kind else { return nil }
            for token in tokens {
                switch token {
                case .year4: year = length; length += 4
                case .month2: month = length; length += 2
                case .day2: day = length; length += 2
                case .hour2: hour = length; length += 2
                case .minute2: minute = length; length += 2
                case .second2: second = length; length += 2
                case .literal(let byte):
                    guard literalCount < 8, length < 256 else { return nil }
                    literalOffsets |= UInt64(length) << (8 * literalCount)
                    literalBytes |= UInt64(byte) << (8 * literalCount)
                    literalCount += 1
                    length += 1
                case .month1or2, .day1or2, .hour1or2: return nil
                }
            }
            guard year >= 0, length < 256 else { return nil }
        }

        @inline(__always)
        func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Parsed? {
            guard bytes.count == length, let base = bytes.baseAddress else { return nil }
            var offsets = literalOffsets
            var expected = literalBytes
            for _ in 0..<literalCount {
                guard base[Int(offsets & 0xFF)] == UInt8(truncatingIfNeeded: expected) else { return nil }
                offsets >>= 8
                expected >>= 8
            }
            @inline(__always)
            func two(_ offset: Int) -> Int? {
                let a = base[offset] &- 0x30
                let b = base[offset + 1] &- 0x30
                return a < 10 && b < 10 ? Int(a) * 10 + Int(b) : nil
            }
            var parsed = Parsed()
            guard let high = two(year), let low = two(year + 2) else { return nil }
            parsed.year = high * 100 + low
            if month >= 0 { guard let value = two(month) else { return nil }; parsed.month = value }
            if day >= 0 { guard let value = two(day) else { return nil }; parsed.day = value }
            if hour >= 0 {
                guard let value = two(hour) else { return nil }
                parsed.hour = value
                parsed.dateOnly = false
            }
            if minute >= 0 { guard let value = two(minute) else { return nil }; parsed.minute = value }
            if second >= 0 { guard let value = two(second) else { return nil }; parsed.second = value }
            return parsed
        }
    }

    /// The instant a value denotes, or nil when no pattern matches or the date does not exist.
    /// A date-only value means 00:00 local, or 23:59:59 local when `endOfDayIfDateOnly` (due dates, R4).
    public func instant(from text: String, endOfDayIfDateOnly: Bool = false) -> Instant? {
        var text = text
        return text.withUTF8 { instant(from: $0, endOfDayIfDateOnly: endOfDayIfDateOnly) }
    }

    /// `instant(from:endOfDayIfDateOnly:)` on UTF-8 bytes.
    public func instant(from buffer: UnsafeBufferPointer<UInt8>, endOfDayIfDateOnly: Bool = false) -> Instant? {
        var start = 0
        var end = buffer.count
        while start < end, isSpace(buffer[start]) { start += 1 }
        while end > start, isSpace(buffer[end - 1]) { end -= 1 }
        let bytes = UnsafeBufferPointer(rebasing: buffer[start..<end])
        for index in patterns.indices {
            let parsed = if let layout = layouts[index] { layout.parse(bytes) } else { parse(bytes, with: patterns[index]) }
            if let parsed {
                return resolve(parsed, endOfDayIfDateOnly: endOfDayIfDateOnly)
            }
        }
        return nil
    }

    struct Parsed {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        var dateOnly = true
        var offsetSeconds: Int64?
    }

    private func resolve(_ parsed: Parsed, endOfDayIfDateOnly: Bool) -> Instant? {
        guard let date = LocalDate(year: parsed.year, month: parsed.month, day: parsed.day),
              parsed.hour < 24, parsed.minute < 60, parsed.second < 60
        else { return nil }
        var local = date.daysSinceEpoch * 86_400
        if parsed.dateOnly {
            if endOfDayIfDateOnly { local += 86_399 }
        } else {
            local += Int64(parsed.hour * 3600 + parsed.minute * 60 + parsed.second)
        }
        if let offset = parsed.offsetSeconds {
            return Instant(secondsSinceEpoch: local - offset)
        }
        return clock.instant(atLocalSeconds: local)
    }

    private func parse(_ bytes: UnsafeBufferPointer<UInt8>, with pattern: DatePattern) -> Parsed? {
        switch pattern.kind {
        case .iso8601: parseISO8601(bytes)
        case .pattern(let tokens): parse(bytes, tokens: tokens)
        }
    }

    private func parse(_ bytes: UnsafeBufferPointer<UInt8>, tokens: [DatePattern.Token]) -> Parsed? {
        var parsed = Parsed()
        var i = 0
        for token in tokens {
            switch token {
            case .literal(let byte):
                guard i < bytes.count, bytes[i] == byte else { return nil }
                i += 1
            case .year4:
                guard let v = digits(bytes, &i, min: 4, max: 4) else { return nil }
                parsed.year = v
            case .month2, .month1or2:
                guard let v = digits(bytes, &i, min: token == .month2 ? 2 : 1, max: 2) else { return nil }
                parsed.month = v
            case .day2, .day1or2:
                guard let v = digits(bytes, &i, min: token == .day2 ? 2 : 1, max: 2) else { return nil }
                parsed.day = v
            case .hour2, .hour1or2:
                guard let v = digits(bytes, &i, min: token == .hour2 ? 2 : 1, max: 2) else { return nil }
                parsed.hour = v
                parsed.dateOnly = false
            case .minute2:
                guard let v = digits(bytes, &i, min: 2, max: 2) else { return nil }
                parsed.minute = v
            case .second2:
                guard let v = digits(bytes, &i, min: 2, max: 2) else { return nil }
                parsed.second = v
            }
        }
        return i == bytes.count ? parsed : nil
    }

    /// `yyyy-MM-dd`, optionally followed by `T` or a space, `HH:mm[:ss[.fraction]]` and `Z` or `±HH[:]MM`.
    private func parseISO8601(_ bytes: UnsafeBufferPointer<UInt8>) -> Parsed? {
        var parsed = Parsed()
        var i = 0
        guard let y = digits(bytes, &i, min: 4, max: 4), expect(bytes, &i, "-"),
              let m = digits(bytes, &i, min: 2, max: 2), expect(bytes, &i, "-"),
              let d = digits(bytes, &i, min: 2, max: 2)
        else { return nil }
        (parsed.year, parsed.month, parsed.day) = (y, m, d)
        if i == bytes.count { return parsed }
        guard bytes[i] == UInt8(ascii: "T") || bytes[i] == UInt8(ascii: " ") else { return nil }
        i += 1
        guard let hh = digits(bytes, &i, min: 2, max: 2), expect(bytes, &i, ":"),
              let mm = digits(bytes, &i, min: 2, max: 2)
        else { return nil }
        parsed.hour = hh
        parsed.minute = mm
        parsed.dateOnly = false
        if i < bytes.count, bytes[i] == UInt8(ascii: ":") {
            i += 1
            guard let ss = digits(bytes, &i, min: 2, max: 2) else { return nil }
            parsed.second = ss
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: ",") {
                i += 1
                guard digits(bytes, &i, min: 1, max: 9) != nil else { return nil }
            }
        }
        if i == bytes.count { return parsed }
        switch bytes[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
            parsed.offsetSeconds = 0
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = bytes[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = digits(bytes, &i, min: 2, max: 2), oh < 24 else { return nil }
            var om = 0
            if i < bytes.count {
                _ = expect(bytes, &i, ":")
                guard let minutes = digits(bytes, &i, min: 2, max: 2), minutes < 60 else { return nil }
                om = minutes
            }
            parsed.offsetSeconds = sign * Int64(oh * 3600 + om * 60)
        default:
            return nil
        }
        return i == bytes.count ? parsed : nil
    }

    private func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int, min: Int, max: Int) -> Int? {
        var value = 0
        var count = 0
        while count < max, i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            value = value * 10 + Int(bytes[i] - 0x30)
            i += 1
            count += 1
        }
        return count >= min ? value : nil
    }

    private func expect(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ character: Unicode.Scalar) -> Bool {
        guard i < bytes.count, bytes[i] == UInt8(ascii: character) else { return false }
        i += 1
        return true
    }
}

private func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
}
