import OneStopModel

/// What the figures make of one kept dossier: its place in the progress table (or out of
/// scope) and, for a late or overdue one, by how many local calendar days.
public struct DossierVerdict: Sendable, Hashable {
    /// Nil when the dossier is out of scope of the period.
    public var classification: Classification?
    /// Local calendar days from the effective due day to the end day (resolved late) or to the
    /// period's last day (in progress overdue), at least 0; nil when not late or overdue, or when
    /// late without a due date (more than one supplement request, R12).
    public var daysLate: Int?

    /// `scope` of `dossiers.csv`: `period`, `carried` or empty.
    public var scope: String {
        guard let classification else { return "" }
        return classification.isReceivedInPeriod ? "period" : "carried"
    }

    /// `class` of `dossiers.csv`.
    public var className: String {
        switch classification?.outcome {
        case nil: "out_of_scope"
        case .resolvedEarly?: "resolved_early"
        case .resolvedOnTime?: "resolved_on_time"
        case .resolvedLate?: "resolved_late"
        case .inProgressWithin?: "in_progress_within"
        case .inProgressOverdue?: "in_progress_overdue"
        }
    }
}

extension Classifier {
    /// The verdict on a classified dossier: `end` its end instant, `effectiveDue` R11's due date.
    func verdict(_ classification: Classification?, end: Instant?, effectiveDue: Instant?) -> DossierVerdict {
        guard let classification else { return DossierVerdict(classification: nil, daysLate: nil) }
        let lateDay: Int64?
        switch classification.outcome {
        case .resolvedLate: lateDay = end.map { clock.localDay(of: $0) }
        case .inProgressOverdue: lateDay = period.to.daysSinceEpoch
        case .resolvedEarly, .resolvedOnTime, .inProgressWithin: lateDay = nil
        }
        guard let lateDay, let due = effectiveDue else { return DossierVerdict(classification: classification, daysLate: nil) }
        return DossierVerdict(
            classification: classification, daysLate: Int(max(0, lateDay - clock.localDay(of: due))))
    }
}
