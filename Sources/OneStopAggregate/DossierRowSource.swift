import OneStopModel

/// The rows of `dossiers.csv` from the winners of deduplication: one per kept dossier (accepted,
/// in scope or not), in (source, dossier id) order, each computed when visited — a run holds
/// only the order (4 bytes a dossier), never the rows.
///
/// Columns (`docs/figures.md`): source, dossier id, agency (as the figures count it, R16),
/// level, procedure, field (R16), channel, return method, status (canonical names), received,
/// due, effective due (R11) and ended (ISO 8601 with the offset, empty when none), supplement
/// requests, digitised and postal (1 or 0), scope (`period`, `carried` or empty), class and days
/// late (`DossierVerdict`).
public struct DossierRowSource: Sendable {
    private let aggregator: Aggregator
    private let order: [Int32]

    public init(table: DossierTable, settings: AggregationSettings) {
        aggregator = Aggregator(settings: settings, table: table, countsNotAccepted: false)
        var order: [Int32] = []
        for index in 0..<table.count where table[index].status.isAccepted { order.append(Int32(index)) }
        let rank = aggregator.sourceRank
        order.sort { lhs, rhs in
            let left = table[Int(lhs)].source
            let right = table[Int(rhs)].source
            if left != right { return rank[left] < rank[right] }
            return table.withID(at: Int(lhs)) { a in table.withID(at: Int(rhs)) { b in a.lexicographicallyPrecedes(b) } }
        }
        self.order = order
    }

    /// Number of rows.
    public var count: Int { order.count }

    /// Calls `body` with every row's fields, in order.
    public func forEach<Failure: Error>(_ body: ([String]) throws(Failure) -> Void) throws(Failure) {
        for index in order { try body(fields(Int(index))) }
    }

    private func fields(_ index: Int) -> [String] {
        let table = aggregator.table
        let settings = aggregator.settings
        let strings = aggregator.strings
        let clock = settings.clock
        let dossier = table[index]
        let source = settings.sources[dossier.source]
        let classification = aggregator.classifier.classify(dossier, manyWaits: { table.waits(at: index) })
        let verdict = aggregator.classifier.verdict(classification, end: dossier.end, effectiveDue: dossier.effectiveDue)
        func date(_ instant: Instant?) -> String { instant.map(clock.iso8601) ?? "" }
        func flag(_ value: Bool) -> String { value ? "1" : "0" }
        return [
            source.name, table.id(at: index), strings[Int(aggregator.agencyIndex(of: dossier))], source.level.rawValue,
            strings[Int(dossier.procedure)], strings[Int(aggregator.fieldIndex(of: dossier))],
            dossier.channel.canonicalName, dossier.returnMethod.canonicalName, dossier.status.canonicalName,
            date(dossier.received), date(dossier.due), date(dossier.effectiveDue), date(dossier.end),
            String(dossier.supplementCount), flag(dossier.digitised),
            flag(dossier.channel == .postal || dossier.returnMethod == .postal), verdict.scope, verdict.className,
            verdict.daysLate.map(String.init) ?? "",
        ]
    }
}
