import OneStopModel

/// The values of one record while it is being written: bytes in one reusable arena, and for
/// each slot the range it occupies. Values are XML-escaped when they enter the arena, so the
/// writer copies them as they are. One per writing thread; cleared for every record.
final class RecordValues {
    private(set) var arena: [UInt8] = []
    private var fieldRanges: [Range<Int>?] = Array(repeating: nil, count: CanonicalField.allCases.count)
    private var extraRanges: [Range<Int>?] = Array(repeating: nil, count: ExtraField.allCases.count)
    /// Per entry, indexed by `SupplementField.rawValue`.
    private(set) var supplements: [[Range<Int>?]] = []
    /// Per entry, indexed by `AttachmentField.rawValue`.
    private(set) var attachments: [[Range<Int>?]] = []

    init() {
        arena.reserveCapacity(4096)
    }

    func clear() {
        arena.removeAll(keepingCapacity: true)
        for i in fieldRanges.indices { fieldRanges[i] = nil }
        for i in extraRanges.indices { extraRanges[i] = nil }
        supplements.removeAll(keepingCapacity: true)
        attachments.removeAll(keepingCapacity: true)
    }

    /// Where the value of `slot` is, for group entry `entry`; nil when the record has none.
    func range(of slot: Slot, entry: Int) -> Range<Int>? {
        switch slot {
        case .field(let field): fieldRanges[field.rawValue]
        case .extra(let extra): extraRanges[extra.rawValue]
        case .supplement(let field): entry < supplements.count ? supplements[entry][field.rawValue] : nil
        case .attachment(let field): entry < attachments.count ? attachments[entry][field.rawValue] : nil
        }
    }

    func entries(of group: GroupKind) -> Int {
        switch group {
        case .supplements: supplements.count
        case .attachments: attachments.count
        }
    }

    // MARK: Filling

    /// Starts a value; finish it with `end`.
    @inline(__always) func begin() -> Int { arena.count }

    func set(_ field: CanonicalField, from start: Int) { fieldRanges[field.rawValue] = start..<arena.count }
    func set(_ extra: ExtraField, from start: Int) { extraRanges[extra.rawValue] = start..<arena.count }

    func set(_ field: CanonicalField, bytes: [UInt8]) {
        let start = arena.count
        arena.append(contentsOf: bytes)
        set(field, from: start)
    }

    func set(_ field: CanonicalField, date: WallClock, writer: DateWriter) {
        let start = arena.count
        writer.write(date, into: &arena)
        set(field, from: start)
    }

    func addSupplement() { supplements.append([nil, nil, nil]) }
    func addAttachment() { attachments.append([nil]) }

    func setLast(_ field: SupplementField, date: WallClock, writer: DateWriter) {
        let start = arena.count
        writer.write(date, into: &arena)
        supplements[supplements.count - 1][field.rawValue] = start..<arena.count
    }

    func setLast(_ field: AttachmentField, bytes: [UInt8]) {
        let start = arena.count
        arena.append(contentsOf: bytes)
        attachments[attachments.count - 1][field.rawValue] = start..<arena.count
    }

    /// Appends raw bytes that need no escaping (digits, ASCII codes, pre-escaped text).
    @inline(__always) func append(_ bytes: [UInt8]) { arena.append(contentsOf: bytes) }
    @inline(__always) func append(byte: UInt8) { arena.append(byte) }

    /// Appends text, escaping `&`, `<`, `>` and `"`.
    func appendEscaped(_ bytes: [UInt8]) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "&"): arena.append(contentsOf: Array("&amp;".utf8))
            case UInt8(ascii: "<"): arena.append(contentsOf: Array("&lt;".utf8))
            case UInt8(ascii: ">"): arena.append(contentsOf: Array("&gt;".utf8))
            case UInt8(ascii: "\""): arena.append(contentsOf: Array("&quot;".utf8))
            default: arena.append(byte)
            }
        }
    }

    /// Appends a non-negative number, zero-padded to `width` digits.
    func appendNumber(_ value: Int, width: Int = 1) {
        var digits = 1
        var scale = 10
        while scale <= value {
            digits += 1
            scale &*= 10
        }
        let count = max(digits, width)
        let end = arena.count + count
        arena.append(contentsOf: repeatElement(UInt8(48), count: count))
        var rest = value
        var index = end - 1
        while rest > 0 {
            arena[index] = UInt8(48 + rest % 10)
            rest /= 10
            index -= 1
        }
    }
}
