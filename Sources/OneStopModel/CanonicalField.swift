/// A field of the canonical dossier record (docs/contract.md §3) that a dialect maps from its XML.
public enum CanonicalField: Int, Sendable, CaseIterable, Hashable {
    case dossierID
    case procedureCode
    case procedureName
    case field
    case agency
    case channel
    case returnMethod
    case status
    case received
    case due
    case finished
    case returned
    case digitised

    /// The key that names this field in a dialect file.
    public var key: String {
        switch self {
        case .dossierID: "dossierId"
        case .procedureCode: "procedureCode"
        case .procedureName: "procedureName"
        case .field: "field"
        case .agency: "agency"
        case .channel: "channel"
        case .returnMethod: "returnMethod"
        case .status: "status"
        case .received: "received"
        case .due: "due"
        case .finished: "finished"
        case .returned: "returned"
        case .digitised: "digitised"
        }
    }

    public init?(key: String) {
        guard let field = CanonicalField.allCases.first(where: { $0.key == key }) else { return nil }
        self = field
    }
}

/// A field of one supplement request inside a dossier.
public enum SupplementField: Int, Sendable, CaseIterable, Hashable {
    /// When the agency asked the applicant for more documents.
    case requested
    /// When the applicant answered; absent while the request is open.
    case answered
    /// The new appointment date the agency set with this request, if any.
    case newDue

    public var key: String {
        switch self {
        case .requested: "requested"
        case .answered: "answered"
        case .newDue: "newDue"
        }
    }

    public init?(key: String) {
        guard let field = SupplementField.allCases.first(where: { $0.key == key }) else { return nil }
        self = field
    }
}

/// A field of one attachment inside a dossier.
public enum AttachmentField: Int, Sendable, CaseIterable, Hashable {
    /// The attachment was digitised (a flag, mapped like `digitised`).
    case digitised

    public var key: String { "digitised" }

    public init?(key: String) {
        guard key == "digitised" else { return nil }
        self = .digitised
    }
}
