import Foundation
import OneStopModel

/// Aggregates the kept dossiers of a run — the deduplicated winners with an accepted status —
/// into the progress tables, the scorecard and the run's figure warnings (SPEC §4, R9–R23).
///
/// Each dossier is classified once; the array is split into `settings.jobs` contiguous chunks
/// counted concurrently with Dispatch, each into its own counters, then merged. The result is
/// identical for any number of jobs.
///
/// Precondition: every `Dossier.source` indexes `settings.sources`.
///
/// Decisions where SPEC leaves room:
/// - A dossier with neither a field of its own nor a catalogue field counts under the field key
///   `""`, so the field rows still add up to the province row.
/// - R23's fallback name is taken from every kept dossier of the procedure, in scope or not, the
///   one with the smallest (source name, dossier id) carrying a non-blank name; the catalogue's
///   name wins for a catalogue procedure.
/// - `unknownProcedure` and `missingAgency` warnings concern every kept dossier, in scope or
///   not; `noDueDate` only in-scope dossiers whose outcome R12's "no due date" step decided.
public func aggregate(_ dossiers: [Dossier], settings: AggregationSettings) -> Aggregation {
    Aggregator(settings: settings, table: DossierTable(dossiers), countsNotAccepted: true).aggregate()
}

/// Aggregates the winners of deduplication, packed: the entries whose status is accepted (the
/// kept dossiers, R7) are counted, the others skipped. Same figures as `aggregate(_:settings:)`
/// over the kept dossiers as `Dossier` values.
public func aggregate(_ table: DossierTable, settings: AggregationSettings) -> Aggregation {
    Aggregator(settings: settings, table: table, countsNotAccepted: false).aggregate()
}

/// The per-dossier counting and the final assembly behind `aggregate(_:settings:)`. A class, so
/// the workers share it instead of copying its tables per call.
final class Aggregator: Sendable {
    let settings: AggregationSettings
    let classifier: Classifier
    let table: DossierTable
    let countsNotAccepted: Bool
    /// The table's strings, by index (taken after the keys below were interned).
    let strings: [String]
    /// Per string index: the catalogue entry of that procedure code (index into `entries`), or -1.
    let entryOf: [Int32]
    let entries: [CatalogueEntry]
    /// Per string index: the field key of a dossier of that procedure without a field of its own
    /// (the catalogue's field, else ""), as a string index.
    let fallbackFieldOf: [Int32]
    let emptyField: Int32
    /// Per source: its name as a string index (the agency of a dossier without one, R16), its
    /// rank among the source names (R23), its level's position, its first digitisation day (R20).
    let sourceNameIndex: [Int32]
    let sourceRank: [Int]
    let sourceLevel: [Int]
    let digitisationStartDay: [Int64?]

    init(settings: AggregationSettings, table: DossierTable, countsNotAccepted: Bool) {
        self.settings = settings
        self.table = table
        self.countsNotAccepted = countsNotAccepted
        classifier = Classifier(period: settings.period, clock: settings.clock, rules: settings.rules)
        let strings = table.strings
        emptyField = strings.intern("")
        sourceNameIndex = settings.sources.map { strings.intern($0.name) }
        let ranked = settings.sources.indices.sorted { settings.sources[$0].name < settings.sources[$1].name }
        var sourceRank = [Int](repeating: 0, count: settings.sources.count)
        for (rank, source) in ranked.enumerated() { sourceRank[source] = rank }
        self.sourceRank = sourceRank
        sourceLevel = settings.sources.map { Level.allCases.firstIndex(of: $0.level)! }
        digitisationStartDay = settings.sources.map { settings.targets.digitisationEffective[$0.level]?.daysSinceEpoch }
        let entries = Array(settings.catalogue.entries.values)
        let entryFields = entries.map { strings.intern($0.field) }
        let snapshot = strings.snapshot()
        var entryOf = [Int32](repeating: -1, count: snapshot.count)
        var fallbackFieldOf = [Int32](repeating: emptyField, count: snapshot.count)
        let positionOf = Dictionary(entries.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { first, _ in first })
        for (index, text) in snapshot.enumerated() {
            guard let entry = settings.catalogue[text], let position = positionOf[entry.code] else { continue }
            entryOf[index] = Int32(position)
            fallbackFieldOf[index] = entryFields[position]
        }
        self.strings = snapshot
        self.entryOf = entryOf
        self.entries = entries
        self.fallbackFieldOf = fallbackFieldOf
    }

    func aggregate() -> Aggregation {
        let count = table.count
        let chunks = max(1, min(settings.jobs, count))
        let partials = concurrentMapChunks(count: count, chunks: chunks) { range in
            var partial = PartialAggregation()
            for index in range { self.count(index, into: &partial) }
            return partial
        }
        var merged = PartialAggregation()
        for partial in partials { merged.merge(partial, ranksBefore: ranksBefore) }
        return assemble(merged)
    }

    /// R23's order: (source name, dossier id).
    func ranksBefore(_ a: NameCandidate, _ b: NameCandidate) -> Bool {
        if a.sourceRank != b.sourceRank { return a.sourceRank < b.sourceRank }
        return table.id(at: a.dossier) < table.id(at: b.dossier)
    }

    @inline(__always)
    func count(_ index: Int, into partial: inout PartialAggregation) {
        let dossier = table[index]
        guard countsNotAccepted || dossier.status.isAccepted else { return }
        let sourceIndex = dossier.source
        let source = settings.sources[sourceIndex]
        let procedure = dossier.procedure
        let entryIndex = entryOf[Int(procedure)]
        let entry = entryIndex >= 0 ? entries[Int(entryIndex)] : nil
        if entry == nil {
            partial.warnings.append(RunWarning(kind: .unknownProcedure, subject: strings[Int(procedure)]))
            let name = dossier.procedureName
            if name >= 0, !partial.isBlank(name, strings) {
                let candidate = NameCandidate(
                    sourceRank: sourceRank[sourceIndex], dossier: index, name: dossier.procedureName)
                if let current = partial.dossierNames[procedure], !ranksBefore(candidate, current) {
                } else {
                    partial.dossierNames[procedure] = candidate
                }
            }
        }
        if dossier.agency < 0 {
            partial.warnings.append(RunWarning(kind: .missingAgency, subject: "\(source.name):\(table.id(at: index))"))
        }
        guard let classification = classifier.classify(dossier, manyWaits: { table.waits(at: index) }),
              let received = dossier.received
        else { return }
        if classification.decidedWithoutDueDate {
            partial.warnings.append(RunWarning(kind: .noDueDate, subject: "\(source.name):\(table.id(at: index))"))
        }

        let postal = dossier.channel == .postal || dossier.returnMethod == .postal
        let counters = ProgressCounters(classification, postal: postal, digitised: dossier.digitised)
        let agency = UInt64(UInt32(bitPattern: dossier.agency >= 0 ? dossier.agency : sourceNameIndex[sourceIndex]))
        let field = dossier.field >= 0 ? dossier.field : fallbackFieldOf[Int(procedure)]
        let level = UInt64(sourceLevel[sourceIndex])
        let procedureKey = UInt64(UInt32(bitPattern: procedure))
        partial.province += counters
        partial.byLevel.add(level, counters)
        partial.byField.add(UInt64(UInt32(bitPattern: field)), counters)
        partial.byAgency.add(agency, counters)
        partial.byProcedure.add(procedureKey, counters)
        partial.byAgencyProcedure.add(agency << 32 | procedureKey, counters)
        partial.byAgencyLevel.add(agency << 2 | level, counters)
        let receivedDay = settings.clock.localDay(of: received)
        if settings.monthly {
            let date = LocalDate(daysSinceEpoch: receivedDay)
            let firstDay = receivedDay - Int64(date.day - 1)
            partial.byMonth.add(UInt64(bitPattern: firstDay), counters)
        }
        if classification.isReceivedInPeriod {
            let digitisationApplies = digitisationStartDay[sourceIndex].map { receivedDay >= $0 } ?? false
            partial.scorecard.count(
                procedure: procedure, channel: dossier.channel, digitised: dossier.digitised, entry: entry,
                level: source.level, levelIndex: sourceLevel[sourceIndex], postal: postal,
                digitisationApplies: digitisationApplies)
        }
    }

    func assemble(_ partial: PartialAggregation) -> Aggregation {
        func byString(_ map: CounterMap) -> [String: ProgressCounters] {
            var result: [String: ProgressCounters] = [:]
            for (key, counters) in zip(map.keys, map.values) { result[strings[Int(key)]] = counters }
            return result
        }
        var byLevel: [Level: ProgressCounters] = [:]
        for (key, counters) in zip(partial.byLevel.keys, partial.byLevel.values) {
            byLevel[Level.allCases[Int(key)]] = counters
        }
        var byAgencyProcedure: [AgencyProcedure: ProgressCounters] = [:]
        for (key, counters) in zip(partial.byAgencyProcedure.keys, partial.byAgencyProcedure.values) {
            byAgencyProcedure[AgencyProcedure(
                agency: strings[Int(key >> 32)], procedure: strings[Int(key & 0xFFFF_FFFF)])] = counters
        }
        var byAgencyLevel: [AgencyLevel: ProgressCounters] = [:]
        for (key, counters) in zip(partial.byAgencyLevel.keys, partial.byAgencyLevel.values) {
            byAgencyLevel[AgencyLevel(agency: strings[Int(key >> 2)], level: Level.allCases[Int(key & 3)])] = counters
        }
        var byMonth: [String: ProgressCounters] = [:]
        for (key, counters) in zip(partial.byMonth.keys, partial.byMonth.values) {
            byMonth[LocalDate(daysSinceEpoch: Int64(bitPattern: key)).monthKey] = counters
        }
        var dossierNames: [String: String] = [:]
        for (procedure, candidate) in partial.dossierNames {
            dossierNames[strings[Int(procedure)]] = strings[Int(candidate.name)]
        }
        let merged = (
            province: partial.province, byLevel: byLevel, byField: byString(partial.byField),
            byAgency: byString(partial.byAgency), byProcedure: byString(partial.byProcedure),
            byAgencyProcedure: byAgencyProcedure, byAgencyLevel: byAgencyLevel, byMonth: byMonth,
            dossierNames: dossierNames, warnings: partial.warnings)

        var progress: [ProgressRow] = []
        if merged.province.total > 0 {
            progress.append(ProgressRow(dimension: .province, key: "ALL", counters: merged.province))
        }
        func append(_ dimension: ProgressDimension, _ groups: [String: ProgressCounters]) {
            for (key, counters) in groups.sorted(by: { $0.key < $1.key }) {
                progress.append(ProgressRow(dimension: dimension, key: key, counters: counters))
            }
        }
        append(.level, Dictionary(uniqueKeysWithValues: merged.byLevel.map { ($0.key.rawValue, $0.value) }))
        append(.field, merged.byField)
        append(.agency, merged.byAgency)
        append(.procedure, merged.byProcedure)

        let procedures = merged.byAgencyProcedure
            .sorted { ($0.key.agency, $0.key.procedure) < ($1.key.agency, $1.key.procedure) }
            .map { key, counters in
                ProcedureRow(
                    agency: key.agency, procedure: key.procedure,
                    procedureName: procedureName(key.procedure, names: merged.dossierNames), counters: counters)
            }
        let agencies = merged.byAgencyLevel
            .sorted { ($0.key.agency, $0.key.level.rawValue) < ($1.key.agency, $1.key.level.rawValue) }
            .map { AgencyRow(agency: $0.key.agency, level: $0.key.level, counters: $0.value) }
        let monthly = merged.byMonth.sorted { $0.key < $1.key }.map { MonthRow(month: $0.key, counters: $0.value) }

        var identityFailures: [String] = []
        func check(_ table: String, _ key: String, _ counters: ProgressCounters) {
            guard !counters.identityHolds else { return }
            identityFailures.append(
                "\(table) \(key): total \(counters.total) ≠ resolved \(counters.resolvedTotal)"
                    + " + in progress \(counters.inProgressTotal)")
        }
        for row in progress { check("progress", "\(row.dimension.rawValue) \(row.key)", row.counters) }
        for row in procedures { check("procedures", "\(row.agency) \(row.procedure)", row.counters) }
        for row in agencies { check("agencies", "\(row.agency) \(row.level.rawValue)", row.counters) }
        for row in monthly { check("monthly", row.month, row.counters) }

        let scorecard = partial.scorecard.scorecard(
            catalogue: settings.catalogue, targets: settings.targets, province: merged.province,
            levels: merged.byLevel, strings: strings)
        return Aggregation(
            progress: progress, procedures: procedures, agencies: agencies, monthly: monthly, scorecard: scorecard,
            warnings: merged.warnings.sorted(), identityFailures: identityFailures)
    }

    /// R23: the catalogue's name, else the best-ranked dossier name (NFC, trimmed), else empty.
    private func procedureName(_ procedure: String, names: [String: String]) -> String {
        if let entry = settings.catalogue[procedure] { return entry.name }
        return names[procedure]?.trimmingWhitespace().precomposedStringWithCanonicalMapping ?? ""
    }
}
