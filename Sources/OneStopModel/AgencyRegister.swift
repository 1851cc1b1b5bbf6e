/// One agency of the pipeline's agency register: a code the exports use, the name people know
/// it by, its level and the agency above it.
public struct AgencyEntry: Sendable, Hashable {
    /// Normalised like every code (trimmed, NFC, upper-cased).
    public var code: String
    public var name: String
    public var level: Level
    /// The code of the agency above it, if any.
    public var parent: String?

    public init(code: String, name: String, level: Level, parent: String? = nil) {
        self.code = code
        self.name = name
        self.level = level
        self.parent = parent
    }
}

/// The pipeline's agency register (`agencies: FILE.csv`), keyed by normalised code.
public struct AgencyRegister: Sendable {
    public private(set) var entries: [String: AgencyEntry]

    public init(entries: [AgencyEntry] = []) {
        var byCode: [String: AgencyEntry] = [:]
        for entry in entries { byCode[entry.code] = entry }
        self.entries = byCode
    }

    public subscript(code: String) -> AgencyEntry? { entries[code] }

    /// Names by code, for outputs.
    public var names: [String: String] { entries.mapValues(\.name) }
}
