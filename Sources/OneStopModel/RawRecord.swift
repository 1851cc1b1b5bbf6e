/// One record as read from an export, before normalisation: the text of each mapped field,
/// untrimmed, or nil where the record did not carry it. Unmapped content (personal data
/// among it) is never collected.
public struct RawRecord: Sendable, Equatable {
    /// Line of the record's start tag in the (uncompressed) file.
    public var line: Int
    /// Values indexed by `CanonicalField.rawValue`.
    public var values: [String?]
    /// One entry per supplement request, each indexed by `SupplementField.rawValue`.
    public var supplements: [[String?]]
    /// One entry per attachment, each indexed by `AttachmentField.rawValue`.
    public var attachments: [[String?]]

    public init(line: Int) {
        self.line = line
        self.values = Array(repeating: nil, count: CanonicalField.allCases.count)
        self.supplements = []
        self.attachments = []
    }

    public subscript(field: CanonicalField) -> String? {
        get { values[field.rawValue] }
        set { values[field.rawValue] = newValue }
    }
}
