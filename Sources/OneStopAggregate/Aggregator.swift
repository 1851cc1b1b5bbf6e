import Foundation
import OneStopModel

/// Aggregates the kept dossiers of a run — the deduplicated winners with an accepted status —
/// into the progress tables, the scorecard and the run's figure warnings (docs/contract.md §4, R9–R23).
///
/// Each dossier is classified once; the array is split into `settings.jobs` contiguous chunks
/// counted concurrently with Dispatch, each into its own counters, then merged. The result is
/// identical for any number of jobs.
///
/// Precondition: every `Dossier.source` indexes `settings.sources`.
///
/// Decisions where the contract leaves room:
/// - A dossier with neither a field of its own nor a catalogue field counts under the field key
///   `""`, so the field rows still add up to the province row.
/// - R23's fallback name is taken from every kept dossier of the procedure, in scope or not, the
///   one with the smallest (source name, dossier id) carrying a non-blank name; the catalogue's
///   name wins for a catalogue procedure.
/// - `unknownProcedure` and `missingAgency` warnings concern every kept dossier, in scope or
///   not; `noDueDate` only in-scope dossiers whose outcome R12's "no due date" step decided.
public func aggregate(_ dossiers: [Dossier], settings: AggregationSettings) -> Aggregation {
    tally(dossiers, settings: settings).assembled(with: settings.assembly)
}

/// Aggregates the winners of deduplication, packed: the entries whose status is accepted (the
/// kept dossiers, R7) are counted, the others skipped. Same figures as `aggregate(_:settings:)`
/// over the kept dossiers as `Dossier` values.
public func aggregate(_ table: DossierTable, settings: AggregationSettings) -> Aggregation {
    tally(table, settings: settings).assembled(with: settings.assembly)
}

/// Counts dossiers into a tally that merges with other tallies (of other workers or shards).
public func tally(_ dossiers: [Dossier], settings: AggregationSettings) -> FigureTally {
    Aggregator(settings: settings, table: DossierTable(dossiers), countsNotAccepted: true).tally()
}

/// Counts the accepted winners of a packed table into a tally.
public func tally(_ table: DossierTable, settings: AggregationSettings) -> FigureTally {
    Aggregator(settings: settings, table: table, countsNotAccepted: false).tally()
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

    func tally() -> FigureTally {
        let count = table.count
        let chunks = max(1, min(settings.jobs, count))
        var partials = concurrentMapChunks(count: count, chunks: chunks) { range in
            var partial = PartialAggregation()
            for index in range { self.count(index, into: &partial) }
            return partial
        }
        // Merged into the first chunk's counts, each chunk freed as soon as it is added: with
        // many distinct codes the chunks' maps are the run's largest structures.
        partials.reverse()
        var merged = partials.removeLast()
        while let partial = partials.popLast() { merged.merge(partial, ranksBefore: ranksBefore) }
        return tally(of: merged)
    }

    /// R16: the record's agency, else its source's name (a `StringTable` index).
    @inline(__always)
    func agencyIndex(of dossier: PackedDossier) -> Int32 {
        dossier.agency >= 0 ? dossier.agency : sourceNameIndex[dossier.source]
    }

    /// R16: the record's field, else the catalogue's, else "" (a `StringTable` index).
    @inline(__always)
    func fieldIndex(of dossier: PackedDossier) -> Int32 {
        dossier.field >= 0 ? dossier.field : fallbackFieldOf[Int(dossier.procedure)]
    }

    /// R23's order: (source name, dossier id).
    func ranksBefore(_ a: DossierNameCandidate, _ b: DossierNameCandidate) -> Bool {
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
            partial.unknownProcedures[procedure, default: 0] += 1
            let name = dossier.procedureName
            if name >= 0, !partial.isBlank(name, strings) {
                let candidate = DossierNameCandidate(
                    sourceRank: sourceRank[sourceIndex], dossier: index, name: dossier.procedureName)
                if let current = partial.dossierNames[procedure], !ranksBefore(candidate, current) {
                } else {
                    partial.dossierNames[procedure] = candidate
                }
            }
        }
        if dossier.agency < 0 {
            partial.missingAgency.append("\(source.name):\(table.id(at: index))")
        }
        guard let classification = classifier.classify(dossier, manyWaits: { table.waits(at: index) }),
              let received = dossier.received
        else { return }
        if classification.decidedWithoutDueDate {
            partial.noDueDate.append("\(source.name):\(table.id(at: index))")
        }

        let postal = dossier.channel == .postal || dossier.returnMethod == .postal
        let counters = ProgressCounters(classification, postal: postal, digitised: dossier.digitised)
        let agency = UInt64(UInt32(bitPattern: agencyIndex(of: dossier)))
        let field = fieldIndex(of: dossier)
        if classification.outcome == .resolvedLate || classification.outcome == .inProgressOverdue {
            let verdict = classifier.verdict(classification, end: dossier.end, effectiveDue: dossier.effectiveDue)
            partial.late[agency, default: []].append(LateCandidate(
                dossier: index, overdue: classification.outcome == .inProgressOverdue, daysLate: verdict.daysLate))
        }
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
        let date = LocalDate(daysSinceEpoch: receivedDay)
        partial.byMonth.add(UInt64(bitPattern: receivedDay - Int64(date.day - 1)), counters)
        if classification.isReceivedInPeriod {
            let digitisationApplies = digitisationStartDay[sourceIndex].map { receivedDay >= $0 } ?? false
            if digitisationApplies { partial.digitisationByAgency[agency, default: RatioCount()].add(dossier.digitised) }
            partial.scorecard.count(
                procedure: procedure, channel: dossier.channel, digitised: dossier.digitised, entry: entry,
                level: source.level, levelIndex: sourceLevel[sourceIndex], postal: postal,
                digitisationApplies: digitisationApplies)
        }
    }

    /// The merged counts with codes and names in place of table indexes. Each of `partial`'s
    /// maps is released once converted, so the two forms are never both whole in memory.
    func tally(of partial: consuming PartialAggregation) -> FigureTally {
        var partial = partial
        func string(_ key: UInt64) -> String { strings[Int(key)] }
        func byString(_ map: CounterMap) -> [String: ProgressCounters] {
            var result: [String: ProgressCounters] = [:]
            result.reserveCapacity(map.keys.count)
            for (key, counters) in zip(map.keys, map.values) { result[string(key)] = counters }
            return result
        }
        var tally = FigureTally()
        tally.province = partial.province
        for (key, counters) in zip(partial.byLevel.keys, partial.byLevel.values) {
            tally.byLevel[Level.allCases[Int(key)]] = counters
        }
        tally.byField = byString(partial.byField)
        partial.byField = CounterMap()
        tally.byAgency = byString(partial.byAgency)
        partial.byAgency = CounterMap()
        tally.byProcedure = byString(partial.byProcedure)
        partial.byProcedure = CounterMap()
        tally.byAgencyProcedure.reserveCapacity(partial.byAgencyProcedure.keys.count)
        for (key, counters) in zip(partial.byAgencyProcedure.keys, partial.byAgencyProcedure.values) {
            tally.byAgencyProcedure[AgencyProcedure(agency: string(key >> 32), procedure: string(key & 0xFFFF_FFFF))] =
                counters
        }
        partial.byAgencyProcedure = CounterMap()
        tally.byAgencyLevel.reserveCapacity(partial.byAgencyLevel.keys.count)
        for (key, counters) in zip(partial.byAgencyLevel.keys, partial.byAgencyLevel.values) {
            tally.byAgencyLevel[AgencyLevel(agency: string(key >> 2), level: Level.allCases[Int(key & 3)])] = counters
        }
        partial.byAgencyLevel = CounterMap()
        for (key, counters) in zip(partial.byMonth.keys, partial.byMonth.values) {
            tally.byMonth[LocalDate(daysSinceEpoch: Int64(bitPattern: key)).monthKey] = counters
        }
        partial.scorecard.fill(&tally, strings: strings)
        tally.digitisationByAgency.reserveCapacity(partial.digitisationByAgency.count)
        for (agency, count) in partial.digitisationByAgency { tally.digitisationByAgency[string(agency)] = count }
        partial.digitisationByAgency = [:]
        tally.noDueDate = partial.noDueDate.sorted()
        tally.missingAgency = partial.missingAgency.sorted()
        tally.unknownProcedures.reserveCapacity(partial.unknownProcedures.count)
        for (procedure, count) in partial.unknownProcedures { tally.unknownProcedures[strings[Int(procedure)]] = count }
        partial.unknownProcedures = [:]
        tally.lateByAgency.reserveCapacity(partial.late.count)
        for (agency, candidates) in partial.late {
            let worst = candidates.map { candidate in
                let dossier = table[candidate.dossier]
                return LateDossier(
                    source: settings.sources[dossier.source].name, dossierID: table.id(at: candidate.dossier),
                    procedure: strings[Int(dossier.procedure)], overdue: candidate.overdue, daysLate: candidate.daysLate)
            }
            tally.lateByAgency[string(agency)] = LateDossier.worst(worst)
        }
        for (procedure, candidate) in partial.dossierNames {
            tally.procedureNames[strings[Int(procedure)]] = NameCandidate(
                source: settings.sources[table[candidate.dossier].source].name,
                dossierID: table.id(at: candidate.dossier), name: strings[Int(candidate.name)])
        }
        return tally
    }
}
