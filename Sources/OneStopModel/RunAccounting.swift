/// What happened to one input file (docs/contract.md §5 `accounting.files`).
public struct FileReport: Sendable, Hashable {
    public enum Status: String, Sendable {
        case ok
        case failed
    }

    /// The path as the run names it.
    public var path: String
    public var source: String
    /// Size on disk (compressed size for `.gz`).
    public var bytes: Int64
    /// SHA-256 of the bytes on disk, lower-case hex.
    public var sha256: String
    public var status: Status
    /// For a failed file: the parser's message.
    public var error: String?
    /// For a failed file: the line the parser stopped at.
    public var line: Int?
    /// The export timestamp used to order versions, ISO 8601 with offset.
    public var exportTime: String?
    /// Records read from it (0 for a failed file).
    public var records: Int
    /// Records of it that were rejected.
    public var rejected: Int

    public init(
        path: String, source: String, bytes: Int64, sha256: String, status: Status, error: String? = nil,
        line: Int? = nil, exportTime: String? = nil, records: Int = 0, rejected: Int = 0
    ) {
        self.path = path
        self.source = source
        self.bytes = bytes
        self.sha256 = sha256
        self.status = status
        self.error = error
        self.line = line
        self.exportTime = exportTime
        self.records = records
        self.rejected = rejected
    }
}

/// The run's record accounting (R7): records read = rejected + superseded + not accepted + kept.
public struct RunAccounting: Sendable, Hashable {
    public var recordsRead: Int
    public var rejected: Int
    public var rejectedByReason: [String: Int]
    public var superseded: Int
    public var notAccepted: Int
    public var kept: Int
    public var files: [FileReport]

    public init(
        recordsRead: Int = 0, rejected: Int = 0, rejectedByReason: [String: Int] = [:], superseded: Int = 0,
        notAccepted: Int = 0, kept: Int = 0, files: [FileReport] = []
    ) {
        self.recordsRead = recordsRead
        self.rejected = rejected
        self.rejectedByReason = rejectedByReason
        self.superseded = superseded
        self.notAccepted = notAccepted
        self.kept = kept
        self.files = files
    }

    /// Whether the identity of R7 holds.
    public var balances: Bool { recordsRead == rejected + superseded + notAccepted + kept }
}

/// What a statistics officer should look at though no record was lost, gathered in one place
/// (`summary.json` → `warnings`, the report's warnings section). Every list is sorted.
public struct RunWarnings: Sendable, Hashable {
    /// `source:dossier id` of in-scope dossiers counted on time without a due date (R12).
    public var noDueDate: [String]
    /// Kept dossiers per procedure code that is not in the catalogue (docs/contract.md §2.2).
    public var unknownProcedures: [String: Int]
    /// `source:dossier id` of kept dossiers without an agency, counted under their source (R16).
    public var missingAgency: [String]
    /// Files without a usable export timestamp, ordered by their modification time (R6).
    public var exportTimeFromModificationTime: [String]
    /// Agency codes in the figures that the pipeline's agency register does not list (empty
    /// without a register).
    public var unregisteredAgencies: [String]
    /// The period has no in-scope dossier at all.
    public var emptyPeriod: Bool

    public init(
        noDueDate: [String] = [], unknownProcedures: [String: Int] = [:], missingAgency: [String] = [],
        exportTimeFromModificationTime: [String] = [], unregisteredAgencies: [String] = [], emptyPeriod: Bool = false
    ) {
        self.noDueDate = noDueDate
        self.unknownProcedures = unknownProcedures
        self.missingAgency = missingAgency
        self.exportTimeFromModificationTime = exportTimeFromModificationTime
        self.unregisteredAgencies = unregisteredAgencies
        self.emptyPeriod = emptyPeriod
    }

    /// Whether there is nothing to warn about.
    public var isEmpty: Bool { self == RunWarnings() }

    /// The kinds of warning a report lists, with how many things each concerns.
    public enum Kind: String, Sendable, CaseIterable, Hashable {
        case noDueDate = "no_due_date"
        case unknownProcedure = "unknown_procedure"
        case missingAgency = "missing_agency"
        case exportTimeFromModificationTime = "export_time_from_mtime"
        case unregisteredAgency = "unregistered_agency"
    }

    /// How many dossiers (files, agencies) a kind of warning concerns.
    public func count(of kind: Kind) -> Int {
        switch kind {
        case .noDueDate: noDueDate.count
        case .unknownProcedure: unknownProcedures.values.reduce(0, +)
        case .missingAgency: missingAgency.count
        case .exportTimeFromModificationTime: exportTimeFromModificationTime.count
        case .unregisteredAgency: unregisteredAgencies.count
        }
    }
}
