/// The ten dossier statuses of the national reporting form (docs/contract.md §2.1), numbered as in `dvcqg`.
public enum Status: Int, Sendable, CaseIterable, Hashable {
    case submitted = 1
    case accepted = 2
    case refused = 3
    case processing = 4
    case supplementRequested = 5
    case feeRequested = 6
    case withdrawn = 7
    case stopped = 8
    case finished = 9
    case returned = 10

    /// Accepted at intake: every status except "submitted, not yet accepted" (1) and "refused" (3).
    public var isAccepted: Bool { self != .submitted && self != .refused }

    /// Withdrawn, stopped, finished or returned (7–10).
    public var isResolved: Bool { rawValue >= 7 }

    /// Names accepted in dialect value maps besides the numbers 1–10.
    public var canonicalName: String {
        switch self {
        case .submitted: "submitted"
        case .accepted: "accepted"
        case .refused: "refused"
        case .processing: "processing"
        case .supplementRequested: "supplement_requested"
        case .feeRequested: "fee_requested"
        case .withdrawn: "withdrawn"
        case .stopped: "stopped"
        case .finished: "finished"
        case .returned: "returned"
        }
    }

    /// Reads a canonical status as written in a dialect file: `1`…`10` or a canonical name.
    public init?(canonical text: String) {
        if let number = Int(text), let status = Status(rawValue: number) {
            self = status
        } else if let status = Status.allCases.first(where: { $0.canonicalName == text }) {
            self = status
        } else {
            return nil
        }
    }
}
