/// Where a run keeps its figures' history (`output.history`, `--history`).
public enum HistoryLocation: Sendable, Hashable {
    /// `history.sqlite` in the folder that holds the output directory (the default).
    case besideOutput
    /// This SQLite file.
    case file(String)
    /// No history (`none`): no comparison with the period before either.
    case none

    /// The history file for a run publishing into `outputDirectory`; nil for `none`.
    func path(outputDirectory: String) -> String? {
        switch self {
        case .besideOutput:
            var directory = outputDirectory
            while directory.count > 1 && directory.hasSuffix("/") { directory.removeLast() }
            let parent = directory.lastIndex(of: "/").map { $0 == directory.startIndex ? "/" : String(directory[..<$0]) } ?? "."
            return (parent == "/" ? "" : parent) + "/history.sqlite"
        case .file(let path): return path
        case .none: return nil
        }
    }
}

/// The environment variable a pipeline's PostgreSQL sink takes its connection URL from
/// (`output.sinks.postgres`): a name, never the URL, so no password is written in the file.
public struct DatabaseURLVariable: Sendable, Hashable, CustomStringConvertible {
    /// The variable `--sink postgres` reads when the pipeline names none.
    public static let standard = DatabaseURLVariable(name: "ONESTOP_DATABASE_URL")!

    public let name: String

    /// Nil unless `name` is an environment variable name (letters, digits, `_`, not starting with a digit).
    public init?(name: String) {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first),
              name.unicodeScalars.allSatisfy({ $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) })
        else { return nil }
        self.name = name
    }

    public var description: String { name }
}
