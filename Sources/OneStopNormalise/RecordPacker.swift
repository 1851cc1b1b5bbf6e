import OneStopModel

/// Applies a dialect's record rules (`RecordNormaliser`) to the records the reader lends
/// (`RawRecordView`): the one implementation of the record rules (R1–R4, R24), behind `onestop run`
/// (`normalise(_:source:file:into:)`, which packs a kept record straight into a `DossierTable`)
/// and `onestop inspect` (`normalise(_:source:file:)`, which makes a `Dossier`). Both run
/// `apply(_:)`, the rules in their order (`RecordPacker+Rules.swift`).
///
/// Built for the run's per-record cost: values that repeat from record to record (codes,
/// value-map keys, procedure names) are normalised once per distinct raw byte string and
/// remembered (`ByteKeyedCache`), so only the first sight goes through `TextNormaliser` and the
/// string table's lock; ASCII ids and dates are read straight from the bytes, without a String.
///
/// One per parsing thread (it holds caches and scratch space, and is not `Sendable`; its stored
/// properties skip Swift's dynamic exclusivity checks).
public final class RecordPacker {
    public let normaliser: RecordNormaliser
    /// Where kept codes and names are interned: the run's table (`DossierTable.strings`).
    public let strings: StringTable

    let procedureCodes = ByteKeyedCache()
    let fields = ByteKeyedCache()
    let agencies = ByteKeyedCache()
    let names = ByteKeyedCache()
    let statuses = ByteKeyedCache()
    let channels = ByteKeyedCache()
    let returns = ByteKeyedCache()
    let flags = ByteKeyedCache()
    let attachmentFlags = ByteKeyedCache()

    /// What each field reads as when the record does not carry it (the dialect's default), worked
    /// out once by the same functions as a value read from a record.
    let absentProcedure: Int32
    let absentField: Int32
    let absentAgency: Int32
    let absentName: Int32
    let absentStatus: Int32
    let absentChannel: Int32
    let absentReturn: Int32
    let absentFlag: Int32
    /// Indexed by `CanonicalField.rawValue` (dates only).
    let absentDates: [DateValue]

    /// The record's dossier id, normalised (`idLength` bytes).
    let idScratch: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) var idLength = 0
    /// The record's supplement requests, in document order.
    @exclusivity(unchecked) var supplements: [Supplement] = []

    /// Cached results besides string-table indexes and mapped values.
    static let missing: Int32 = -1
    static let unmapped: Int32 = -2
    /// A code or name longer than its bound once normalised (never interned).
    static let tooLong: Int32 = -3

    public init(normaliser: RecordNormaliser, strings: StringTable) {
        self.normaliser = normaliser
        self.strings = strings
        idScratch = .allocate(capacity: ValueLimits.dossierID)
        absentProcedure = Self.interned(.procedureCode, nil, normaliser, strings)
        absentField = Self.interned(.field, nil, normaliser, strings)
        absentAgency = Self.interned(.agency, nil, normaliser, strings)
        absentName = Self.interned(.procedureName, nil, normaliser, strings)
        absentStatus = Self.mapped(.status, nil, normaliser, normaliser.statusCodes) { Int32($0.rawValue) }
        absentChannel = Self.mapped(.channel, nil, normaliser, normaliser.channelCodes) { Int32($0.rawValue) }
        absentReturn = Self.mapped(.returnMethod, nil, normaliser, normaliser.returnCodes) { Int32($0.rawValue) }
        absentFlag = Self.mapped(.digitised, nil, normaliser, normaliser.flagCodes) { $0 ? 1 : 0 }
        absentDates = CanonicalField.allCases.map { field in
            guard var text = normaliser.defaults[field.rawValue] else { return .blank }
            return text.withUTF8 { normaliser.readDate($0, endOfDay: field == .due) }
        }
    }

    deinit {
        idScratch.deallocate()
    }

    // MARK: - Entry points

    /// Normalises one record of source number `source` read from `file` (the path as the run
    /// shows it): a kept one is packed and appended to `table` (whose string table must be
    /// `strings`), a rejected one is returned.
    public func normalise(_ view: RawRecordView, source: Int, file: String, into table: DossierTable) -> Reject? {
        let kept: KeptRecord
        do {
            kept = try apply(view)
        } catch {
            return reject(error, line: view.line, file: file)
        }
        var extensions = DueExtension()
        for supplement in supplements {
            extensions.add(requested: supplement.requested, answered: supplement.answered, newDue: supplement.newDue)
        }
        let count = supplements.count
        let packed = PackedDossier(
            source: source, procedure: kept.procedure, procedureName: kept.procedureName, field: kept.field,
            agency: kept.agency, channel: kept.channel, returnMethod: kept.returnMethod, status: kept.status,
            received: kept.received, end: kept.finished ?? kept.returned, effectiveDue: extensions.effectiveDue(due: kept.due),
            supplementCount: count, onlyWait: count == 1 ? supplements[0].wait : nil, digitised: kept.digitised,
            due: kept.due)
        table.append(packed, id: UnsafeBufferPointer(start: idScratch, count: idLength),
                     waits: count > 1 ? supplements.map(\.wait) : nil)
        return nil
    }

    /// Normalises one record as `normalise(_:source:file:into:)` does, into a whole `Dossier`
    /// (`onestop inspect` shows it).
    public func normalise(_ view: RawRecordView, source: Int, file: String) -> NormalisedRecord {
        let kept: KeptRecord
        do {
            kept = try apply(view)
        } catch {
            return .rejected(reject(error, line: view.line, file: file))
        }
        func string(_ index: Int32) -> String? { index < 0 ? nil : strings[index] }
        return .dossier(Dossier(
            source: source, id: dossierID, procedure: strings[kept.procedure], procedureName: string(kept.procedureName),
            field: string(kept.field), agency: string(kept.agency), channel: kept.channel,
            returnMethod: kept.returnMethod, status: kept.status, received: kept.received, due: kept.due,
            finished: kept.finished, returned: kept.returned, supplements: supplements, digitised: kept.digitised))
    }

    /// The dossier id of the record last read.
    var dossierID: String {
        String(decoding: UnsafeBufferPointer(start: idScratch, count: idLength), as: UTF8.self)
    }

    private func reject(_ violation: Violation, line: Int, file: String) -> Reject {
        Reject(file: file, line: line, dossierID: violation.namesDossier ? dossierID : nil,
               field: violation.field.sourceName(in: normaliser.dialect), reason: violation.reason)
    }

    // MARK: - One value, as first seen (then remembered)

    /// The string-table index of a code or name field's value (the dialect's default when `raw`
    /// is nil or blank); `missing` for none, `tooLong` (not interned) past its bound.
    static func interned(
        _ field: CanonicalField, _ raw: String?, _ normaliser: RecordNormaliser, _ strings: StringTable
    ) -> Int32 {
        guard let value = normaliser.keptValue(field, raw) else { return missing }
        guard value.utf8.count <= ValueLimits.limit(of: field)! else { return tooLong }
        return strings.intern(value)
    }

    /// A mapped field's value (the dialect's default when `raw` is nil or blank), encoded;
    /// `missing` for none, `unmapped` when the dialect's map does not have it.
    static func mapped<Value>(
        _ field: CanonicalField, _ raw: String?, _ normaliser: RecordNormaliser, _ map: [String: Value],
        _ encode: (Value) -> Int32
    ) -> Int32 {
        guard let text = normaliser.text(field, raw) else { return missing }
        return normaliser.mapped(text, in: map).map(encode) ?? unmapped
    }
}
