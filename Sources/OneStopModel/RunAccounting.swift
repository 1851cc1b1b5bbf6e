/// What happened to one input file (SPEC §5 `accounting.files`).
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

/// Something a statistics officer should look at, though no record was lost.
public struct RunWarning: Sendable, Hashable, Comparable {
    public enum Kind: String, Sendable, CaseIterable, Comparable {
        /// An in-scope dossier without a due date: counted on time (R12).
        case noDueDate = "no_due_date"
        /// A kept dossier whose procedure is not in the catalogue (SPEC §2.2).
        case unknownProcedure = "unknown_procedure"
        /// A kept dossier without an agency: counted under its source's name (R16).
        case missingAgency = "missing_agency"
        /// A file without a usable export timestamp: its modification time orders its versions (R6).
        case exportTimeFromModificationTime = "export_time_from_mtime"

        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var kind: Kind
    /// What it is about: `source:dossier id`, a procedure code, or a file path.
    public var subject: String

    public init(kind: Kind, subject: String) {
        self.kind = kind
        self.subject = subject
    }

    public static func < (lhs: RunWarning, rhs: RunWarning) -> Bool {
        (lhs.kind, lhs.subject) < (rhs.kind, rhs.subject)
    }
}
