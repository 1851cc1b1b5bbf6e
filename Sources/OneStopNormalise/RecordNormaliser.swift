import OneStopModel

/// The outcome of normalising one raw record.
public enum NormalisedRecord: Sendable, Hashable {
    case dossier(Dossier)
    case rejected(Reject)
}

/// Turns raw records of one dialect into canonical dossiers or rejects (SPEC §3.1, R1–R4), and
/// rejects a record whose dossier id, codes or procedure name are longer than `ValueLimits`.
///
/// One reject per record, for the first failing check in this order: dossier id (missing, too
/// long), procedure code (missing, too long), procedure name, field and agency too long, status,
/// channel, return method, digitised flags, dates, received date of an accepted dossier, due
/// before received, resolved without end (the README's "Choices where SPEC leaves room").
public struct RecordNormaliser: Sendable {
    public let dialect: Dialect
    public let dates: DateParser
    let channelCodes: [String: Channel]
    let returnCodes: [String: ReturnMethod]
    let statusCodes: [String: Status]
    let flagCodes: [String: Bool]

    /// Compiles the dialect's date formats and code maps once, for every record of the run.
    public init(dialect: Dialect, clock: LocalClock) throws(DatePatternError) {
        self.dialect = dialect
        var patterns: [DatePattern] = []
        for format in dialect.dateFormats { patterns.append(try DatePattern(format)) }
        self.dates = DateParser(patterns: patterns, clock: clock)
        func normalisedKeys<Value>(_ map: [String: Value]) -> [String: Value] {
            var result: [String: Value] = [:]
            for (key, value) in map { result[TextNormaliser.code(key) ?? key] = value }
            return result
        }
        channelCodes = normalisedKeys(dialect.channelCodes)
        returnCodes = normalisedKeys(dialect.returnCodes)
        statusCodes = normalisedKeys(dialect.statusCodes)
        flagCodes = normalisedKeys(dialect.flagCodes)
    }

    /// Normalises one record read from `file` (the path as the run shows it) of source number `source`.
    public func normalise(_ record: RawRecord, source: Int, file: String) -> NormalisedRecord {
        do {
            return .dossier(try dossier(from: record, source: source))
        } catch {
            return .rejected(Reject(file: file, line: record.line, dossierID: error.dossierID, field: error.field,
                                    reason: error.reason))
        }
    }

    private struct Failure: Error {
        var dossierID: String?
        var field: String
        var reason: RejectReason
    }

    private func dossier(from record: RawRecord, source: Int) throws(Failure) -> Dossier {
        func value(_ field: CanonicalField) -> String? {
            TextNormaliser.text(record[field]) ?? dialect.defaults[field].flatMap(TextNormaliser.text)
        }
        guard let id = TextNormaliser.code(record[.dossierID]) else {
            throw Failure(dossierID: nil, field: dialect.sourceName(of: .dossierID), reason: .missingDossierID)
        }
        guard id.utf8.count <= ValueLimits.dossierID else {
            // Too long to be an id: the row names the file and line instead.
            throw Failure(dossierID: nil, field: dialect.sourceName(of: .dossierID),
                          reason: .valueTooLong(bytes: id.utf8.count, limit: ValueLimits.dossierID))
        }
        func fail(_ field: CanonicalField, _ reason: RejectReason) -> Failure {
            Failure(dossierID: id, field: dialect.sourceName(of: field), reason: reason)
        }
        func mapped<Value>(_ field: CanonicalField, in map: [String: Value]) throws(Failure) -> Value? {
            guard let raw = value(field) else { return nil }
            guard let mapped = map[TextNormaliser.code(raw) ?? raw] else { throw fail(field, .unmappedCode(ValueLimits.quoted(raw))) }
            return mapped
        }
        func date(_ field: CanonicalField, endOfDay: Bool = false) throws(Failure) -> Instant? {
            guard let raw = value(field) else { return nil }
            guard let instant = dates.instant(from: raw, endOfDayIfDateOnly: endOfDay) else {
                throw fail(field, .unparseableDate(ValueLimits.quoted(raw)))
            }
            return instant
        }

        /// A kept code or name within its bound (`ValueLimits`).
        func bounded(_ field: CanonicalField, _ text: String?, limit: Int) throws(Failure) -> String? {
            if let text, text.utf8.count > limit {
                throw fail(field, .valueTooLong(bytes: text.utf8.count, limit: limit))
            }
            return text
        }

        guard let procedure = TextNormaliser.code(value(.procedureCode)) else { throw fail(.procedureCode, .missingProcedureCode) }
        _ = try bounded(.procedureCode, procedure, limit: ValueLimits.code)
        let procedureName = try bounded(.procedureName, value(.procedureName), limit: ValueLimits.procedureName)
        let field = try bounded(.field, TextNormaliser.code(value(.field)), limit: ValueLimits.code)
        let agency = try bounded(.agency, TextNormaliser.code(value(.agency)), limit: ValueLimits.code)
        guard let status = try mapped(.status, in: statusCodes) else { throw fail(.status, .missingStatus) }
        let channel = try mapped(.channel, in: channelCodes) ?? .inPerson
        let returnMethod = try mapped(.returnMethod, in: returnCodes) ?? .unknown
        var digitised = try mapped(.digitised, in: flagCodes) ?? false
        for attachment in record.attachments {
            guard let raw = TextNormaliser.text(attachment[AttachmentField.digitised.rawValue]) else { continue }
            guard let flag = flagCodes[TextNormaliser.code(raw) ?? raw] else {
                throw Failure(dossierID: id, field: dialect.sourceName(of: AttachmentField.digitised),
                              reason: .unmappedCode(ValueLimits.quoted(raw)))
            }
            digitised = digitised || flag
        }

        let received = try date(.received)
        let due = try date(.due, endOfDay: true)
        let finished = try date(.finished)
        let returned = try date(.returned)
        let supplements = try supplements(of: record, id: id)

        if received == nil, status.isAccepted { throw fail(.received, .missingReceivedDate) }
        if let received, let due, dates.clock.localDay(of: due) < dates.clock.localDay(of: received) {
            throw fail(.due, .dueBeforeReceived)
        }
        if status.isResolved, finished == nil, returned == nil { throw fail(.finished, .resolvedWithoutEnd) }

        return Dossier(
            source: source, id: id, procedure: procedure, procedureName: procedureName, field: field, agency: agency,
            channel: channel, returnMethod: returnMethod, status: status, received: received, due: due,
            finished: finished, returned: returned, supplements: supplements, digitised: digitised)
    }

    private func supplements(of record: RawRecord, id: String) throws(Failure) -> [Supplement] {
        var result: [Supplement] = []
        for entry in record.supplements {
            func date(_ field: SupplementField, endOfDay: Bool = false) throws(Failure) -> Instant? {
                guard let raw = TextNormaliser.text(entry[field.rawValue]) else { return nil }
                guard let instant = dates.instant(from: raw, endOfDayIfDateOnly: endOfDay) else {
                    throw Failure(dossierID: id, field: dialect.sourceName(of: field), reason: .unparseableDate(ValueLimits.quoted(raw)))
                }
                return instant
            }
            let requested = try date(.requested)
            let answered = try date(.answered)
            let newDue = try date(.newDue, endOfDay: true)
            guard let requested else {
                if answered == nil, newDue == nil { continue }  // an empty group element says nothing
                throw Failure(dossierID: id, field: dialect.sourceName(of: SupplementField.requested),
                              reason: .missingSupplementRequestDate)
            }
            result.append(Supplement(requested: requested, answered: answered, newDue: newDue))
        }
        return result
    }
}
