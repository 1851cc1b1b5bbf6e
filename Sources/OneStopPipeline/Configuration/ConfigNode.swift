import Yams

/// A node of a YAML configuration file that remembers where it came from, so every error
/// names the file and line. Mappings are checked against their allowed keys: unknown keys are
/// errors, never silently ignored.
struct ConfigNode {
    let node: Node
    let file: String

    /// Parses a whole YAML document.
    static func load(yaml: String, file: String) throws(ConfigurationError) -> ConfigNode {
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw ConfigurationError(file: file, line: 1, message: "the file is empty")
            }
            return ConfigNode(node: node, file: file)
        } catch let error as ConfigurationError {
            throw error
        } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
            // Yams' own text quotes the whole file; the first duplicated key and its line suffice.
            throw ConfigurationError(
                file: file, line: context.mark.line,
                message: "key '\(duplicates.first ?? "")' appears twice in the same mapping; each key may appear once")
        } catch let error as YamlError {
            throw ConfigurationError(file: file, line: Self.line(of: error), message: "not valid YAML: \(error)")
        } catch {
            throw ConfigurationError(file: file, line: nil, message: "not valid YAML: \(error)")
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    var line: Int? { node.mark?.line }

    func error(_ message: String) -> ConfigurationError {
        ConfigurationError(file: file, line: line, message: message)
    }

    /// The mapping's entries, after checking every key is one of `allowed`.
    func mapping(_ what: String, allowed: [String]) throws(ConfigurationError) -> ConfigMapping {
        guard case .mapping(let mapping) = node else { throw error("\(what) must be a mapping of keys to values") }
        var entries: [(key: String, keyLine: Int?, value: ConfigNode)] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                throw ConfigNode(node: key, file: file).error("\(what): keys must be plain text")
            }
            if !allowed.isEmpty, !allowed.contains(scalar.string) {
                throw ConfigNode(node: key, file: file).error(
                    "unknown key '\(scalar.string)' in \(what); allowed: \(allowed.joined(separator: ", "))")
            }
            if entries.contains(where: { $0.key == scalar.string }) {
                throw ConfigNode(node: key, file: file).error("key '\(scalar.string)' appears twice in \(what)")
            }
            entries.append((scalar.string, key.mark?.line, ConfigNode(node: value, file: file)))
        }
        return ConfigMapping(owner: self, what: what, entries: entries)
    }

    /// A scalar as text.
    func string(_ what: String) throws(ConfigurationError) -> String {
        guard case .scalar(let scalar) = node else { throw error("\(what) must be a single value") }
        return scalar.string
    }

    /// A scalar from a fixed set of values.
    func choice<T>(_ what: String, from values: [(String, T)]) throws(ConfigurationError) -> T {
        let text = try string(what)
        guard let match = values.first(where: { $0.0 == text }) else {
            throw error("\(what) is '\(text)'; allowed: \(values.map(\.0).joined(separator: ", "))")
        }
        return match.1
    }

    func bool(_ what: String) throws(ConfigurationError) -> Bool {
        try choice(what, from: [("true", true), ("false", false), ("yes", true), ("no", false)])
    }

    /// A list of scalars; a single scalar counts as a list of one.
    func strings(_ what: String) throws(ConfigurationError) -> [String] {
        switch node {
        case .scalar(let scalar): return [scalar.string]
        case .sequence(let sequence):
            var result: [String] = []
            for item in sequence { result.append(try ConfigNode(node: item, file: file).string("each entry of \(what)")) }
            return result
        default: throw error("\(what) must be a value or a list of values")
        }
    }

    func sequence(_ what: String) throws(ConfigurationError) -> [ConfigNode] {
        guard case .sequence(let sequence) = node else { throw error("\(what) must be a list") }
        return sequence.map { ConfigNode(node: $0, file: file) }
    }
}

/// The checked entries of a configuration mapping.
struct ConfigMapping {
    let owner: ConfigNode
    let what: String
    let entries: [(key: String, keyLine: Int?, value: ConfigNode)]

    subscript(key: String) -> ConfigNode? {
        entries.first(where: { $0.key == key })?.value
    }

    func required(_ key: String) throws(ConfigurationError) -> ConfigNode {
        guard let value = self[key] else { throw owner.error("\(what) needs the key '\(key)'") }
        return value
    }
}
