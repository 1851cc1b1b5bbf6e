/// Where a value sits in the XML, relative to an element: child element names, then optionally
/// an attribute of the last one. Written `A/B`, `A/B/@c` or `@c` in dialect files.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    public var elements: [String]
    public var attribute: String?

    public init(elements: [String], attribute: String? = nil) {
        self.elements = elements
        self.attribute = attribute
    }

    /// Parses `A/B`, `A/B/@c` or `@c`; nil when a step is empty or `@` is not last.
    public init?(parsing text: String) {
        let steps = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !steps.isEmpty, steps.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) }) else {
            return nil
        }
        var elements = Array(steps.dropLast())
        var attribute: String?
        let last = steps[steps.count - 1]
        if last.hasPrefix("@") {
            attribute = String(last.dropFirst())
            if attribute!.isEmpty { return nil }
        } else {
            elements.append(last)
        }
        guard elements.allSatisfy({ !$0.hasPrefix("@") }) else { return nil }
        self.init(elements: elements, attribute: attribute)
    }

    /// The name a user sees in rejects: the attribute, else the last element.
    public var leafName: String { attribute ?? elements.last ?? "" }

    public var description: String {
        (elements + (attribute.map { ["@" + $0] } ?? [])).joined(separator: "/")
    }
}

/// A repeated child group of a record (supplement requests, attachments): the path of the
/// repeated element relative to the record, and its fields relative to that element.
public struct RepeatedGroup<Field: Hashable & Sendable>: Sendable {
    public var path: [String]
    public var fields: [Field: FieldPath]

    public init(path: [String], fields: [Field: FieldPath]) {
        self.path = path
        self.fields = fields
    }
}

/// How one one-stop-shop system's XML maps onto the canonical record (docs/contract.md §2.1, §3).
/// Loaded from a dialect file in `Pipelines/dialects/`; adding a system never changes code.
public struct Dialect: Sendable {
    public var name: String
    /// Element names from the document root down to the record element, e.g. `["DanhSachHoSo", "HoSo"]`.
    public var recordPath: [String]
    /// Where the export timestamp sits, relative to the document root (path starts at the root element).
    public var exportTime: FieldPath?
    /// Field paths relative to the record element.
    public var fields: [CanonicalField: FieldPath]
    public var supplements: RepeatedGroup<SupplementField>?
    public var attachments: RepeatedGroup<AttachmentField>?
    /// Value maps, keyed by the upper-cased, trimmed source code.
    public var channelCodes: [String: Channel]
    public var returnCodes: [String: ReturnMethod]
    public var statusCodes: [String: Status]
    /// The map for flags such as `digitised` (default `0` → false, `1` → true).
    public var flagCodes: [String: Bool]
    /// Raw values used when a field is missing or empty, before value maps apply.
    public var defaults: [CanonicalField: String]
    /// Date patterns tried in order (`yyyyMMddHHmmss`, `dd/MM/yyyy HH:mm:ss`, `dd/MM/yyyy`, `iso8601`, …).
    public var dateFormats: [String]

    public init(
        name: String,
        recordPath: [String],
        exportTime: FieldPath?,
        fields: [CanonicalField: FieldPath],
        supplements: RepeatedGroup<SupplementField>? = nil,
        attachments: RepeatedGroup<AttachmentField>? = nil,
        channelCodes: [String: Channel],
        returnCodes: [String: ReturnMethod],
        statusCodes: [String: Status],
        flagCodes: [String: Bool] = ["0": false, "1": true],
        defaults: [CanonicalField: String] = [:],
        dateFormats: [String]
    ) {
        self.name = name
        self.recordPath = recordPath
        self.exportTime = exportTime
        self.fields = fields
        self.supplements = supplements
        self.attachments = attachments
        self.channelCodes = channelCodes
        self.returnCodes = returnCodes
        self.statusCodes = statusCodes
        self.flagCodes = flagCodes
        self.defaults = defaults
        self.dateFormats = dateFormats
    }

    /// The document's root element name.
    public var rootElement: String { recordPath.first ?? "" }

    /// The name of a field as this system writes it, for rejects and `inspect`.
    public func sourceName(of field: CanonicalField) -> String {
        fields[field]?.leafName ?? field.key
    }

    public func sourceName(of field: SupplementField) -> String {
        supplements?.fields[field]?.leafName ?? field.key
    }

    public func sourceName(of field: AttachmentField) -> String {
        attachments?.fields[field]?.leafName ?? field.key
    }
}
