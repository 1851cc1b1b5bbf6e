import Crypto
import Foundation

/// A SHA-256 over a canonical description of everything that decides a run's figures: each part
/// is a labelled list of values, file contents enter as their own SHA-256. Two configurations
/// with equal fingerprints count the same dossiers the same way.
public struct ConfigurationFingerprint: Sendable, Hashable {
    private var text = "onestop-configuration 1\n"

    public init() {}

    mutating func add(_ label: String, _ value: String) {
        add(label, [value])
    }

    mutating func add(_ label: String, _ values: [String]) {
        // Lengths first, so no choice of values can make two descriptions read alike.
        text += "\(label.utf8.count):\(label)"
        for value in values { text += " \(value.utf8.count):\(value)" }
        text += "\n"
    }

    /// Adds a file's SHA-256 (or that it cannot be read, which the loader reports on its own).
    mutating func add(_ label: String, contentsOf path: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            add(label, "unreadable")
            return
        }
        add(label, SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined())
    }

    /// Lower-case hex SHA-256 of the description.
    public var digest: String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

enum FileSystemCheck {
    static func isRegularFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
