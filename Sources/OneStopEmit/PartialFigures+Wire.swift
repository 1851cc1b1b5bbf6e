import OneStopAggregate
import OneStopModel

// The JSON shapes of a partial figures file (`PartialFigures.write(to:)`). Keys are snake_case,
// maps keyed by codes are written as sorted lists of entries (a code is data, never a key a
// coder might rewrite), counters as arrays in `ProgressCounters` order.

struct FormatProbe: Decodable {
    var format: String
    var version: Int
}

struct PeriodWire: Codable, Hashable {
    var from: String
    var to: String

    init(_ period: Period) {
        from = period.from.description
        to = period.to.description
    }

    func period(path: String, line: Int) throws(PartialFileError) -> Period {
        guard let from = LocalDate(iso: from), let to = LocalDate(iso: to) else {
            throw .damaged(path: path, line: line, reason: "period \(from)…\(to) is not two dates YYYY-MM-DD")
        }
        return Period(from: from, to: to)
    }
}

struct ShardWire: Codable, Hashable {
    var index: Int
    var count: Int
    var assignment: [NamedInt]

    init(_ shard: Shard) {
        index = shard.index
        count = shard.count
        assignment = shard.assignment.sorted { $0.key < $1.key }.map { NamedInt(name: $0.key, value: $0.value) }
    }

    var shard: Shard {
        Shard(index: index, count: count, assignment: Dictionary(assignment.map { ($0.name, $0.value) }) { $1 })
    }
}

struct NamedInt: Codable, Hashable {
    var name: String
    var value: Int
}

struct DossierSectionWire: Codable, Hashable {
    var source: String
    var offset: Int
    var rows: Int
}

struct HeaderWire: Codable {
    var format: String
    var version: Int
    var fingerprint: String
    var pipeline: String
    var period: PeriodWire
    var shard: ShardWire?
    var sources: [String]
    var dossierRows: Int?
    var dossierSections: [DossierSectionWire]?

    enum CodingKeys: String, CodingKey {
        case format, version, fingerprint, pipeline, period, shard, sources
        case dossierRows = "dossier_rows"
        case dossierSections = "dossier_sections"
    }

    /// Writes `null` for absent optionals, so every header has the same keys.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(version, forKey: .version)
        try container.encode(fingerprint, forKey: .fingerprint)
        try container.encode(pipeline, forKey: .pipeline)
        try container.encode(period, forKey: .period)
        try container.encode(shard, forKey: .shard)
        try container.encode(sources, forKey: .sources)
        try container.encode(dossierRows, forKey: .dossierRows)
        try container.encode(dossierSections, forKey: .dossierSections)
    }

    var header: PartialHeader {
        get throws {
            guard let from = LocalDate(iso: period.from), let to = LocalDate(iso: period.to) else {
                throw WireError("period \(period.from)…\(period.to) is not two dates YYYY-MM-DD")
            }
            return PartialHeader(
                version: version, fingerprint: fingerprint, pipeline: pipeline, period: Period(from: from, to: to),
                shard: shard?.shard, sources: sources, dossierRows: dossierRows, sections: dossierSections ?? [])
        }
    }
}

struct WireError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Counters as the ten stored counts, in declaration order.
typealias CountersWire = [Int]

extension ProgressCounters {
    var wire: CountersWire {
        [receivedOnline, receivedInPersonPost, carriedOver, resolvedEarly, resolvedOnTime, resolvedLate,
         inProgressWithin, inProgressOverdue, postal, digitised]
    }

    init(wire: CountersWire) throws {
        guard wire.count == 10, wire.allSatisfy({ $0 >= 0 }) else {
            throw WireError("counters must be 10 non-negative numbers, found \(wire)")
        }
        self.init(
            receivedOnline: wire[0], receivedInPersonPost: wire[1], carriedOver: wire[2], resolvedEarly: wire[3],
            resolvedOnTime: wire[4], resolvedLate: wire[5], inProgressWithin: wire[6], inProgressOverdue: wire[7],
            postal: wire[8], digitised: wire[9])
    }
}

struct GroupWire: Codable, Hashable {
    var key: [String]
    var counters: CountersWire
}

struct RatioWire: Codable, Hashable {
    var key: String
    var numerator: Int
    var denominator: Int
}

struct ProcedureSetWire: Codable, Hashable {
    var level: String
    var procedures: [String]
}

struct NameWire: Codable, Hashable {
    var procedure: String
    var source: String
    var dossierID: String
    var name: String

    enum CodingKeys: String, CodingKey {
        case procedure, source, name
        case dossierID = "dossier_id"
    }
}

struct LateWire: Codable, Hashable {
    var agency: String
    var source: String
    var dossierID: String
    var procedure: String
    var overdue: Bool
    var daysLate: Int?

    enum CodingKeys: String, CodingKey {
        case agency, source, procedure, overdue
        case dossierID = "dossier_id"
        case daysLate = "days_late"
    }

    /// Writes `null` for an unknown days late, so every entry has the same keys.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(agency, forKey: .agency)
        try container.encode(source, forKey: .source)
        try container.encode(dossierID, forKey: .dossierID)
        try container.encode(procedure, forKey: .procedure)
        try container.encode(overdue, forKey: .overdue)
        try container.encode(daysLate, forKey: .daysLate)
    }
}

struct TallyWire: Codable {
    var province: CountersWire
    /// Keyed `[level]`, `[field]`, `[agency]`, `[procedure]`, `[agency, procedure]`,
    /// `[agency, level]`, `[month]`.
    var byLevel: [GroupWire]
    var byField: [GroupWire]
    var byAgency: [GroupWire]
    var byProcedure: [GroupWire]
    var byAgencyProcedure: [GroupWire]
    var byAgencyLevel: [GroupWire]
    var byMonth: [GroupWire]
    var onlineProcedures: [ProcedureSetWire]
    var postalProcedures: [ProcedureSetWire]
    var onlineShare: RatioWire
    var onlineShareByLevel: [RatioWire]
    var digitisationByLevel: [RatioWire]
    var digitisationByAgency: [RatioWire]
    var noDueDate: [String]
    var missingAgency: [String]
    var unknownProcedures: [NamedInt]
    var procedureNames: [NameWire]
    var lateByAgency: [LateWire]

    enum CodingKeys: String, CodingKey {
        case province
        case byLevel = "by_level"
        case byField = "by_field"
        case byAgency = "by_agency"
        case byProcedure = "by_procedure"
        case byAgencyProcedure = "by_agency_procedure"
        case byAgencyLevel = "by_agency_level"
        case byMonth = "by_month"
        case onlineProcedures = "online_procedures"
        case postalProcedures = "postal_procedures"
        case onlineShare = "online_share"
        case onlineShareByLevel = "online_share_by_level"
        case digitisationByLevel = "digitisation_by_level"
        case digitisationByAgency = "digitisation_by_agency"
        case noDueDate = "no_due_date"
        case missingAgency = "missing_agency"
        case unknownProcedures = "unknown_procedures"
        case procedureNames = "procedure_names"
        case lateByAgency = "late_by_agency"
    }

    init(_ tally: FigureTally) {
        func groups<Key>(_ map: [Key: ProgressCounters], _ key: (Key) -> [String]) -> [GroupWire] {
            map.map { GroupWire(key: key($0.key), counters: $0.value.wire) }
                .sorted { $0.key.lexicographicallyPrecedes($1.key) }
        }
        func ratios<Key>(_ map: [Key: RatioCount], _ key: (Key) -> String) -> [RatioWire] {
            map.map { RatioWire(key: key($0.key), numerator: $0.value.numerator, denominator: $0.value.denominator) }
                .sorted { $0.key < $1.key }
        }
        func sets(_ map: [Level: Set<String>]) -> [ProcedureSetWire] {
            map.map { ProcedureSetWire(level: $0.key.rawValue, procedures: $0.value.sorted()) }
                .sorted { $0.level < $1.level }
        }
        province = tally.province.wire
        byLevel = groups(tally.byLevel) { [$0.rawValue] }
        byField = groups(tally.byField) { [$0] }
        byAgency = groups(tally.byAgency) { [$0] }
        byProcedure = groups(tally.byProcedure) { [$0] }
        byAgencyProcedure = groups(tally.byAgencyProcedure) { [$0.agency, $0.procedure] }
        byAgencyLevel = groups(tally.byAgencyLevel) { [$0.agency, $0.level.rawValue] }
        byMonth = groups(tally.byMonth) { [$0] }
        onlineProcedures = sets(tally.onlineProcedures)
        postalProcedures = sets(tally.postalProcedures)
        onlineShare = RatioWire(
            key: "", numerator: tally.onlineShare.numerator, denominator: tally.onlineShare.denominator)
        onlineShareByLevel = ratios(tally.onlineShareByLevel) { $0.rawValue }
        digitisationByLevel = ratios(tally.digitisationByLevel) { $0.rawValue }
        digitisationByAgency = ratios(tally.digitisationByAgency) { $0 }
        noDueDate = tally.noDueDate.sorted()
        missingAgency = tally.missingAgency.sorted()
        unknownProcedures = tally.unknownProcedures.sorted { $0.key < $1.key }.map { NamedInt(name: $0.key, value: $0.value) }
        procedureNames = tally.procedureNames.sorted { $0.key < $1.key }.map {
            NameWire(procedure: $0.key, source: $0.value.source, dossierID: $0.value.dossierID, name: $0.value.name)
        }
        lateByAgency = tally.lateByAgency.sorted { $0.key < $1.key }.flatMap { agency, dossiers in
            LateDossier.worst(dossiers).map {
                LateWire(agency: agency, source: $0.source, dossierID: $0.dossierID, procedure: $0.procedure,
                         overdue: $0.overdue, daysLate: $0.daysLate)
            }
        }
    }

    func tally() throws -> FigureTally {
        func level(_ text: String) throws -> Level {
            guard let level = Level(rawValue: text) else { throw WireError("'\(text)' is not a level") }
            return level
        }
        func groups<Key: Hashable>(_ list: [GroupWire], arity: Int, _ key: ([String]) throws -> Key) throws
            -> [Key: ProgressCounters]
        {
            var map: [Key: ProgressCounters] = [:]
            for group in list {
                guard group.key.count == arity else { throw WireError("a group key \(group.key) has the wrong length") }
                map[try key(group.key), default: ProgressCounters()] += try ProgressCounters(wire: group.counters)
            }
            return map
        }
        func ratios<Key: Hashable>(_ list: [RatioWire], _ key: (String) throws -> Key) throws -> [Key: RatioCount] {
            var map: [Key: RatioCount] = [:]
            for ratio in list {
                map[try key(ratio.key), default: RatioCount()] += RatioCount(
                    numerator: ratio.numerator, denominator: ratio.denominator)
            }
            return map
        }
        func sets(_ list: [ProcedureSetWire]) throws -> [Level: Set<String>] {
            var map: [Level: Set<String>] = [:]
            for set in list { map[try level(set.level), default: []].formUnion(set.procedures) }
            return map
        }
        var tally = FigureTally()
        tally.province = try ProgressCounters(wire: province)
        tally.byLevel = try groups(byLevel, arity: 1) { try level($0[0]) }
        tally.byField = try groups(byField, arity: 1) { $0[0] }
        tally.byAgency = try groups(byAgency, arity: 1) { $0[0] }
        tally.byProcedure = try groups(byProcedure, arity: 1) { $0[0] }
        tally.byAgencyProcedure = try groups(byAgencyProcedure, arity: 2) { AgencyProcedure(agency: $0[0], procedure: $0[1]) }
        tally.byAgencyLevel = try groups(byAgencyLevel, arity: 2) { AgencyLevel(agency: $0[0], level: try level($0[1])) }
        tally.byMonth = try groups(byMonth, arity: 1) { $0[0] }
        tally.onlineProcedures = try sets(onlineProcedures)
        tally.postalProcedures = try sets(postalProcedures)
        tally.onlineShare = RatioCount(numerator: onlineShare.numerator, denominator: onlineShare.denominator)
        tally.onlineShareByLevel = try ratios(onlineShareByLevel, level)
        tally.digitisationByLevel = try ratios(digitisationByLevel, level)
        tally.digitisationByAgency = try ratios(digitisationByAgency) { $0 }
        tally.noDueDate = noDueDate
        tally.missingAgency = missingAgency
        tally.unknownProcedures = Dictionary(unknownProcedures.map { ($0.name, $0.value) }, uniquingKeysWith: +)
        for name in procedureNames {
            let candidate = NameCandidate(source: name.source, dossierID: name.dossierID, name: name.name)
            if let current = tally.procedureNames[name.procedure], !candidate.ranks(before: current) { continue }
            tally.procedureNames[name.procedure] = candidate
        }
        for late in lateByAgency {
            tally.lateByAgency[late.agency, default: []].append(LateDossier(
                source: late.source, dossierID: late.dossierID, procedure: late.procedure, overdue: late.overdue,
                daysLate: late.daysLate))
        }
        tally.lateByAgency = tally.lateByAgency.mapValues(LateDossier.worst)
        return tally
    }
}

struct AccountingWire: Codable {
    var recordsRead: Int
    var rejectedByReason: [NamedInt]
    var superseded: Int
    var notAccepted: Int
    var kept: Int

    enum CodingKeys: String, CodingKey {
        case superseded, kept
        case recordsRead = "records_read"
        case rejectedByReason = "rejected_by_reason"
        case notAccepted = "not_accepted"
    }
}

struct FileWire: Codable {
    var path: String
    var source: String
    var bytes: Int64
    var sha256: String
    var status: String
    var error: String?
    var line: Int?
    var exportTime: String?
    var records: Int
    var rejected: Int

    enum CodingKeys: String, CodingKey {
        case path, source, bytes, sha256, status, error, line, records, rejected
        case exportTime = "export_time"
    }

    init(_ file: FileReport) {
        path = file.path
        source = file.source
        bytes = file.bytes
        sha256 = file.sha256
        status = file.status.rawValue
        error = file.error
        line = file.line
        exportTime = file.exportTime
        records = file.records
        rejected = file.rejected
    }

    func report() throws -> FileReport {
        guard let status = FileReport.Status(rawValue: status) else { throw WireError("file status '\(status)'") }
        return FileReport(
            path: path, source: source, bytes: bytes, sha256: sha256, status: status, error: error, line: line,
            exportTime: exportTime, records: records, rejected: rejected)
    }
}

struct RejectWire: Codable {
    var file: String
    var line: Int
    var dossierID: String?
    var field: String
    var reason: String
    /// The value a reason quotes, or the byte count and bound of `value_too_long`.
    var value: String?
    var bytes: Int?
    var limit: Int?

    enum CodingKeys: String, CodingKey {
        case file, line, field, reason, value, bytes, limit
        case dossierID = "dossier_id"
    }

    init(_ reject: Reject) {
        file = reject.file
        line = reject.line
        dossierID = reject.dossierID
        field = reject.field
        switch reject.reason {
        case .missingDossierID: reason = "missing_dossier_id"
        case .missingProcedureCode: reason = "missing_procedure_code"
        case .missingStatus: reason = "missing_status"
        case .missingReceivedDate: reason = "missing_received_date"
        case .unparseableDate(let text):
            reason = "unparseable_date"
            value = text
        case .unmappedCode(let text):
            reason = "unmapped_code"
            value = text
        case .dueBeforeReceived: reason = "due_before_received"
        case .resolvedWithoutEnd: reason = "resolved_without_end"
        case .missingSupplementRequestDate: reason = "missing_supplement_request_date"
        case .implausibleDate(let text):
            reason = "implausible_date"
            value = text
        case .valueTooLong(let count, let bound):
            reason = "value_too_long"
            bytes = count
            limit = bound
        }
    }

    func reject() throws -> Reject {
        let why: RejectReason
        switch (reason, value, bytes, limit) {
        case ("missing_dossier_id", _, _, _): why = .missingDossierID
        case ("missing_procedure_code", _, _, _): why = .missingProcedureCode
        case ("missing_status", _, _, _): why = .missingStatus
        case ("missing_received_date", _, _, _): why = .missingReceivedDate
        case ("unparseable_date", let text?, _, _): why = .unparseableDate(text)
        case ("unmapped_code", let text?, _, _): why = .unmappedCode(text)
        case ("due_before_received", _, _, _): why = .dueBeforeReceived
        case ("resolved_without_end", _, _, _): why = .resolvedWithoutEnd
        case ("missing_supplement_request_date", _, _, _): why = .missingSupplementRequestDate
        case ("implausible_date", let text?, _, _): why = .implausibleDate(text)
        case ("value_too_long", _, let count?, let bound?): why = .valueTooLong(bytes: count, limit: bound)
        default: throw WireError("reject reason '\(reason)' is not one this onestop knows")
        }
        return Reject(file: file, line: line, dossierID: dossierID, field: field, reason: why)
    }
}

struct SourceWire: Codable {
    var name: String
    var level: String
    var patterns: [String]
    var optional: Bool
    var files: Int
    var failedFiles: Int
    var records: Int
    var newestExportTime: Int64?
    var selected: Bool

    enum CodingKeys: String, CodingKey {
        case name, level, patterns, optional, files, records, selected
        case failedFiles = "failed_files"
        case newestExportTime = "newest_export_time"
    }

    init(_ source: SourceTally) {
        name = source.name
        level = source.level.rawValue
        patterns = source.patterns
        optional = source.optional
        files = source.files
        failedFiles = source.failedFiles
        records = source.records
        newestExportTime = source.newestExportTime?.secondsSinceEpoch
        selected = source.selected
    }

    func source() throws -> SourceTally {
        guard let level = Level(rawValue: level) else { throw WireError("'\(level)' is not a level") }
        return SourceTally(
            name: name, level: level, patterns: patterns, optional: optional, files: files, failedFiles: failedFiles,
            records: records, newestExportTime: newestExportTime.map(Instant.init(secondsSinceEpoch:)),
            selected: selected)
    }
}

struct BodyWire: Codable {
    var figures: TallyWire
    var accounting: AccountingWire
    var files: [FileWire]
    var rejects: [RejectWire]
    var exportTimeFromMtime: [String]
    var sources: [SourceWire]

    enum CodingKeys: String, CodingKey {
        case figures, accounting, files, rejects, sources
        case exportTimeFromMtime = "export_time_from_mtime"
    }

    init(_ partial: PartialFigures) {
        figures = TallyWire(partial.figures)
        let accounting = partial.accounting
        self.accounting = AccountingWire(
            recordsRead: accounting.recordsRead,
            rejectedByReason: accounting.rejectedByReason.sorted { $0.key < $1.key }.map {
                NamedInt(name: $0.key, value: $0.value)
            },
            superseded: accounting.superseded, notAccepted: accounting.notAccepted, kept: accounting.kept)
        files = accounting.files.sorted { ($0.path, $0.source) < ($1.path, $1.source) }.map(FileWire.init)
        rejects = partial.rejects.sorted(by: Reject.ordered).map(RejectWire.init)
        exportTimeFromMtime = partial.exportTimeFromModificationTime.sorted()
        sources = partial.sources.map(SourceWire.init)
    }

    func partial(header: PartialHeader, path: String) throws(PartialFileError) -> PartialFigures {
        do {
            let rejects = try rejects.map { try $0.reject() }
            var byReason: [String: Int] = [:]
            for entry in accounting.rejectedByReason { byReason[entry.name, default: 0] += entry.value }
            let accounting = RunAccounting(
                recordsRead: accounting.recordsRead, rejected: rejects.count, rejectedByReason: byReason,
                superseded: accounting.superseded, notAccepted: accounting.notAccepted, kept: accounting.kept,
                files: try files.map { try $0.report() })
            return PartialFigures(
                fingerprint: header.fingerprint, pipeline: header.pipeline, period: header.period, shard: header.shard,
                sources: try sources.map { try $0.source() }, figures: try figures.tally(), accounting: accounting,
                rejects: rejects, exportTimeFromModificationTime: exportTimeFromMtime)
        } catch {
            throw .damaged(path: path, line: 2, reason: "\(error)")
        }
    }
}

/// Parses one line that holds a JSON array of strings (a dossier row of a partial file); nil
/// when it is anything else.
enum JSONStringArray {
    static func parse(_ bytes: [UInt8]) -> [String]? {
        var index = 0
        func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        }
        func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for byte in bytes[index..<index + 4] {
                value <<= 4
                switch byte {
                case 0x30...0x39: value |= UInt32(byte - 0x30)
                case 0x41...0x46: value |= UInt32(byte - 0x41 + 10)
                case 0x61...0x66: value |= UInt32(byte - 0x61 + 10)
                default: return nil
                }
            }
            index += 4
            return value
        }
        func string() -> String? {
            guard index < bytes.count, bytes[index] == 0x22 else { return nil }
            index += 1
            var out: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case 0x22: return String(validating: out, as: UTF8.self)
                case 0x5C:
                    guard index < bytes.count else { return nil }
                    let escaped = bytes[index]
                    index += 1
                    switch escaped {
                    case 0x22, 0x5C, 0x2F: out.append(escaped)
                    case 0x62: out.append(0x08)
                    case 0x66: out.append(0x0C)
                    case 0x6E: out.append(0x0A)
                    case 0x72: out.append(0x0D)
                    case 0x74: out.append(0x09)
                    case 0x75:
                        guard var scalar = hex4() else { return nil }
                        if (0xD800..<0xDC00).contains(scalar) {
                            guard index + 2 <= bytes.count, bytes[index] == 0x5C, bytes[index + 1] == 0x75 else {
                                return nil
                            }
                            index += 2
                            guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { return nil }
                        out.append(contentsOf: Array(String(Character(unicode)).utf8))
                    default: return nil
                    }
                default:
                    guard byte >= 0x20 else { return nil }
                    out.append(byte)
                }
            }
            return nil
        }
        skipSpace()
        guard index < bytes.count, bytes[index] == 0x5B else { return nil }
        index += 1
        var fields: [String] = []
        skipSpace()
        if index < bytes.count, bytes[index] == 0x5D {
            index += 1
        } else {
            while true {
                skipSpace()
                guard let field = string() else { return nil }
                fields.append(field)
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == 0x2C {
                    index += 1
                    continue
                }
                guard bytes[index] == 0x5D else { return nil }
                index += 1
                break
            }
        }
        skipSpace()
        return index == bytes.count ? fields : nil
    }
}
