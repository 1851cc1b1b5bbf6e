import Foundation

/// Interns the run's codes and names (procedure codes, agencies, fields, procedure names) as
/// `Int32` indexes, so a dossier holds four small integers instead of four strings. Equal
/// strings (Swift `==`) get the same index, so grouping by index groups exactly as grouping
/// by string did. Thread-safe: parsing workers intern concurrently (each through a local cache,
/// so the lock is taken only for values it has not seen yet).
public final class StringTable: @unchecked Sendable {
    // @unchecked: every access to the two stores below holds `lock`.
    private let lock = NSLock()
    private var indexes: [String: Int32] = [:]
    private var strings: [String] = []

    public init() {}

    /// The index of `text`, adding it when new.
    public func intern(_ text: String) -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        if let index = indexes[text] { return index }
        precondition(strings.count < Int(Int32.max), "too many distinct codes")
        let index = Int32(strings.count)
        strings.append(text)
        indexes[text] = index
        return index
    }

    /// The string at an index from `intern`.
    public subscript(index: Int32) -> String {
        lock.lock()
        defer { lock.unlock() }
        return strings[Int(index)]
    }

    /// Every string so far, by index: for readers that look many up at once.
    public func snapshot() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return strings
    }

    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return strings.count
    }
}
