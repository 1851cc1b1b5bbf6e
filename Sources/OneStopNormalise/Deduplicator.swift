import OneStopModel

/// Where a version of a dossier comes from, ordering versions latest-last (R6):
/// export timestamp, then file path, then position in the file.
public struct VersionOrder: Sendable, Hashable, Comparable {
    public var exportTime: Instant
    public var path: String
    public var position: Int

    public init(exportTime: Instant, path: String, position: Int) {
        self.exportTime = exportTime
        self.path = path
        self.position = position
    }

    public static func < (lhs: VersionOrder, rhs: VersionOrder) -> Bool {
        (lhs.exportTime, lhs.path, lhs.position) < (rhs.exportTime, rhs.path, rhs.position)
    }
}

/// Keeps the latest valid version of each (source, dossier id) (docs/contract.md §3.1, R5–R7).
///
/// Versions may be offered in any order (files finish parsing in any order): the winner is
/// decided by `VersionOrder` alone, so the result never depends on scheduling.
public struct Deduplicator: Sendable {
    private struct Key: Hashable {
        var source: Int
        var id: String
    }

    private var latest: [Key: (order: VersionOrder, dossier: Dossier)] = [:]
    /// Valid versions that lost to a later one.
    public private(set) var superseded = 0

    public init() {}

    /// Offers a valid (not rejected) version.
    public mutating func offer(_ dossier: Dossier, order: VersionOrder) {
        let key = Key(source: dossier.source, id: dossier.id)
        superseded += 1
        if let current = latest[key], current.order > order { return }
        if latest[key] == nil { superseded -= 1 }
        latest[key] = (order, dossier)
    }

    /// Number of distinct dossiers seen.
    public var count: Int { latest.count }

    /// The winning versions, sorted by source then dossier id.
    public func winners() -> [Dossier] {
        latest.values.map(\.dossier).sorted { ($0.source, $0.id) < ($1.source, $1.id) }
    }
}
