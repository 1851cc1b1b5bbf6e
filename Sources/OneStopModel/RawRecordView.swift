/// Where one mapped value sits in a `RawRecordView`'s bytes; `count < 0` when the record did
/// not carry the value.
public struct RawValueRange: Sendable, Hashable {
    public var start: Int
    public var count: Int

    public init(start: Int, count: Int) {
        self.start = start
        self.count = count
    }

    /// The value is absent.
    public static let absent = RawValueRange(start: 0, count: -1)
}

/// One record as read from an export, borrowed: the UTF-8 bytes of each mapped value (untrimmed,
/// entities decoded) in the reader's buffers. Valid only during the callback that receives it;
/// `makeRecord()` copies it into a `RawRecord` that may be kept.
///
/// The reader hands records over this way so that nothing is allocated per record: the
/// normaliser reads codes, flags and dates straight from the bytes.
public struct RawRecordView {
    /// Line of the record's start tag in the (uncompressed) file.
    public let line: Int
    /// Number of supplement requests and of attachments.
    public let supplementCount: Int
    public let attachmentCount: Int
    // Internal, not private: `RecordBatch` copies a view by its buffers.
    let bytes: UnsafePointer<UInt8>
    /// `CanonicalField.allCases.count` ranges, indexed by `rawValue`.
    let fields: UnsafePointer<RawValueRange>
    /// `supplementCount × SupplementField.allCases.count` ranges, entry by entry.
    let supplements: UnsafePointer<RawValueRange>
    /// `attachmentCount × AttachmentField.allCases.count` ranges.
    let attachments: UnsafePointer<RawValueRange>

    static let supplementWidth = SupplementField.allCases.count
    static let attachmentWidth = AttachmentField.allCases.count

    /// A view over buffers the caller keeps alive for as long as the view is used.
    public init(
        line: Int, bytes: UnsafePointer<UInt8>, fields: UnsafePointer<RawValueRange>,
        supplements: UnsafePointer<RawValueRange>, supplementCount: Int,
        attachments: UnsafePointer<RawValueRange>, attachmentCount: Int
    ) {
        self.line = line
        self.bytes = bytes
        self.fields = fields
        self.supplements = supplements
        self.supplementCount = supplementCount
        self.attachments = attachments
        self.attachmentCount = attachmentCount
    }

    @inline(__always)
    private func buffer(_ range: RawValueRange) -> UnsafeBufferPointer<UInt8>? {
        range.count < 0 ? nil : UnsafeBufferPointer(start: bytes + range.start, count: range.count)
    }

    /// The bytes of a record field, nil when the record did not carry it.
    @inline(__always)
    public func value(_ field: CanonicalField) -> UnsafeBufferPointer<UInt8>? {
        buffer(fields[field.rawValue])
    }

    /// The bytes of a field of supplement request `index` (document order).
    @inline(__always)
    public func value(supplement index: Int, _ field: SupplementField) -> UnsafeBufferPointer<UInt8>? {
        buffer(supplements[index * Self.supplementWidth + field.rawValue])
    }

    /// The bytes of a field of attachment `index` (document order).
    @inline(__always)
    public func value(attachment index: Int, _ field: AttachmentField) -> UnsafeBufferPointer<UInt8>? {
        buffer(attachments[index * Self.attachmentWidth + field.rawValue])
    }

    /// A copy that outlives the callback.
    public func makeRecord() -> RawRecord {
        func string(_ bytes: UnsafeBufferPointer<UInt8>?) -> String? {
            bytes.map { String(decoding: $0, as: UTF8.self) }
        }
        var record = RawRecord(line: line)
        for field in CanonicalField.allCases { record.values[field.rawValue] = string(value(field)) }
        record.supplements = (0..<supplementCount).map { index in
            SupplementField.allCases.map { string(value(supplement: index, $0)) }
        }
        record.attachments = (0..<attachmentCount).map { index in
            AttachmentField.allCases.map { string(value(attachment: index, $0)) }
        }
        return record
    }
}

extension RawRecord {
    /// Lays this record out as a `RawRecordView` for the duration of `body` (tests, and callers
    /// that hold records as values).
    public func withView<Result>(_ body: (RawRecordView) throws -> Result) rethrows -> Result {
        var bytes: [UInt8] = []
        func range(_ value: String?) -> RawValueRange {
            guard let value else { return .absent }
            let start = bytes.count
            bytes.append(contentsOf: value.utf8)
            return RawValueRange(start: start, count: bytes.count - start)
        }
        let fields = values.map(range)
        let supplementRanges = supplements.flatMap { entry in
            SupplementField.allCases.map { range(entry.indices.contains($0.rawValue) ? entry[$0.rawValue] : nil) }
        }
        let attachmentRanges = attachments.flatMap { entry in
            AttachmentField.allCases.map { range(entry.indices.contains($0.rawValue) ? entry[$0.rawValue] : nil) }
        }
        bytes.append(0)  // never empty, so the base address exists
        return try bytes.withUnsafeBufferPointer { base in
            try fields.withUnsafeBufferPointer { fields in
                try (supplementRanges + [.absent]).withUnsafeBufferPointer { supplements in
                    try (attachmentRanges + [.absent]).withUnsafeBufferPointer { attachments in
                        try body(RawRecordView(
                            line: line, bytes: base.baseAddress!, fields: fields.baseAddress!,
                            supplements: supplements.baseAddress!, supplementCount: self.supplements.count,
                            attachments: attachments.baseAddress!, attachmentCount: self.attachments.count))
                    }
                }
            }
        }
    }
}
