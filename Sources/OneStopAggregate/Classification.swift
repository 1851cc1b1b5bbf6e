/// Where one in-scope dossier lands in the progress table (docs/contract.md §4.1): one intake column and
/// one outcome column, so every row's identity total = intake columns = outcome columns holds.
public struct Classification: Sendable, Hashable {
    /// The "received" side of the national form (R14).
    public enum Intake: Sendable, Hashable, CaseIterable {
        /// Received in the period through the online channel.
        case receivedOnline
        /// Received in the period in person or through the public postal service (R14).
        case receivedInPersonOrPost
        /// Received before the period and not resolved before it started (R9).
        case carriedOver
    }

    /// The "resolved / in progress" side of the national form (R10, R12, R13).
    public enum Outcome: Sendable, Hashable, CaseIterable {
        case resolvedEarly
        case resolvedOnTime
        case resolvedLate
        /// In progress at the end of the period, not past its due day.
        case inProgressWithin
        /// In progress at the end of the period, past its due day.
        case inProgressOverdue

        /// Early, on time or within deadline: the on-time rate's numerator (docs/contract.md §4.2).
        public var isOnTime: Bool {
            switch self {
            case .resolvedEarly, .resolvedOnTime, .inProgressWithin: true
            case .resolvedLate, .inProgressOverdue: false
            }
        }
    }

    public var intake: Intake
    public var outcome: Outcome
    /// The outcome was decided by R12's "no due date" step; the run lists such dossiers as warnings.
    public var decidedWithoutDueDate: Bool

    public init(intake: Intake, outcome: Outcome, decidedWithoutDueDate: Bool = false) {
        self.intake = intake
        self.outcome = outcome
        self.decidedWithoutDueDate = decidedWithoutDueDate
    }

    /// Received in the period (as opposed to carried over): counts in the ratios' denominators.
    public var isReceivedInPeriod: Bool { intake != .carriedOver }
}
