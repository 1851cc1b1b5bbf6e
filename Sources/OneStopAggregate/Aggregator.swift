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
    Aggregator(settings: settings).aggregate(dossiers)
}

/// The per-dossier counting and the final assembly behind `aggregate(_:settings:)`.
struct Aggregator: Sendable {
    let settings: AggregationSettings
    let classifier: Classifier
    /// Per level, the first local day (days since epoch) whose dossiers count for digitisation (R20).
    let digitisationStartDay: [Level: Int64]

    init(settings: AggregationSettings) {
        self.settings = settings
        classifier = Classifier(period: settings.period, clock: settings.clock, rules: settings.rules)
        digitisationStartDay = settings.targets.digitisationEffective.mapValues(\.daysSinceEpoch)
    }

    func aggregate(_ dossiers: [Dossier]) -> Aggregation {
        let chunks = max(1, min(settings.jobs, dossiers.count))
        let partials = concurrentMapChunks(count: dossiers.count, chunks: chunks) { range in
            var partial = PartialAggregation()
            for index in range { count(dossiers[index], into: &partial) }
            return partial
        }
        var merged = PartialAggregation()
        for partial in partials { merged.merge(partial) }
        return assemble(merged)
    }

    func count(_ dossier: Dossier, into partial: inout PartialAggregation) {
        let source = settings.sources[dossier.source]
        let entry = settings.catalogue[dossier.procedure]
        if entry == nil {
            partial.warnings.append(RunWarning(kind: .unknownProcedure, subject: dossier.procedure))
            if let name = dossier.procedureName?.trimmingWhitespace(), !name.isEmpty {
                partial.offerName(
                    NameCandidate(sourceName: source.name, dossierID: dossier.id, name: name),
                    for: dossier.procedure)
            }
        }
        if dossier.agency == nil {
            partial.warnings.append(RunWarning(kind: .missingAgency, subject: "\(source.name):\(dossier.id)"))
        }
        guard let classification = classifier.classify(dossier), let received = dossier.received else { return }
        if classification.decidedWithoutDueDate {
            partial.warnings.append(RunWarning(kind: .noDueDate, subject: "\(source.name):\(dossier.id)"))
        }

        let postal = dossier.channel == .postal || dossier.returnMethod == .postal
        let counters = ProgressCounters(classification, postal: postal, digitised: dossier.digitised)
        let agency = dossier.agency ?? source.name
        partial.province += counters
        partial.byLevel[source.level, default: ProgressCounters()] += counters
        partial.byField[dossier.field ?? entry?.field ?? "", default: ProgressCounters()] += counters
        partial.byAgency[agency, default: ProgressCounters()] += counters
        partial.byProcedure[dossier.procedure, default: ProgressCounters()] += counters
        partial.byAgencyProcedure[
            AgencyProcedure(agency: agency, procedure: dossier.procedure), default: ProgressCounters()] += counters
        partial.byAgencyLevel[AgencyLevel(agency: agency, level: source.level), default: ProgressCounters()] +=
            counters
        let receivedDay = settings.clock.localDay(of: received)
        if settings.monthly {
            partial.byMonth[LocalDate(daysSinceEpoch: receivedDay).monthKey, default: ProgressCounters()] += counters
        }
        if classification.isReceivedInPeriod {
            let digitisationApplies = digitisationStartDay[source.level].map { receivedDay >= $0 } ?? false
            partial.scorecard.count(
                dossier, entry: entry, level: source.level, postal: postal, digitisationApplies: digitisationApplies)
        }
    }

    func assemble(_ merged: PartialAggregation) -> Aggregation {
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

        let scorecard = merged.scorecard.scorecard(
            catalogue: settings.catalogue, targets: settings.targets, province: merged.province,
            levels: merged.byLevel)
        return Aggregation(
            progress: progress, procedures: procedures, agencies: agencies, monthly: monthly, scorecard: scorecard,
            warnings: merged.warnings.sorted(), identityFailures: identityFailures)
    }

    /// R23: the catalogue's name, else the best-ranked dossier name (NFC, trimmed), else empty.
    private func procedureName(_ procedure: String, names: [String: NameCandidate]) -> String {
        if let entry = settings.catalogue[procedure] { return entry.name }
        return names[procedure]?.name.precomposedStringWithCanonicalMapping ?? ""
    }
}
