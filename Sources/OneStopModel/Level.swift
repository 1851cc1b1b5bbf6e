/// The administrative level of a one-stop-shop system or of a catalogue procedure.
public enum Level: String, Sendable, CaseIterable, Hashable, Comparable {
    case province
    case district
    case commune

    /// Province first, then district, then commune.
    public static func < (lhs: Level, rhs: Level) -> Bool {
        lhs.order < rhs.order
    }

    private var order: Int {
        switch self {
        case .province: 0
        case .district: 1
        case .commune: 2
        }
    }
}
