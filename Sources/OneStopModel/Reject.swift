/// Why a record was kept out of every figure (docs/contract.md §3.1).
public enum RejectReason: Sendable, Hashable, CustomStringConvertible {
    case missingDossierID
    case missingProcedureCode
    case missingStatus
    case missingReceivedDate
    case unparseableDate(String)
    /// A date before 1990-01-01 local (R24): systems write 0001-01-01 for "no date".
    case implausibleDate(String)
    case unmappedCode(String)
    case dueBeforeReceived
    case resolvedWithoutEnd
    case missingSupplementRequestDate
    /// A dossier id, code or procedure name longer than its bound: `bytes` of UTF-8 once
    /// normalised, at most `limit`.
    case valueTooLong(bytes: Int, limit: Int)

    /// The reason as written in `rejects.csv` and `summary.json`.
    public var description: String {
        switch self {
        case .missingDossierID: "missing dossier id"
        case .missingProcedureCode: "missing procedure code"
        case .missingStatus: "missing status"
        case .missingReceivedDate: "accepted dossier without received date"
        case .unparseableDate(let value): "unparseable date: '\(value)'"
        // Exactly as the rule names it (R24): every such reject counts under one reason; the
        // file, line and field find the value.
        case .implausibleDate: "implausible date"
        case .unmappedCode(let value): "code not in dialect map: '\(value)'"
        case .dueBeforeReceived: "due date before received date"
        case .resolvedWithoutEnd: "resolved status without end instant"
        case .missingSupplementRequestDate: "supplement request without request date"
        case .valueTooLong(let bytes, let limit): "value too long: \(bytes) bytes, at most \(limit)"
        }
    }
}

/// A rejected record, as listed in `rejects.csv`.
public struct Reject: Sendable, Hashable {
    /// The export file, as the run names it (relative to the inputs' common root where possible).
    public var file: String
    /// Line of the record's start tag.
    public var line: Int
    public var dossierID: String?
    /// The field as the source system names it (e.g. `NgayHenTra`).
    public var field: String
    public var reason: RejectReason

    public init(file: String, line: Int, dossierID: String?, field: String, reason: RejectReason) {
        self.file = file
        self.line = line
        self.dossierID = dossierID
        self.field = field
        self.reason = reason
    }
}
