import OneStopModel

/// Where a value written into a record comes from.
enum Slot: Sendable, Hashable {
    /// A canonical field of the record.
    case field(CanonicalField)
    /// Unmapped content the generator adds for realism (personal data, a summary); see `ExtraField`.
    case extra(ExtraField)
    /// A field of one supplement request.
    case supplement(SupplementField)
    /// A field of one attachment.
    case attachment(AttachmentField)
}

/// The repeated child groups of a record.
enum GroupKind: Sendable, Hashable {
    case supplements
    case attachments
}

/// Content that exports carry but no dialect maps: personal data and a free-text summary. It is
/// written so that a parse costs what it costs on real exports (docs/contract.md §2.1: personal data is
/// never collected, so it must be skipped fast).
enum ExtraField: Int, Sendable, CaseIterable {
    case applicant, idNumber, phone, email, address, summary

    /// Element names, as systems syncing to DVCQG write them (shared/reference/DOMAIN.md).
    var elementName: String {
        switch self {
        case .applicant: "ChuHoSo"
        case .idNumber: "SoGiayToChuHoSo"
        case .phone: "SoDienThoai"
        case .email: "Email"
        case .address: "DiaChiChuHoSo"
        case .summary: "TrichYeuHoSo"
        }
    }
}

/// One element of a record, compiled from the dialect's paths: its attributes and text come
/// from slots, its children follow in a fixed order, and a `repeated` element is written once
/// per entry of its group.
struct TemplateElement: Sendable {
    var name: [UInt8]
    var attributes: [(name: [UInt8], slot: Slot)] = []
    var textSlot: Slot?
    var children: [TemplateElement] = []
    var repeated: GroupKind?

    init(name: String) {
        self.name = Array(name.utf8)
    }
}

/// The shape of an export document in one dialect (docs/contract.md §2.1, README "Dialect files"): the
/// elements from the root down to the record, where the export timestamp sits, and the record
/// element with every mapped field, group and the unmapped extras.
struct RecordTemplate: Sendable {
    /// From the root element down to the record's parent.
    let containers: [[UInt8]]
    /// The export timestamp: an attribute of `containers[attributeLevel]`, or a header
    /// element subtree written as the first child of `containers[headerLevel]`.
    let exportTimeAttribute: (level: Int, name: [UInt8])?
    let exportTimeHeader: (level: Int, element: TemplateElement)?
    let record: TemplateElement

    init(dialect: Dialect) throws(GenerationError) {
        let recordPath = dialect.recordPath.map(RecordTemplate.localName)
        guard let recordName = recordPath.last else { throw .unsupportedDialect("the record path is empty") }
        guard recordPath.count >= 2 else {
            throw .unsupportedDialect("the record element '\(recordName)' is the root: a file could hold one record only")
        }
        containers = recordPath.dropLast().map { Array($0.utf8) }

        var attribute: (level: Int, name: [UInt8])?
        var header: (level: Int, element: TemplateElement)?
        if let exportTime = dialect.exportTime {
            let path = exportTime.elements.isEmpty ? [recordPath[0]] : exportTime.elements.map(RecordTemplate.localName)
            // The longest prefix shared with the containers (not the record itself).
            var shared = 0
            while shared < path.count, shared < containers.count, path[shared] == recordPath[shared] { shared += 1 }
            guard shared > 0 else { throw .unsupportedDialect("exportTime must start at the root element") }
            if shared < path.count, shared == containers.count, path[shared] == recordName {
                throw .unsupportedDialect("exportTime inside the record element cannot be written")
            }
            if shared == path.count {
                guard let name = exportTime.attribute else {
                    throw .unsupportedDialect("exportTime as the text of a container of records cannot be written")
                }
                attribute = (shared - 1, Array(RecordTemplate.localName(name).utf8))
            } else {
                var builder = ElementBuilder(name: path[shared])
                builder.insert(
                    FieldPath(elements: Array(path[(shared + 1)...]), attribute: exportTime.attribute.map(RecordTemplate.localName)),
                    slot: .field(.received))  // placeholder slot: the header writer fills it in
                header = (shared - 1, builder.build())
            }
        }
        exportTimeAttribute = attribute
        exportTimeHeader = header

        var builder = ElementBuilder(name: recordName)
        for field in CanonicalField.allCases {
            guard let path = dialect.fields[field] else { continue }
            builder.insert(RecordTemplate.local(path), slot: .field(field))
        }
        let used = builder.childNames
        for extra in ExtraField.allCases where !used.contains(extra.elementName) {
            builder.insert(FieldPath(elements: [extra.elementName]), slot: .extra(extra))
        }
        if let group = dialect.attachments {
            builder.insertGroup(group.path.map(RecordTemplate.localName), kind: .attachments) { entry in
                for (field, path) in group.fields.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    entry.insert(RecordTemplate.local(path), slot: .attachment(field))
                }
            }
        }
        if let group = dialect.supplements {
            builder.insertGroup(group.path.map(RecordTemplate.localName), kind: .supplements) { entry in
                for (field, path) in group.fields.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    entry.insert(RecordTemplate.local(path), slot: .supplement(field))
                }
            }
        }
        record = builder.build()
    }

    /// Namespace prefixes are ignored by the reader; the generator writes local names only.
    static func localName(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    static func local(_ path: FieldPath) -> FieldPath {
        FieldPath(elements: path.elements.map(localName), attribute: path.attribute.map(localName))
    }
}

/// Builds a `TemplateElement` by inserting paths; elements with the same name along a path are
/// shared (`thoiGian/@tiepNhan` and `thoiGian/@henTra` land on one `thoiGian`), repeated group
/// elements never are.
struct ElementBuilder {
    var name: String
    var attributes: [(name: String, slot: Slot)] = []
    var textSlot: Slot?
    var children: [ElementBuilder] = []
    var repeated: GroupKind?

    init(name: String, repeated: GroupKind? = nil) {
        self.name = name
        self.repeated = repeated
    }

    var childNames: Set<String> { Set(children.map(\.name)) }

    /// Adds a value at `path` below this element. A second value at a place already taken is
    /// dropped: the reader gives both fields the first one's text anyway.
    mutating func insert(_ path: FieldPath, slot: Slot) {
        insert(elements: path.elements[...], attribute: path.attribute, slot: slot)
    }

    private mutating func insert(elements: ArraySlice<String>, attribute: String?, slot: Slot) {
        guard let first = elements.first else {
            if let attribute {
                if !attributes.contains(where: { $0.name == attribute }) { attributes.append((attribute, slot)) }
            } else if textSlot == nil {
                textSlot = slot
            }
            return
        }
        let index: Int
        if let existing = children.firstIndex(where: { $0.name == first && $0.repeated == nil }) {
            index = existing
        } else {
            children.append(ElementBuilder(name: first))
            index = children.count - 1
        }
        children[index].insert(elements: elements.dropFirst(), attribute: attribute, slot: slot)
    }

    /// Adds a repeated element at `path` (its last step repeats), filled by `fill`.
    mutating func insertGroup(_ path: [String], kind: GroupKind, fill: (inout ElementBuilder) -> Void) {
        guard let first = path.first else { return }
        if path.count == 1 {
            var entry = ElementBuilder(name: first, repeated: kind)
            fill(&entry)
            children.append(entry)
            return
        }
        let index: Int
        if let existing = children.firstIndex(where: { $0.name == first && $0.repeated == nil }) {
            index = existing
        } else {
            children.append(ElementBuilder(name: first))
            index = children.count - 1
        }
        children[index].insertGroup(Array(path.dropFirst()), kind: kind, fill: fill)
    }

    func build() -> TemplateElement {
        var element = TemplateElement(name: name)
        element.attributes = attributes.map { (Array($0.name.utf8), $0.slot) }
        element.textSlot = textSlot
        element.children = children.map { $0.build() }
        element.repeated = repeated
        return element
    }
}
