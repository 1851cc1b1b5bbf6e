import OneStopModel
import OneStopNormalise

/// A second, deliberately plain statement of the record rules (R1–R4, R24, the value bounds and
/// the reject order of the README's choice 5), on Strings, one
/// record at a time: no caches, no byte handling, defaults applied where a value is read. The
/// differential tests and the fuzz target (Fuzz/build.sh compiles this file in) check the one
/// implementation, `RecordPacker`, against it. Not product code: keep it simple and obviously
/// right rather than fast.
struct ReferenceNormaliser {
    let dialect: Dialect
    let dates: DateParser
    let earliest: Instant

    init(dialect: Dialect, clock: LocalClock) throws {
        self.dialect = dialect
        dates = DateParser(patterns: try dialect.dateFormats.map { try DatePattern($0) }, clock: clock)
        earliest = clock.startOfDay(LocalDate(year: 1990, month: 1, day: 1)!)
    }

    private struct Failure: Error {
        var dossierID: String?
        var field: String
        var reason: RejectReason
    }

    func normalise(_ record: RawRecord, source: Int, file: String) -> NormalisedRecord {
        do {
            return .dossier(try dossier(from: record, source: source))
        } catch let failure as Failure {
            return .rejected(Reject(file: file, line: record.line, dossierID: failure.dossierID, field: failure.field,
                                    reason: failure.reason))
        } catch {
            preconditionFailure("\(error)")
        }
    }

    /// The map's value for a code, keys compared trimmed and upper-cased.
    private func lookUp<Value>(_ text: String, in map: [String: Value]) -> Value? {
        map.first { TextNormaliser.code($0.key) == TextNormaliser.code(text) }?.value
    }

    private func dossier(from record: RawRecord, source: Int) throws -> Dossier {
        func value(_ field: CanonicalField) -> String? {
            TextNormaliser.text(record[field]) ?? dialect.defaults[field].flatMap(TextNormaliser.text)
        }
        guard let id = TextNormaliser.code(record[.dossierID]) else {
            throw Failure(dossierID: nil, field: dialect.sourceName(of: .dossierID), reason: .missingDossierID)
        }
        guard id.utf8.count <= 64 else {
            throw Failure(dossierID: nil, field: dialect.sourceName(of: .dossierID),
                          reason: .valueTooLong(bytes: id.utf8.count, limit: 64))
        }
        func fail(_ name: String, _ reason: RejectReason) -> Failure { Failure(dossierID: id, field: name, reason: reason) }
        func fail(_ field: CanonicalField, _ reason: RejectReason) -> Failure { fail(dialect.sourceName(of: field), reason) }
        func quoted(_ text: String) -> String { ValueLimits.quoted(text) }
        func bounded(_ field: CanonicalField, _ text: String?, _ limit: Int) throws -> String? {
            if let text, text.utf8.count > limit { throw fail(field, .valueTooLong(bytes: text.utf8.count, limit: limit)) }
            return text
        }
        func mapped<Value>(_ field: CanonicalField, _ map: [String: Value]) throws -> Value? {
            guard let text = value(field) else { return nil }
            guard let mapped = lookUp(text, in: map) else { throw fail(field, .unmappedCode(quoted(text))) }
            return mapped
        }
        func instant(_ text: String?, _ name: String, endOfDay: Bool) throws -> Instant? {
            guard let text = TextNormaliser.text(text) else { return nil }
            guard let instant = dates.instant(from: text, endOfDayIfDateOnly: endOfDay) else {
                throw fail(name, .unparseableDate(quoted(text)))
            }
            guard instant >= earliest else { throw fail(name, .implausibleDate(quoted(text))) }
            return instant
        }
        func date(_ field: CanonicalField, endOfDay: Bool = false) throws -> Instant? {
            try instant(value(field), dialect.sourceName(of: field), endOfDay: endOfDay)
        }

        guard let procedure = TextNormaliser.code(value(.procedureCode)) else {
            throw fail(.procedureCode, .missingProcedureCode)
        }
        _ = try bounded(.procedureCode, procedure, 64)
        let name = try bounded(.procedureName, value(.procedureName), 2_048)
        let field = try bounded(.field, TextNormaliser.code(value(.field)), 64)
        let agency = try bounded(.agency, TextNormaliser.code(value(.agency)), 64)
        guard let status = try mapped(.status, dialect.statusCodes) else { throw fail(.status, .missingStatus) }
        let channel = try mapped(.channel, dialect.channelCodes) ?? .inPerson
        let returnMethod = try mapped(.returnMethod, dialect.returnCodes) ?? .unknown
        var digitised = try mapped(.digitised, dialect.flagCodes) ?? false
        for attachment in record.attachments {
            guard let text = TextNormaliser.text(attachment[AttachmentField.digitised.rawValue]) else { continue }
            guard let flag = lookUp(text, in: dialect.flagCodes) else {
                throw fail(dialect.sourceName(of: AttachmentField.digitised), .unmappedCode(quoted(text)))
            }
            digitised = digitised || flag
        }

        let received = try date(.received)
        let due = try date(.due, endOfDay: true)
        let finished = try date(.finished)
        let returned = try date(.returned)
        var supplements: [Supplement] = []
        for entry in record.supplements {
            func date(_ field: SupplementField, endOfDay: Bool = false) throws -> Instant? {
                let raw = entry.indices.contains(field.rawValue) ? entry[field.rawValue] : nil
                return try instant(raw, dialect.sourceName(of: field), endOfDay: endOfDay)
            }
            let requested = try date(.requested)
            let answered = try date(.answered)
            let newDue = try date(.newDue, endOfDay: true)
            guard let requested else {
                if answered == nil, newDue == nil { continue }
                throw fail(dialect.sourceName(of: SupplementField.requested), .missingSupplementRequestDate)
            }
            supplements.append(Supplement(requested: requested, answered: answered, newDue: newDue))
        }

        if received == nil, status.isAccepted { throw fail(.received, .missingReceivedDate) }
        let clock = dates.clock
        if let received, let due, clock.localDate(of: due) < clock.localDate(of: received) {
            throw fail(.due, .dueBeforeReceived)
        }
        if status.isResolved, finished == nil, returned == nil { throw fail(.finished, .resolvedWithoutEnd) }
        return Dossier(
            source: source, id: id, procedure: procedure, procedureName: name, field: field, agency: agency,
            channel: channel, returnMethod: returnMethod, status: status, received: received, due: due,
            finished: finished, returned: returned, supplements: supplements, digitised: digitised)
    }
}
