/// How a dossier was submitted.
public enum Channel: UInt8, Sendable, CaseIterable, Hashable {
    case inPerson
    case online
    case postal

    /// The name used in dialect value maps.
    public var canonicalName: String {
        switch self {
        case .inPerson: "in_person"
        case .online: "online"
        case .postal: "postal"
        }
    }

    public init?(canonical text: String) {
        guard let channel = Channel.allCases.first(where: { $0.canonicalName == text }) else { return nil }
        self = channel
    }
}

/// How the result is returned to the applicant.
public enum ReturnMethod: UInt8, Sendable, CaseIterable, Hashable {
    case inPerson
    case postal
    case unknown

    /// The name used in dialect value maps.
    public var canonicalName: String {
        switch self {
        case .inPerson: "in_person"
        case .postal: "postal"
        case .unknown: "unknown"
        }
    }

    public init?(canonical text: String) {
        guard let method = ReturnMethod.allCases.first(where: { $0.canonicalName == text }) else { return nil }
        self = method
    }
}
