/// How a procedure is offered as an online public service.
public enum OnlineOffering: String, Sendable, CaseIterable, Hashable {
    case none
    case partial
    case full

    /// Partial or full: the procedure counts in the online coverage denominators.
    public var isOffered: Bool { self != .none }
}

/// One row of the procedure catalogue (docs/contract.md §2.2).
public struct CatalogueEntry: Sendable, Hashable {
    /// Trimmed, NFC, upper-cased.
    public var code: String
    public var name: String
    public var field: String
    public var level: Level
    public var online: OnlineOffering
    /// Offered through the public postal service (BCCI).
    public var postal: Bool

    public init(code: String, name: String, field: String, level: Level, online: OnlineOffering, postal: Bool) {
        self.code = code
        self.name = name
        self.field = field
        self.level = level
        self.online = online
        self.postal = postal
    }
}

/// The procedure catalogue, keyed by normalised code.
public struct Catalogue: Sendable {
    public private(set) var entries: [String: CatalogueEntry]

    public init(entries: [CatalogueEntry]) {
        var byCode: [String: CatalogueEntry] = [:]
        for entry in entries { byCode[entry.code] = entry }
        self.entries = byCode
    }

    public subscript(code: String) -> CatalogueEntry? { entries[code] }
}
