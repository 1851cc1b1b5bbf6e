/// Records copied out of the reader's buffers, a few hundred at a time, so that they can be
/// normalised later or on another thread than the one parsing: each `RawRecordView` the reader
/// lends is appended (its value bytes and ranges, one copy), and `view(at:)` lends it again.
///
/// Memory is the batch's records: a few hundred bytes each, reused from batch to batch.
/// One thread at a time uses a batch (handed over between threads with a lock or semaphore,
/// which orders the writes), hence `@unchecked Sendable` and no dynamic exclusivity checks.
public final class RecordBatch: @unchecked Sendable {
    private struct Entry {
        var line: Int
        var byteStart: Int
        var rangeStart: Int
        var supplementCount: Int
        var attachmentCount: Int
    }

    private static let fieldCount = CanonicalField.allCases.count

    /// Records a batch takes before it is full.
    public let recordCapacity: Int
    @exclusivity(unchecked) public private(set) var count = 0

    @exclusivity(unchecked) private var entries: UnsafeMutablePointer<Entry>
    @exclusivity(unchecked) private var bytes: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var byteCount = 0
    @exclusivity(unchecked) private var byteCapacity: Int
    @exclusivity(unchecked) private var ranges: UnsafeMutablePointer<RawValueRange>
    @exclusivity(unchecked) private var rangeCount = 0
    @exclusivity(unchecked) private var rangeCapacity: Int

    public init(recordCapacity: Int = 256) {
        self.recordCapacity = max(1, recordCapacity)
        entries = .allocate(capacity: self.recordCapacity)
        byteCapacity = 256 * self.recordCapacity
        bytes = .allocate(capacity: byteCapacity)
        rangeCapacity = (Self.fieldCount + 8) * self.recordCapacity
        ranges = .allocate(capacity: rangeCapacity)
    }

    deinit {
        entries.deallocate()
        bytes.deallocate()
        ranges.deallocate()
    }

    public var isFull: Bool { count == recordCapacity }

    /// Copies the record `view` lends to the end of the batch. The batch must not be full.
    public func append(_ view: RawRecordView) {
        precondition(count < recordCapacity, "RecordBatch is full")
        let supplementRanges = view.supplementCount * RawRecordView.supplementWidth
        let attachmentRanges = view.attachmentCount * RawRecordView.attachmentWidth
        let rangesNeeded = Self.fieldCount + supplementRanges + attachmentRanges
        // The values (empty ones too: their start must stay inside the copy) lie in
        // view.bytes[0 ..< end]: the reader starts each record's values at 0.
        var end = 0
        func extend(_ source: UnsafePointer<RawValueRange>, _ count: Int) {
            var index = 0
            while index < count {
                let range = source[index]
                if range.count >= 0, range.start &+ range.count > end { end = range.start &+ range.count }
                index &+= 1
            }
        }
        extend(view.fields, Self.fieldCount)
        extend(view.supplements, supplementRanges)
        extend(view.attachments, attachmentRanges)
        reserve(bytes: end, ranges: rangesNeeded)
        bytes.advanced(by: byteCount).update(from: view.bytes, count: end)
        let target = ranges.advanced(by: rangeCount)
        target.update(from: view.fields, count: Self.fieldCount)
        target.advanced(by: Self.fieldCount).update(from: view.supplements, count: supplementRanges)
        target.advanced(by: Self.fieldCount + supplementRanges).update(from: view.attachments, count: attachmentRanges)
        entries[count] = Entry(
            line: view.line, byteStart: byteCount, rangeStart: rangeCount, supplementCount: view.supplementCount,
            attachmentCount: view.attachmentCount)
        byteCount &+= end
        rangeCount &+= rangesNeeded
        count &+= 1
    }

    /// Record `index`, lent until the batch is emptied or appended to.
    public func view(at index: Int) -> RawRecordView {
        precondition(index >= 0 && index < count)
        let entry = entries[index]
        let fields = UnsafePointer(ranges.advanced(by: entry.rangeStart))
        let supplements = fields.advanced(by: Self.fieldCount)
        return RawRecordView(
            line: entry.line, bytes: UnsafePointer(bytes.advanced(by: entry.byteStart)), fields: fields,
            supplements: supplements, supplementCount: entry.supplementCount,
            attachments: supplements.advanced(by: entry.supplementCount * RawRecordView.supplementWidth),
            attachmentCount: entry.attachmentCount)
    }

    /// Empties the batch, keeping its memory.
    public func removeAll() {
        count = 0
        byteCount = 0
        rangeCount = 0
    }

    private func reserve(bytes needed: Int, ranges neededRanges: Int) {
        if byteCount + needed > byteCapacity {
            var capacity = byteCapacity * 2
            while byteCount + needed > capacity { capacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: bytes, count: byteCount)
            bytes.deallocate()
            bytes = grown
            byteCapacity = capacity
        }
        if rangeCount + neededRanges > rangeCapacity {
            var capacity = rangeCapacity * 2
            while rangeCount + neededRanges > capacity { capacity *= 2 }
            let grown = UnsafeMutablePointer<RawValueRange>.allocate(capacity: capacity)
            grown.moveInitialize(from: ranges, count: rangeCount)
            ranges.deallocate()
            ranges = grown
            rangeCapacity = capacity
        }
    }
}
