import OneStopModel

/// The outcome of normalising one raw record.
public enum NormalisedRecord: Sendable, Hashable {
    case dossier(Dossier)
    case rejected(Reject)
}

/// A dialect's record rules, compiled once for every record of a run: its code maps keyed by
/// normalised codes, its date formats, its defaults normalised (R1), and the earliest plausible
/// date (R24). What one value of a record becomes is decided here; `RecordPacker` applies these
/// rules to whole records, in their order, and is the one implementation both `onestop run` and
/// `onestop inspect` use.
public struct RecordNormaliser: Sendable {
    public let dialect: Dialect
    public let dates: DateParser
    /// A date of a record before this instant, the start of `earliestPlausibleDay` in the
    /// pipeline's time zone, rejects the record (R24).
    public let earliestPlausibleDate: Instant
    let channelCodes: [String: Channel]
    let returnCodes: [String: ReturnMethod]
    let statusCodes: [String: Status]
    let flagCodes: [String: Bool]
    /// Each field's default, trimmed and NFC (R1), indexed by `CanonicalField.rawValue`; nil
    /// where the dialect gives none.
    let defaults: [String?]

    /// Systems write 0001-01-01 for "no date"; no dossier of a one-stop shop is older than 1990.
    public static let earliestPlausibleDay = LocalDate(year: 1990, month: 1, day: 1)!

    /// Compiles the dialect's date formats, code maps and defaults once, for every record of the run.
    public init(dialect: Dialect, clock: LocalClock) throws(DatePatternError) {
        self.dialect = dialect
        var patterns: [DatePattern] = []
        for format in dialect.dateFormats { patterns.append(try DatePattern(format)) }
        dates = DateParser(patterns: patterns, clock: clock)
        earliestPlausibleDate = clock.startOfDay(Self.earliestPlausibleDay)
        func normalisedKeys<Value>(_ map: [String: Value]) -> [String: Value] {
            var result: [String: Value] = [:]
            for (key, value) in map { result[TextNormaliser.code(key) ?? key] = value }
            return result
        }
        channelCodes = normalisedKeys(dialect.channelCodes)
        returnCodes = normalisedKeys(dialect.returnCodes)
        statusCodes = normalisedKeys(dialect.statusCodes)
        flagCodes = normalisedKeys(dialect.flagCodes)
        defaults = CanonicalField.allCases.map { dialect.defaults[$0].flatMap(TextNormaliser.text) }
    }

    /// Normalises one record read from `file` (the path as the run shows it) of source number
    /// `source`, with the run's implementation (`RecordPacker`). Meant for a record at a time
    /// (tests, a record held as Strings): for many, make one `RecordPacker` and hand it the
    /// reader's views, as `onestop run` and `onestop inspect` do.
    public func normalise(_ record: RawRecord, source: Int, file: String) -> NormalisedRecord {
        let packer = RecordPacker(normaliser: self, strings: StringTable())
        return record.withView { packer.normalise($0, source: source, file: file) }
    }

    // MARK: - One value

    /// A field's value as the rules read it: trimmed and NFC, else the dialect's default; nil
    /// when it has neither (R1: blank counts as missing).
    func text(_ field: CanonicalField, _ raw: String?) -> String? {
        TextNormaliser.text(raw) ?? defaults[field.rawValue]
    }

    /// The value kept of a code or name field (`ValueLimits.limit(of:)` bounds it): the procedure
    /// name as `text`, the dossier id and the other codes upper-cased too (R1).
    func keptValue(_ field: CanonicalField, _ raw: String?) -> String? {
        field == .procedureName ? text(field, raw) : TextNormaliser.code(text(field, raw))
    }

    /// What a value maps to in a dialect's value map, keys compared as codes (R1, R2).
    func mapped<Value>(_ text: String, in map: [String: Value]) -> Value? {
        map[TextNormaliser.code(text) ?? text]
    }

    /// One date value: blank, or its instant (R4: a date-only value is 00:00 local, or 23:59:59
    /// when `endOfDay`), or unparseable, or implausible (R24).
    func readDate(_ bytes: UnsafeBufferPointer<UInt8>, endOfDay: Bool) -> DateValue {
        if let (start, end) = ASCIIText.trimmedBounds(bytes) {
            guard end > start else { return .blank }
            return readTrimmedDate(UnsafeBufferPointer(rebasing: bytes[start..<end]), endOfDay: endOfDay)
        }
        // Not ASCII: Unicode white space is trimmed and the text composed, as for any value.
        guard var text = TextNormaliser.text(String(decoding: bytes, as: UTF8.self)) else { return .blank }
        return text.withUTF8 { readTrimmedDate($0, endOfDay: endOfDay) }
    }

    private func readTrimmedDate(_ bytes: UnsafeBufferPointer<UInt8>, endOfDay: Bool) -> DateValue {
        guard let instant = dates.instant(from: bytes, endOfDayIfDateOnly: endOfDay) else { return .unparseable }
        return instant < earliestPlausibleDate ? .implausible : .instant(instant)
    }
}

/// What one date value of a record is (`RecordNormaliser.readDate`).
enum DateValue {
    case blank
    case instant(Instant)
    case unparseable
    case implausible
}
