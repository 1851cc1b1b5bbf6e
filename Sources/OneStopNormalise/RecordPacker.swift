import OneStopModel

/// Normalises records lent by the reader (`RawRecordView`) straight into a `DossierTable`,
/// without making a `Dossier` or a String per value: the fast path of `RecordNormaliser`.
///
/// - Values that repeat from record to record (codes, value-map keys, procedure names) are
///   normalised once per distinct raw byte string and remembered (`ByteKeyedCache`); only the
///   first sight goes through `TextNormaliser` and the string table's lock.
/// - Dates and the dossier id are read from the bytes when they are ASCII.
/// - A value longer than its bound (`ValueLimits`) is never looked up nor kept: its raw length
///   is checked before the caches, its normalised length before the string table.
/// - Anything else — a record that would be rejected, a non-ASCII id or date — goes through
///   `RecordNormaliser.normalise(_:source:file:)` on a copy of the record, so rejects, their
///   messages and every unusual value are decided by one implementation. A test checks that
///   both paths pack every fixture record identically.
///
/// One per parsing thread (it holds caches and scratch space, and is not `Sendable`; its stored
/// properties skip Swift's dynamic exclusivity checks).
public final class RecordPacker {
    public let normaliser: RecordNormaliser
    public let strings: StringTable

    private let procedureCodes = ByteKeyedCache()
    private let fields = ByteKeyedCache()
    private let agencies = ByteKeyedCache()
    private let names = ByteKeyedCache()
    private let statuses = ByteKeyedCache()
    private let channels = ByteKeyedCache()
    private let returns = ByteKeyedCache()
    private let flags = ByteKeyedCache()
    private let attachmentFlags = ByteKeyedCache()

    /// What each field normalises to when the record does not carry it (the dialect's default).
    private let absentProcedure: Int32
    private let absentField: Int32
    private let absentAgency: Int32
    private let absentName: Int32
    private let absentStatus: Int32
    private let absentChannel: Int32
    private let absentReturn: Int32
    private let absentFlag: Int32
    /// Indexed by `CanonicalField.rawValue` (dates only).
    private let absentDates: [DateDefault]

    @exclusivity(unchecked) private var idScratch: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var idScratchCapacity = 256
    @exclusivity(unchecked) private var waits: [SupplementWait] = []

    /// Cache results besides indexes and raw values.
    private static let missing: Int32 = -1
    private static let unmapped: Int32 = -2
    /// A code or name longer than its bound once normalised (the String path rejects it).
    private static let tooLong: Int32 = -3

    private enum DateDefault {
        case none
        case instant(Instant)
        case unparseable
    }

    public init(normaliser: RecordNormaliser, strings: StringTable) {
        self.normaliser = normaliser
        self.strings = strings
        idScratch = .allocate(capacity: idScratchCapacity)
        func absent(_ compute: (RecordNormaliser, StringTable, String?) -> Int32) -> Int32 {
            compute(normaliser, strings, nil)
        }
        absentProcedure = absent { Self.code(.procedureCode, $0, $1, $2) }
        absentField = absent { Self.code(.field, $0, $1, $2) }
        absentAgency = absent { Self.code(.agency, $0, $1, $2) }
        absentName = absent { Self.name($0, $1, $2) }
        absentStatus = absent { n, _, raw in Self.mapped(.status, n, raw, n.statusCodes) { Int32($0.rawValue) } }
        absentChannel = absent { n, _, raw in Self.mapped(.channel, n, raw, n.channelCodes) { Int32($0.rawValue) } }
        absentReturn = absent { n, _, raw in Self.mapped(.returnMethod, n, raw, n.returnCodes) { Int32($0.rawValue) } }
        absentFlag = absent { n, _, raw in Self.mapped(.digitised, n, raw, n.flagCodes) { $0 ? 1 : 0 } }
        var absentDates = [DateDefault](repeating: .none, count: CanonicalField.allCases.count)
        for field in [CanonicalField.received, .due, .finished, .returned] {
            if let text = normaliser.dialect.defaults[field].flatMap(TextNormaliser.text) {
                absentDates[field.rawValue] = normaliser.dates.instant(from: text, endOfDayIfDateOnly: field == .due)
                    .map(DateDefault.instant) ?? .unparseable
            }
        }
        self.absentDates = absentDates
    }

    deinit {
        idScratch.deallocate()
    }

    // MARK: - The String path's rules, applied once per distinct raw value

    /// R1 with the dialect's default, as `RecordNormaliser` reads a field.
    private static func text(_ field: CanonicalField, _ normaliser: RecordNormaliser, _ raw: String?) -> String? {
        TextNormaliser.text(raw) ?? normaliser.dialect.defaults[field].flatMap(TextNormaliser.text)
    }

    private static func code(
        _ field: CanonicalField, _ normaliser: RecordNormaliser, _ strings: StringTable, _ raw: String?
    ) -> Int32 {
        interned(TextNormaliser.code(text(field, normaliser, raw)), limit: ValueLimits.code, strings)
    }

    private static func name(_ normaliser: RecordNormaliser, _ strings: StringTable, _ raw: String?) -> Int32 {
        interned(text(.procedureName, normaliser, raw), limit: ValueLimits.procedureName, strings)
    }

    /// The string table's index of a normalised value; `missing` for none, `tooLong` (not kept)
    /// past `limit` bytes.
    private static func interned(_ value: String?, limit: Int, _ strings: StringTable) -> Int32 {
        guard let value else { return missing }
        guard value.utf8.count <= limit else { return tooLong }
        return strings.intern(value)
    }

    private static func mapped<Value>(
        _ field: CanonicalField, _ normaliser: RecordNormaliser, _ raw: String?, _ map: [String: Value],
        _ encode: (Value) -> Int32
    ) -> Int32 {
        guard let value = text(field, normaliser, raw) else { return missing }
        return map[TextNormaliser.code(value) ?? value].map(encode) ?? unmapped
    }

    // MARK: - Fast path

    /// Normalises one record of source number `source` read from `file` (the path as the run
    /// shows it): a valid one is appended to `table` (whose string table must be `strings`),
    /// a rejected one is returned.
    public func normalise(_ view: RawRecordView, source: Int, file: String, into table: DossierTable) -> Reject? {
        if pack(view, source: source, into: table) { return nil }
        switch normaliser.normalise(view.makeRecord(), source: source, file: file) {
        case .dossier(let dossier):
            var id = dossier.id
            id.withUTF8 { bytes in
                _ = table.append(PackedDossier(dossier, strings: strings), id: bytes,
                                 waits: dossier.supplements.count > 1 ? dossier.supplements.map(\.wait) : nil)
            }
            return nil
        case .rejected(let reject):
            return reject
        }
    }

    @inline(__always)
    private func cached(
        _ cache: ByteKeyedCache, _ bytes: UnsafeBufferPointer<UInt8>?, absent: Int32,
        _ compute: (String) -> Int32
    ) -> Int32 {
        guard let bytes else { return absent }
        return cache.value(for: bytes) { compute(String(decoding: bytes, as: UTF8.self)) }
    }

    /// The fast path; false when the record needs the String path (a reject, or text it does
    /// not handle).
    func pack(_ view: RawRecordView, source: Int, into table: DossierTable) -> Bool {
        let normaliser = normaliser
        let strings = strings

        // The id has no default; codes are upper-cased (R1).
        guard let rawID = view.value(.dossierID), rawID.count <= ValueLimits.dossierID,
              let idLength = asciiCode(rawID)
        else { return false }
        // Values longer than their bound, raw, go to the String path before reaching a cache. A
        // value that is only longer once normalised (NFC and upper-casing can lengthen
        // non-ASCII text) is caught as `tooLong` below.
        let rawProcedure = view.value(.procedureCode)
        let rawName = view.value(.procedureName)
        let rawField = view.value(.field)
        let rawAgency = view.value(.agency)
        guard (rawProcedure?.count ?? 0) <= ValueLimits.code, (rawName?.count ?? 0) <= ValueLimits.procedureName,
              (rawField?.count ?? 0) <= ValueLimits.code, (rawAgency?.count ?? 0) <= ValueLimits.code
        else { return false }

        let procedure = cached(procedureCodes, rawProcedure, absent: absentProcedure) {
            Self.code(.procedureCode, normaliser, strings, $0)
        }
        guard procedure >= 0 else { return false }
        let statusCode = cached(statuses, view.value(.status), absent: absentStatus) {
            Self.mapped(.status, normaliser, $0, normaliser.statusCodes) { Int32($0.rawValue) }
        }
        guard statusCode >= 0, let status = Status(rawValue: Int(statusCode)) else { return false }
        let channelCode = cached(channels, view.value(.channel), absent: absentChannel) {
            Self.mapped(.channel, normaliser, $0, normaliser.channelCodes) { Int32($0.rawValue) }
        }
        guard channelCode != Self.unmapped else { return false }
        let channel = channelCode >= 0 ? Channel(rawValue: UInt8(channelCode))! : .inPerson
        let returnCode = cached(returns, view.value(.returnMethod), absent: absentReturn) {
            Self.mapped(.returnMethod, normaliser, $0, normaliser.returnCodes) { Int32($0.rawValue) }
        }
        guard returnCode != Self.unmapped else { return false }
        let returnMethod = returnCode >= 0 ? ReturnMethod(rawValue: UInt8(returnCode))! : .unknown
        let flag = cached(flags, view.value(.digitised), absent: absentFlag) {
            Self.mapped(.digitised, normaliser, $0, normaliser.flagCodes) { $0 ? 1 : 0 }
        }
        guard flag != Self.unmapped else { return false }
        var digitised = flag == 1
        for index in 0..<view.attachmentCount {
            guard let bytes = view.value(attachment: index, .digitised) else { continue }
            // No default for an attachment's flag: a blank one says nothing.
            let attachmentFlag = attachmentFlags.value(for: bytes) {
                let raw = String(decoding: bytes, as: UTF8.self)
                guard let text = TextNormaliser.text(raw) else { return Self.missing }
                return normaliser.flagCodes[TextNormaliser.code(text) ?? text].map { $0 ? 1 : 0 } ?? Self.unmapped
            }
            guard attachmentFlag != Self.unmapped else { return false }
            if attachmentFlag == 1 { digitised = true }
        }

        guard case .some(let received) = date(view, .received),
              case .some(let due) = date(view, .due, endOfDay: true),
              case .some(let finished) = date(view, .finished),
              case .some(let returned) = date(view, .returned)
        else { return false }

        var extensions = DueExtension()
        var supplementCount = 0
        waits.removeAll(keepingCapacity: true)
        for index in 0..<view.supplementCount {
            guard case .some(let requested) = groupDate(view.value(supplement: index, .requested)),
                  case .some(let answered) = groupDate(view.value(supplement: index, .answered)),
                  case .some(let newDue) = groupDate(view.value(supplement: index, .newDue), endOfDay: true)
            else { return false }
            guard let requested else {
                if answered == nil, newDue == nil { continue }  // an empty group element says nothing
                return false
            }
            supplementCount += 1
            extensions.add(requested: requested, answered: answered, newDue: newDue)
            waits.append(SupplementWait(requested: requested, answered: answered))
        }

        if received == nil, status.isAccepted { return false }
        if let received, let due {
            let clock = normaliser.dates.clock
            if clock.localDay(of: due) < clock.localDay(of: received) { return false }
        }
        if status.isResolved, finished == nil, returned == nil { return false }

        let name = cached(names, rawName, absent: absentName) {
            Self.name(normaliser, strings, $0)
        }
        let field = cached(fields, rawField, absent: absentField) {
            Self.code(.field, normaliser, strings, $0)
        }
        let agency = cached(agencies, rawAgency, absent: absentAgency) {
            Self.code(.agency, normaliser, strings, $0)
        }
        guard name != Self.tooLong, field != Self.tooLong, agency != Self.tooLong else { return false }
        let packed = PackedDossier(
            source: source, procedure: procedure, procedureName: name, field: field, agency: agency,
            channel: channel, returnMethod: returnMethod, status: status, received: received,
            end: finished ?? returned, effectiveDue: extensions.effectiveDue(due: due),
            supplementCount: supplementCount, onlyWait: supplementCount == 1 ? waits[0] : nil, digitised: digitised,
            due: due)
        table.append(packed, id: UnsafeBufferPointer(start: idScratch, count: idLength),
                     waits: supplementCount > 1 ? waits : nil)
        return true
    }

    /// Trims and upper-cases an ASCII code into `idScratch`; nil when it is blank (missing) or
    /// not ASCII (the String path decides).
    @inline(__always)
    private func asciiCode(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let (start, end) = asciiTrimmed(bytes) else { return nil }
        let count = end - start
        guard count > 0 else { return nil }
        if count > idScratchCapacity {
            idScratch.deallocate()
            idScratchCapacity = count
            idScratch = .allocate(capacity: count)
        }
        // A local copy of the pointer: stores through it could alias `self`, so the property
        // would be reloaded on every byte.
        let scratch = idScratch
        let source = bytes.baseAddress! + start
        var index = 0
        while index &+ 8 <= count {
            let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
            UnsafeMutableRawPointer(scratch + index).storeBytes(of: upperCasedASCII(word), as: UInt64.self)
            index &+= 8
        }
        while index < count {
            let byte = source[index]
            scratch[index] = byte &- 0x61 < 26 ? byte &- 0x20 : byte
            index &+= 1
        }
        return count
    }

    /// The value's bounds without leading and trailing white space (R1), for an ASCII value;
    /// nil when a byte is not ASCII.
    @inline(__always)
    private func asciiTrimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int)? {
        var nonASCII: UInt8 = 0
        for byte in bytes { nonASCII |= byte }
        guard nonASCII < 0x80 else { return nil }
        var start = 0
        var end = bytes.count
        while start < end, isWhitespace(bytes[start]) { start += 1 }
        while end > start, isWhitespace(bytes[end - 1]) { end -= 1 }
        return (start, end)
    }

    /// A record date: `.some(nil)` when absent or blank and without default, `.some(instant)`,
    /// or nil when the String path must decide (unparseable, not ASCII).
    @inline(__always)
    private func date(_ view: RawRecordView, _ field: CanonicalField, endOfDay: Bool = false) -> Instant??
    {
        if let bytes = view.value(field) {
            guard let (start, end) = asciiTrimmed(bytes) else { return nil }
            if end > start {
                guard let instant = normaliser.dates.instant(
                    from: UnsafeBufferPointer(rebasing: bytes[start..<end]), endOfDayIfDateOnly: endOfDay)
                else { return nil }
                return .some(instant)
            }
        }
        switch absentDates[field.rawValue] {
        case .none: return .some(nil)
        case .instant(let instant): return .some(instant)
        case .unparseable: return nil
        }
    }

    /// A supplement request's date (no defaults): as `date(_:_:endOfDay:)`.
    @inline(__always)
    private func groupDate(_ bytes: UnsafeBufferPointer<UInt8>?, endOfDay: Bool = false) -> Instant?? {
        guard let bytes else { return .some(nil) }
        guard let (start, end) = asciiTrimmed(bytes) else { return nil }
        guard end > start else { return .some(nil) }
        guard let instant = normaliser.dates.instant(
            from: UnsafeBufferPointer(rebasing: bytes[start..<end]), endOfDayIfDateOnly: endOfDay)
        else { return nil }
        return .some(instant)
    }
}

/// Eight ASCII bytes with a–z upper-cased (every byte below 0x80). For each byte b, b + 0x1F
/// has its high bit set from "a" (0x61) up, and b + 0x05 from "{" (0x7B) up, so their
/// difference marks exactly the lower-case letters; no carry crosses bytes, since b < 0x80.
@inline(__always)
private func upperCasedASCII(_ word: UInt64) -> UInt64 {
    let high: UInt64 = 0x8080_8080_8080_8080
    let fromA = word &+ 0x1F1F_1F1F_1F1F_1F1F
    let pastZ = word &+ 0x0505_0505_0505_0505
    let lower = (fromA & ~pastZ) & high
    return word ^ (lower >> 2)
}

/// White space as `Character.isWhitespace` sees it, for ASCII: tab, line feed, vertical tab,
/// form feed, carriage return, space.
@inline(__always)
private func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
}
