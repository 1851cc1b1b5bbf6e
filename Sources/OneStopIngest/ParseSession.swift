internal import CLibXML2
import OneStopModel

/// One parse of one file: the libxml2 push context, the dialect's trie with its names interned
/// in that context's dictionary, and the record being built. One thread, one file, then freed;
/// nothing in it is shared, so files parse concurrently with one session each.
final class ParseSession {
    struct ParserMessage {
        var code: Int32
        var text: String
        var line: Int?
        var column: Int?
    }

    static let supplementFieldCount = SupplementField.allCases.count
    static let attachmentFieldCount = AttachmentField.allCases.count

    let matcher: DialectMatcher
    let maxValueBytes: Int
    let maxDepth: Int
    let maxGroupEntries: Int
    let maxRecordBytes = ExportReader.maxRecordBytes
    private(set) var context: xmlParserCtxtPtr!
    /// The dialect, interned in this context's dictionary (set right after the context).
    private(set) var trie: FlatTrie!

    // Matched elements from the document node down; an element not in the trie is not pushed,
    // so the stack is never deeper than the trie. Hot state is unchecked for exclusivity: the
    // dynamic checks took about a fifth of the time in profiles, and only this thread touches it.

    /// A direct-mapped memo of start tags: (parent node, name from the parser's dictionary) →
    /// child node, or -1 for an element the dialect does not map. Names are interned in the
    /// context's dictionary, so a pointer names one element name for the whole parse.
    static let lookupMask = 255

    /// The memo slot of (parent node, name). Fibonacci hashing of the name's address: the
    /// dictionary stores names a few bytes apart, and dropping low bits instead (as before) put
    /// neighbouring names of one parent in one slot, where they evicted each other on every tag.
    @inline(__always)
    static func lookupSlot(_ name: UnsafePointer<xmlChar>?, _ parent: Int) -> Int {
        let key = UInt(bitPattern: Int(bitPattern: name)) ^ UInt(truncatingIfNeeded: parent) &<< 48
        return Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) &>> 56) & lookupMask
    }
    let lookupName: UnsafeMutablePointer<UnsafePointer<xmlChar>?>
    let lookupParent: UnsafeMutablePointer<Int32>
    let lookupChild: UnsafeMutablePointer<Int32>

    /// Trie node per frame; frame 0 is the document node.
    let frameNodes: UnsafeMutablePointer<Int32>
    /// Where the frame's text starts in `textBytes`, or -1 when its text is not wanted.
    let frameTextStart: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) var top = 0
    /// libxml2 currently calls `text` for character data (see `deliverText`).
    @exclusivity(unchecked) var deliveringText = false
    /// Depth inside an unmatched element; while > 0 every event is ignored.
    @exclusivity(unchecked) var skipDepth = 0

    /// Text of the capturing frames, stacked: an inner element's text is cut off again when it
    /// ends, before its parent's text continues.
    @exclusivity(unchecked) var textBytes: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) var textCount = 0
    @exclusivity(unchecked) var textCapacity: Int

    /// The record being built, as byte ranges into `valueBytes`: the mapped values are copied
    /// there (attribute entities decoded) and handed over as a `RawRecordView`, so nothing is
    /// allocated per record.
    @exclusivity(unchecked) var valueBytes: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) var valueCount = 0
    @exclusivity(unchecked) var valueCapacity: Int
    /// One range per canonical field.
    let fieldRanges: UnsafeMutablePointer<RawValueRange>
    /// `supplementFieldCount` ranges per supplement request, `attachmentFieldCount` per attachment.
    @exclusivity(unchecked) var supplementRanges: UnsafeMutablePointer<RawValueRange>
    @exclusivity(unchecked) var supplementCapacity: Int
    @exclusivity(unchecked) var supplementEntries = 0
    @exclusivity(unchecked) var attachmentRanges: UnsafeMutablePointer<RawValueRange>
    @exclusivity(unchecked) var attachmentCapacity: Int
    @exclusivity(unchecked) var attachmentEntries = 0
    @exclusivity(unchecked) var recordLine = 0
    /// Which fields of the record, and of its last supplement / attachment entry, have a value
    /// (bit `rawValue`): first occurrence wins.
    @exclusivity(unchecked) var filledFields = 0
    @exclusivity(unchecked) var filledSupplement = 0
    @exclusivity(unchecked) var filledAttachment = 0
    /// A record element is open.
    @exclusivity(unchecked) var inRecord = false
    /// The record has at least one supplement / attachment entry.
    @exclusivity(unchecked) var inSupplement = false
    @exclusivity(unchecked) var inAttachment = false
    /// Receives each record at its end tag, during `feed`/`finish` (set by `ExportReader.read`).
    @exclusivity(unchecked) var sink: ((RawRecordView) -> Void)?
    @exclusivity(unchecked) var exportTime: String?
    @exclusivity(unchecked) var recordCount = 0
    /// A start tag of the document element was seen.
    @exclusivity(unchecked) var sawRoot = false
    var uncompressedBytes: Int64 = 0

    // MARK: Reading one piece of a split file (see SplitReading.swift)

    /// A piece watches for this stream offset: the next start tag at or after it must be a
    /// record's, starting exactly there (`Int.max`: not watching).
    @exclusivity(unchecked) var watchedOffset = Int.max
    /// File offsets of the piece starts still ahead, and which one is watched.
    var boundaries: [Int64] = []
    var boundaryIndex = 0
    /// Stream offset `streamBase` holds the file's byte `fileBase` (a piece after the first is
    /// fed the file's prefix first, then its own bytes).
    var streamBase = 0
    var fileBase: Int64 = 0
    /// Looking for the first record's start tag only (planning a split).
    var probing = false
    /// Where the parse stopped on purpose: the boundary index (or 0 for the probe), the start
    /// tag's stream offset and its line as this parser counts lines.
    var stoppedAt: (boundary: Int, offset: Int, line: Int)?
    /// A failure found by a callback (entity, DTD, root, size); wins over libxml2's own.
    var failure: IngestError?
    var firstFatal: ParserMessage?
    var firstError: ParserMessage?

    // MARK: Markup libxml2 holds while it waits for its end (see ParseSession+Feeding.swift)

    /// The raw bytes are ASCII-compatible (UTF-8, windows-1258, …; not UTF-16), so the end of
    /// waiting markup can be found in them before they are fed; nil until the first bytes.
    var rawBytesAreASCIICompatible: Bool?
    /// The start tag waiting for its `>`: where it starts and how far it has been scanned (offsets
    /// in libxml2's UTF-8 stream), whether the scan is inside a quoted value, and the `=` found
    /// outside values (one per attribute or namespace declaration).
    var waitingTag = MarkupScan()
    /// The DOCTYPE's internal subset waiting for its end; `count` is its `|`.
    var waitingSubset = MarkupScan()
    /// Default attribute values the DOCTYPE declared, per element name.
    var attributeDefaults: [String: Int] = [:]

    init(matcher: DialectMatcher, maxValueBytes: Int, maxDepth: Int, maxGroupEntries: Int) throws(IngestError) {
        self.matcher = matcher
        self.maxValueBytes = maxValueBytes
        self.maxDepth = maxDepth
        self.maxGroupEntries = maxGroupEntries
        lookupName = .allocate(capacity: Self.lookupMask + 1)
        lookupName.initialize(repeating: nil, count: Self.lookupMask + 1)
        lookupParent = .allocate(capacity: Self.lookupMask + 1)
        lookupParent.initialize(repeating: -1, count: Self.lookupMask + 1)
        lookupChild = .allocate(capacity: Self.lookupMask + 1)
        lookupChild.initialize(repeating: -1, count: Self.lookupMask + 1)
        frameNodes = .allocate(capacity: matcher.depth)
        frameTextStart = .allocate(capacity: matcher.depth)
        frameNodes[0] = 0
        frameTextStart[0] = -1
        textCapacity = 4096
        textBytes = .allocate(capacity: textCapacity)
        valueCapacity = 4096
        valueBytes = .allocate(capacity: valueCapacity)
        fieldRanges = .allocate(capacity: CanonicalField.allCases.count)
        fieldRanges.initialize(repeating: .absent, count: CanonicalField.allCases.count)
        supplementCapacity = 4 * Self.supplementFieldCount
        supplementRanges = .allocate(capacity: supplementCapacity)
        attachmentCapacity = 4 * Self.attachmentFieldCount
        attachmentRanges = .allocate(capacity: attachmentCapacity)

        var handler = Self.makeHandler()
        guard let context = xmlCreatePushParserCtxt(&handler, nil, nil, 0, nil) else {
            throw .readFailed(reason: "libxml2 could not create a parser (out of memory)")
        }
        self.context = context
        context.pointee.userData = Unmanaged.passUnretained(self).toOpaque()
        // NONET only: never NOENT, DTDLOAD or HUGE (docs/design.md, libxml2 safety).
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))
        trie = FlatTrie(matcher, dictionary: context.pointee.dict)
    }

    deinit {
        if let context {
            // For an entity declaration libxml2 builds a stand-in document even in SAX mode
            // ("expat compatibility", after our callback has refused the file); the context does
            // not own it, so without this every such file leaked about 25 KB.
            if let document = context.pointee.myDoc {
                context.pointee.myDoc = nil
                xmlFreeDoc(document)
            }
            xmlFreeParserCtxt(context)
        }
        trie?.deallocate()
        lookupName.deallocate()
        lookupParent.deallocate()
        lookupChild.deallocate()
        frameNodes.deallocate()
        frameTextStart.deallocate()
        textBytes.deallocate()
        valueBytes.deallocate()
        fieldRanges.deallocate()
        supplementRanges.deallocate()
        attachmentRanges.deallocate()
    }

    /// What libxml2 passes back to the callbacks.
    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// Line the parser has reached (in the uncompressed text).
    var currentLine: Int? {
        guard let input = context.pointee.input else { return nil }
        return Int(input.pointee.line)
    }

    /// The declaration's encoding has been looked at (set once a decoder is in place).
    var encodingChecked = false

    /// Refuses a decoder that is neither libxml2's own nor iconv's, i.e. ICU's: in libxml2 2.9 it
    /// flushes at the end of every chunk, so a character split between two chunks fails the file
    /// — whether a file reads would depend on where chunk boundaries fall.
    func checkEncoding() {
        guard let encoder = context.pointee.input?.pointee.buf?.pointee.encoder else { return }
        encodingChecked = true
        guard encoder.pointee.input == nil, encoder.pointee.iconv_in == nil else { return }
        let name = encoder.pointee.name.map { String(cString: $0) } ?? "?"
        // The declaration that names it is always on line 1; the parser may be further on.
        fail(.unreliableEncoding(name: String(name.prefix(60)), line: 1))
    }

    /// Tells libxml2 the document is complete: a cut-off document fails here.
    func finish() throws(IngestError) {
        xmlParseChunk(context, nil, 0, 1)
        // A push parser that runs out of data reports "Extra content at the end of the
        // document" even when the root never started or is still open: say what happened.
        if let fatal = firstFatal, fatal.code == Int32(XML_ERR_DOCUMENT_END.rawValue) {
            if !sawRoot {
                firstFatal?.text = "no root element (the document is empty)"
            } else if context.pointee.nameNr > 0, let open = context.pointee.name {
                let count = Int(context.pointee.nameNr)
                firstFatal?.text = "Premature end of data in tag \(String(cString: open)): the file ends with "
                    + (count == 1 ? "1 element open" : "\(count) elements open")
            }
        }
        try check()
    }

    func check() throws(IngestError) {
        if let failure { throw failure }
        if stoppedAt != nil { return }  // halted on purpose at a piece boundary
        // xmlParseChunk's return value also reports namespace errors, which are not fatal;
        // a fatal error (or a halt) always clears wellFormed or sets disableSAX.
        if context.pointee.wellFormed == 0 || context.pointee.disableSAX != 0 {
            let message = firstFatal ?? firstError
            throw .notWellFormed(
                message: message?.text ?? "the parser stopped (libxml2 error \(context.pointee.errNo))",
                line: message?.line ?? currentLine,
                column: message?.column)
        }
    }

    /// Records a callback's verdict and stops the parser at once.
    func fail(_ error: IngestError) {
        if failure == nil { failure = error }
        xmlStopParser(context)
    }

    /// Stream offset the parser has reached (what it consumed and dropped, plus its position
    /// in the buffer it holds).
    var streamPosition: Int {
        guard let input = context.pointee.input, let base = input.pointee.base, let cur = input.pointee.cur else {
            return 0
        }
        return Int(input.pointee.consumed) + (cur - base)
    }

    /// Stream offset and line of the `<` of the start tag just reported (see `startTagLine`).
    func startTagPosition() -> (offset: Int, line: Int) {
        guard let input = context.pointee.input, let base = input.pointee.base, var cursor = input.pointee.cur else {
            return (streamPosition, currentLine ?? 0)
        }
        var line = Int(input.pointee.line)
        while cursor > base {
            cursor -= 1
            switch cursor.pointee {
            case UInt8(ascii: "<"): return (Int(input.pointee.consumed) + (cursor - base), line)
            case UInt8(ascii: "\n"): line -= 1
            default: break
            }
        }
        return (Int(input.pointee.consumed), line)
    }

    /// The stream offset of a piece boundary (a file offset).
    func streamOffset(ofFileOffset offset: Int64) -> Int {
        streamBase + Int(offset - fileBase)
    }

    /// Called for a start tag once the parser has passed `watchedOffset`. Returns true when the
    /// parse stopped here (the tag belongs to the next piece, or the probe found the first record).
    func reachedWatchedOffset(_ localname: UnsafePointer<xmlChar>?) -> Bool {
        let (offset, line) = startTagPosition()
        if offset < watchedOffset { return false }  // the tag began before the boundary
        let isRecord = skipDepth == 0 && childIsRecord(of: Int(frameNodes[top]), named: localname)
        if probing {
            guard isRecord else { return false }
            stop(at: (0, offset, line))
            return true
        }
        while true {
            if offset == watchedOffset && isRecord {
                stop(at: (boundaryIndex, offset, line))
                return true
            }
            // Not a record starting exactly at the boundary (it fell inside a comment, a CDATA
            // section, a nested element…): this piece reads on to the next boundary.
            boundaryIndex += 1
            watchedOffset = boundaryIndex < boundaries.count
                ? streamOffset(ofFileOffset: boundaries[boundaryIndex]) : Int.max
            if offset < watchedOffset { return false }
        }
    }

    private func childIsRecord(of parent: Int, named name: UnsafePointer<xmlChar>?) -> Bool {
        var index = Int(trie.childStart[parent])
        let end = Int(trie.childStart[parent + 1])
        while index < end {
            if trie.childName[index] == name {
                return trie.flags[Int(trie.childNode[index])] & FlatTrie.Flag.record != 0
            }
            index += 1
        }
        return false
    }

    private func stop(at position: (boundary: Int, offset: Int, line: Int)) {
        stoppedAt = position
        watchedOffset = Int.max
        xmlStopParser(context)
    }

    /// Line of the start tag just reported. libxml2 has read up to the tag's `>`, so the line
    /// counter may be past the `<` when the tag spans lines: count the newlines back to `<`
    /// (a start tag cannot contain a literal `<`). Eight bytes at a time: record tags with
    /// many attributes are long, and a byte loop cost more than the rest of the callback.
    func startTagLine() -> Int {
        guard let input = context.pointee.input else { return 0 }
        let line = Int(input.pointee.line)
        guard let base = input.pointee.base, var cursor = input.pointee.cur else { return line }
        var newlines = 0
        while cursor > base {
            if cursor - base >= 8 {
                let word = UInt64(littleEndian: UnsafeRawPointer(cursor - 8).loadUnaligned(as: UInt64.self))
                if !Self.hasByte(word, UInt8(ascii: "<")) && !Self.hasByte(word, UInt8(ascii: "\n")) {
                    cursor -= 8
                    continue
                }
            }
            cursor -= 1
            switch cursor.pointee {
            case UInt8(ascii: "<"): return line - newlines
            case UInt8(ascii: "\n"): newlines += 1
            default: break
            }
        }
        return line
    }

    /// Whether any byte of `word` equals `byte` (the classic SWAR zero-byte test).
    @inline(__always)
    static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
        let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
    }

    /// Keeps the first fatal error and the first plain error; warnings and namespace errors
    /// (an undeclared prefix) do not fail a file, matching is on local names anyway.
    func recordParserError(_ error: UnsafePointer<xmlError>) {
        let level = error.pointee.level
        let isFatal = level == XML_ERR_FATAL
        let isError = level == XML_ERR_ERROR && error.pointee.domain != Int32(XML_FROM_NAMESPACE.rawValue)
        guard (isFatal && firstFatal == nil) || (isError && firstError == nil) else { return }
        let raw = error.pointee.message.map { String(cString: $0) } ?? "libxml2 error \(error.pointee.code)"
        let text = raw.split(whereSeparator: \.isNewline)
            .map { $0.trimmingSpaces() }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
        let message = ParserMessage(
            code: error.pointee.code,
            text: text == "internal error: Huge input lookup"
                ? "a CDATA section, comment or tag is longer than 10 MB (libxml2: Huge input lookup)" : text,
            line: error.pointee.line > 0 ? Int(error.pointee.line) : nil,
            column: error.pointee.int2 > 0 ? Int(error.pointee.int2) : nil)
        if isFatal { firstFatal = message } else { firstError = message }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var slice = self
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return slice
    }
}
