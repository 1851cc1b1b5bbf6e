import OneStopModel

/// A dialect compiled into a trie of element local names, rooted above the document element.
/// Record fields, group fields and the export time all hang off the same trie, so one lookup
/// per start tag decides everything; an element with no trie child is skipped with its subtree.
struct DialectMatcher: Sendable {
    /// Where a captured value goes.
    enum Target: Sendable, Hashable {
        case exportTime
        case field(CanonicalField)
        case supplement(SupplementField)
        case attachment(AttachmentField)
    }

    struct AttributeCapture: Sendable {
        /// Index into `names`.
        var name: Int
        var targets: [Target]
    }

    struct Node: Sendable {
        /// Index into `names`; -1 for the document node.
        var name: Int
        var children: [Int] = []
        /// Targets that receive this element's own text.
        var textTargets: [Target] = []
        var attributes: [AttributeCapture] = []
        var isRecord = false
        var isSupplement = false
        var isAttachment = false
    }

    /// Distinct local names the dialect mentions; interned into each parser's dictionary.
    private(set) var names: [String] = []
    /// `nodes[0]` is the document node; its only child is the root element.
    private(set) var nodes: [Node] = [Node(name: -1)]
    /// Local name of the root element the dialect expects.
    let rootName: String
    /// Longest chain of trie nodes, document node included: the most frames a parse can hold.
    private(set) var depth = 1

    init(dialect: Dialect) {
        let recordPath = dialect.recordPath.map(Self.localName)
        rootName = recordPath.first ?? ""

        let record = node(at: recordPath)
        nodes[record].isRecord = true

        if let exportTime = dialect.exportTime {
            // A bare `@attr` can only mean an attribute of the root element. A path under
            // another root can never match, and must not make that root acceptable.
            let path = exportTime.elements.isEmpty ? [rootName] : exportTime.elements.map(Self.localName)
            if path.first == rootName {
                add(.exportTime, at: FieldPath(elements: path, attribute: exportTime.attribute), below: 0)
            }
        }
        // Sorted so that the compiled tables do not depend on dictionary order.
        for (field, path) in dialect.fields.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            add(.field(field), at: path, below: record)
        }
        if let group = dialect.supplements {
            let groupNode = node(at: group.path.map(Self.localName), below: record)
            nodes[groupNode].isSupplement = true
            for (field, path) in group.fields.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                add(.supplement(field), at: path, below: groupNode)
            }
        }
        if let group = dialect.attachments {
            let groupNode = node(at: group.path.map(Self.localName), below: record)
            nodes[groupNode].isAttachment = true
            for (field, path) in group.fields.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                add(.attachment(field), at: path, below: groupNode)
            }
        }
        depth = chainLength(from: 0)
    }

    private func chainLength(from node: Int) -> Int {
        1 + (nodes[node].children.map { chainLength(from: $0) }.max() ?? 0)
    }

    /// Dialects may write `ns:Name`; matching is on local names only.
    static func localName(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    private mutating func add(_ target: Target, at path: FieldPath, below start: Int) {
        let element = node(at: path.elements.map(Self.localName), below: start)
        if let attribute = path.attribute {
            let name = intern(Self.localName(attribute))
            if let existing = nodes[element].attributes.firstIndex(where: { $0.name == name }) {
                nodes[element].attributes[existing].targets.append(target)
            } else {
                nodes[element].attributes.append(AttributeCapture(name: name, targets: [target]))
            }
        } else {
            nodes[element].textTargets.append(target)
        }
    }

    /// The node reached by `path` from `start`, creating missing steps.
    private mutating func node(at path: [String], below start: Int = 0) -> Int {
        var current = start
        for step in path {
            let name = intern(step)
            if let child = nodes[current].children.first(where: { nodes[$0].name == name }) {
                current = child
            } else {
                nodes.append(Node(name: name))
                nodes[current].children.append(nodes.count - 1)
                current = nodes.count - 1
            }
        }
        return current
    }

    private mutating func intern(_ name: String) -> Int {
        if let index = names.firstIndex(of: name) { return index }
        names.append(name)
        return names.count - 1
    }
}
