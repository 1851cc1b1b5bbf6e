import OneStopEmit
import OneStopModel

/// The run's records accounted for (R7), and the winners of deduplication to count.
struct AccountedRun: @unchecked Sendable {
    // @unchecked: `winners` is complete and only read from here on.
    var accounting: RunAccounting
    /// In `rejects.csv`'s order.
    var rejects: [Reject]
    /// The latest valid version of every (source, dossier id), accepted or not.
    var winners: DossierTable
    var exportTimeFromModificationTime: [String]
}

/// The account stage: what was read → records read = rejected + superseded + not accepted + kept
/// (R7), checked; a run whose accounting does not balance stops with an internal error.
enum AccountStage {
    static func account(_ outcome: ReadOutcome) throws(RunError) -> AccountedRun {
        var accounting = RunAccounting()
        accounting.files = outcome.reports.sorted { ($0.path, $0.source) < ($1.path, $1.source) }
        accounting.recordsRead = outcome.recordsRead
        let rejects = outcome.rejects.sorted(by: Reject.ordered)
        accounting.rejected = rejects.count
        for reject in rejects { accounting.rejectedByReason[reject.reason.description, default: 0] += 1 }
        let winners = outcome.store.winners
        accounting.superseded = outcome.store.superseded
        var kept = 0
        for index in 0..<winners.count where winners[index].status.isAccepted { kept += 1 }
        accounting.notAccepted = winners.count - kept
        accounting.kept = kept
        guard accounting.balances else {
            throw .internalInconsistency(
                "records read \(accounting.recordsRead) ≠ rejected \(accounting.rejected) + superseded \(accounting.superseded) + not accepted \(accounting.notAccepted) + kept \(accounting.kept)")
        }
        return AccountedRun(
            accounting: accounting, rejects: rejects, winners: winners,
            exportTimeFromModificationTime: outcome.exportTimeFromModificationTime.sorted())
    }
}
