import OneStopModel

extension RecordPacker {
    /// A field of a record as a reject names it: the record's own, or one of a supplement request
    /// or an attachment.
    enum FieldReference {
        case record(CanonicalField)
        case supplement(SupplementField)
        case attachment(AttachmentField)

        /// The field as the source system names it (e.g. `NgayHenTra`).
        func sourceName(in dialect: Dialect) -> String {
            switch self {
            case .record(let field): dialect.sourceName(of: field)
            case .supplement(let field): dialect.sourceName(of: field)
            case .attachment(let field): dialect.sourceName(of: field)
            }
        }
    }

    /// The first rule a record breaks.
    struct Violation: Error {
        var field: FieldReference
        var reason: RejectReason
        /// Whether the reject names the dossier id: not when it is missing or too long to be one
        /// (the file and line find the record).
        var namesDossier = true
    }

    /// A kept record's values, besides its dossier id (`idScratch`) and supplement requests
    /// (`supplements`).
    struct KeptRecord {
        /// String-table indexes; -1 for none (the procedure code is always there).
        var procedure: Int32
        var procedureName: Int32
        var field: Int32
        var agency: Int32
        var status: Status
        var channel: Channel
        var returnMethod: ReturnMethod
        var digitised: Bool
        var received: Instant?
        var due: Instant?
        var finished: Instant?
        var returned: Instant?
    }

    /// The record rules, in their order: one reject per record, for the first failing check
    /// (the README's choice 5) — dossier id (missing, too long),
    /// procedure code (missing, too long), procedure name, field and agency too long, status
    /// (missing, not in the map), channel, return method, digitised flags (the record's, then
    /// each attachment's), dates (received, due, finished, returned, then each supplement
    /// request's: unparseable or before 1990), received date of an accepted dossier, due before
    /// received, resolved without end.
    func apply(_ view: RawRecordView) throws(Violation) -> KeptRecord {
        try readDossierID(view.value(.dossierID))

        let procedure = try code(.procedureCode, view, procedureCodes, absent: absentProcedure)
        guard procedure != Self.missing else { throw Violation(field: .record(.procedureCode), reason: .missingProcedureCode) }
        let procedureName = try code(.procedureName, view, names, absent: absentName)
        let field = try code(.field, view, fields, absent: absentField)
        let agency = try code(.agency, view, agencies, absent: absentAgency)

        let normaliser = normaliser
        let statusCode = try mapped(.status, view, statuses, absent: absentStatus, normaliser.statusCodes) {
            Int32($0.rawValue)
        }
        guard let status = Status(rawValue: Int(statusCode)) else {
            throw Violation(field: .record(.status), reason: .missingStatus)
        }
        let channelCode = try mapped(.channel, view, channels, absent: absentChannel, normaliser.channelCodes) {
            Int32($0.rawValue)
        }
        let returnCode = try mapped(.returnMethod, view, returns, absent: absentReturn, normaliser.returnCodes) {
            Int32($0.rawValue)
        }
        var digitised = try mapped(.digitised, view, flags, absent: absentFlag, normaliser.flagCodes) { $0 ? 1 : 0 } == 1
        for index in 0..<view.attachmentCount {
            // No default for an attachment's flag: a blank one says nothing.
            guard let bytes = view.value(attachment: index, .digitised) else { continue }
            let flag = attachmentFlags.value(for: bytes) {
                guard let text = TextNormaliser.text(String(decoding: bytes, as: UTF8.self)) else { return Self.missing }
                return normaliser.mapped(text, in: normaliser.flagCodes).map { $0 ? 1 : 0 } ?? Self.unmapped
            }
            if flag == Self.unmapped { throw Self.unmappedCode(.attachment(.digitised), text: Self.text(bytes)) }
            if flag == 1 { digitised = true }
        }

        let received = try date(.received, view)
        let due = try date(.due, view, endOfDay: true)
        let finished = try date(.finished, view)
        let returned = try date(.returned, view)
        supplements.removeAll(keepingCapacity: true)
        for index in 0..<view.supplementCount {
            let requested = try date(view.value(supplement: index, .requested), .supplement(.requested))
            let answered = try date(view.value(supplement: index, .answered), .supplement(.answered))
            let newDue = try date(view.value(supplement: index, .newDue), .supplement(.newDue), endOfDay: true)
            guard let requested else {
                if answered == nil, newDue == nil { continue }  // an empty group element says nothing
                throw Violation(field: .supplement(.requested), reason: .missingSupplementRequestDate)
            }
            supplements.append(Supplement(requested: requested, answered: answered, newDue: newDue))
        }

        if received == nil, status.isAccepted {
            throw Violation(field: .record(.received), reason: .missingReceivedDate)
        }
        if let received, let due, normaliser.dates.clock.localDay(of: due) < normaliser.dates.clock.localDay(of: received) {
            throw Violation(field: .record(.due), reason: .dueBeforeReceived)
        }
        if status.isResolved, finished == nil, returned == nil {
            throw Violation(field: .record(.finished), reason: .resolvedWithoutEnd)
        }
        return KeptRecord(
            procedure: procedure, procedureName: procedureName, field: field, agency: agency, status: status,
            channel: channelCode >= 0 ? Channel(rawValue: UInt8(channelCode))! : .inPerson,
            returnMethod: returnCode >= 0 ? ReturnMethod(rawValue: UInt8(returnCode))! : .unknown,
            digitised: digitised, received: received, due: due, finished: finished, returned: returned)
    }

    // MARK: - The checks of one value

    /// Reads the dossier id into `idScratch`: trimmed and upper-cased (R1), no default, at most
    /// `ValueLimits.dossierID` bytes.
    @inline(__always)
    private func readDossierID(_ bytes: UnsafeBufferPointer<UInt8>?) throws(Violation) {
        idLength = 0
        let missing = Violation(field: .record(.dossierID), reason: .missingDossierID, namesDossier: false)
        guard let bytes else { throw missing }
        func tooLong(_ count: Int) -> Violation {
            Violation(field: .record(.dossierID), reason: .valueTooLong(bytes: count, limit: ValueLimits.dossierID),
                      namesDossier: false)
        }
        if let (start, end) = ASCIIText.trimmedBounds(bytes) {
            let count = end - start
            guard count > 0 else { throw missing }
            guard count <= ValueLimits.dossierID else { throw tooLong(count) }
            ASCIIText.copyUpperCased(bytes.baseAddress! + start, to: idScratch, count: count)
            idLength = count
            return
        }
        guard var id = TextNormaliser.code(String(decoding: bytes, as: UTF8.self)) else { throw missing }
        let count = id.utf8.count
        guard count <= ValueLimits.dossierID else { throw tooLong(count) }
        id.withUTF8 { idScratch.update(from: $0.baseAddress!, count: count) }
        idLength = count
    }

    /// A code or name field's string-table index (`RecordPacker.interned`); `missing` for none.
    @inline(__always)
    private func code(
        _ field: CanonicalField, _ view: RawRecordView, _ cache: ByteKeyedCache, absent: Int32
    ) throws(Violation) -> Int32 {
        let bytes = view.value(field)
        let index = remembered(cache, bytes, absent: absent) { Self.interned(field, $0, normaliser, strings) }
        if index == Self.tooLong {
            let length = normaliser.keptValue(field, bytes.map(Self.string))!.utf8.count
            throw Violation(field: .record(field),
                            reason: .valueTooLong(bytes: length, limit: ValueLimits.limit(of: field)!))
        }
        return index
    }

    /// A mapped field's value, encoded (`RecordPacker.mapped`); `missing` for none.
    @inline(__always)
    private func mapped<Value>(
        _ field: CanonicalField, _ view: RawRecordView, _ cache: ByteKeyedCache, absent: Int32,
        _ map: [String: Value], _ encode: (Value) -> Int32
    ) throws(Violation) -> Int32 {
        let bytes = view.value(field)
        let code = remembered(cache, bytes, absent: absent) { Self.mapped(field, $0, normaliser, map, encode) }
        if code == Self.unmapped {
            throw Self.unmappedCode(.record(field), text: normaliser.text(field, bytes.map(Self.string))!)
        }
        return code
    }

    /// A record date, or the dialect's default when the record does not carry it or it is blank.
    @inline(__always)
    private func date(_ field: CanonicalField, _ view: RawRecordView, endOfDay: Bool = false) throws(Violation)
        -> Instant?
    {
        let bytes = view.value(field)
        let value = bytes.map { normaliser.readDate($0, endOfDay: endOfDay) } ?? .blank
        let kept = if case .blank = value { absentDates[field.rawValue] } else { value }
        switch kept {
        case .blank: return nil
        case .instant(let instant): return instant
        case .unparseable, .implausible:
            let text = normaliser.text(field, bytes.map(Self.string))!
            throw Self.dateViolation(kept, .record(field), text: text)
        }
    }

    /// A supplement request's date (no defaults); nil when absent or blank.
    @inline(__always)
    private func date(_ bytes: UnsafeBufferPointer<UInt8>?, _ field: FieldReference, endOfDay: Bool = false)
        throws(Violation) -> Instant?
    {
        guard let bytes else { return nil }
        let value = normaliser.readDate(bytes, endOfDay: endOfDay)
        switch value {
        case .blank: return nil
        case .instant(let instant): return instant
        case .unparseable, .implausible: throw Self.dateViolation(value, field, text: Self.text(bytes))
        }
    }

    // MARK: - Rejects (cold)

    private static func dateViolation(_ value: DateValue, _ field: FieldReference, text: String) -> Violation {
        let quoted = ValueLimits.quoted(text)
        if case .implausible = value { return Violation(field: field, reason: .implausibleDate(quoted)) }
        return Violation(field: field, reason: .unparseableDate(quoted))
    }

    private static func unmappedCode(_ field: FieldReference, text: String) -> Violation {
        Violation(field: field, reason: .unmappedCode(ValueLimits.quoted(text)))
    }

    private static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// A value that is not blank, trimmed and NFC, as a reject quotes it.
    private static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        TextNormaliser.text(string(bytes)) ?? ""
    }

    /// What `cache` remembers for `bytes`, else `compute`'s result for them; `absent` when the
    /// record does not carry the value.
    @inline(__always)
    private func remembered(
        _ cache: ByteKeyedCache, _ bytes: UnsafeBufferPointer<UInt8>?, absent: Int32, _ compute: (String) -> Int32
    ) -> Int32 {
        guard let bytes else { return absent }
        return cache.value(for: bytes) { compute(Self.string(bytes)) }
    }
}
