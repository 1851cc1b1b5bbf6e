internal import CLibXML2
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// How far a scan of markup libxml2 holds has got (offsets in libxml2's UTF-8 stream).
struct MarkupScan {
    /// Offset of the markup's first byte; -1 before any scan.
    var start = -1
    var scanned = 0
    /// Inside a quoted value: the quote; else 0.
    var quote: UInt8 = 0
    /// What the scan counts: `=` outside values in a start tag, `|` in an internal subset.
    var count = 0
}

/// Markup libxml2 holds unparsed until its end arrives.
enum WaitingMarkup {
    case startTag, endTag, comment, processingInstruction, cdata
}

/// Feeding libxml2 so that no input makes it work quadratically.
///
/// libxml2 2.9 parses a start tag, and a DOCTYPE's internal subset, in one go once it is whole,
/// and some of that work grows with the square of what they hold (attributes checked for
/// duplicates pair by pair, enumeration values likewise). So the bytes are fed in small parts,
/// and between parts the tag or subset still waiting for its end is counted: past the limits
/// (`ExportReader.maxAttributesPerElement`, `maxDTDAlternatives`, `maxPrologMarkupBytes`) the
/// file fails before libxml2 starts on it. What one part can complete stays small.
///
/// Each time it is fed while markup waits, libxml2 looks through all of that markup again: a
/// 9 MB CDATA section or attribute with `>` in it took 3 s in 16 KiB parts. So while large
/// markup waits, the next part runs exactly to its end (found in the raw bytes, which works for
/// every encoding that keeps ASCII as is), and no other markup can be completed with it.
extension ParseSession {
    /// Parses the next bytes of the document.
    func feed(_ bytes: UnsafeRawBufferPointer) throws(IngestError) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        uncompressedBytes += Int64(bytes.count)
        if rawBytesAreASCIICompatible == nil { rawBytesAreASCIICompatible = Self.startsASCIICompatible(bytes) }
        var offset = 0
        while offset < bytes.count, stoppedAt == nil {
            let part = try partLength(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            xmlParseChunk(context, (base + offset).assumingMemoryBound(to: CChar.self), Int32(part), 0)
            offset += part
            if !encodingChecked { checkEncoding() }
            try check()
            checkWaitingMarkup()
            try check()
        }
    }

    /// How many of the `rest` bytes to feed next.
    private func partLength(_ rest: UnsafeRawBufferPointer) throws(IngestError) -> Int {
        let small = min(rest.count, sawRoot ? ExportReader.feedSize : ExportReader.prologFeedSize)
        if !sawRoot, rawBytesAreASCIICompatible == true, subsetIsWaiting {
            // The subset is parsed as soon as it is whole: count what this part adds first.
            let bars = UnsafeRawBufferPointer(rebasing: rest[..<small])
                .reduce(0) { $0 + ($1 == UInt8(ascii: "|") ? 1 : 0) }
            if waitingSubset.count + bars > ExportReader.maxDTDAlternatives {
                throw .tooManyDTDAlternatives(limit: ExportReader.maxDTDAlternatives, line: currentLine ?? 0)
            }
        }
        // Before the root element, markup is bounded (`maxPrologMarkupBytes`): small parts do.
        guard rawBytesAreASCIICompatible == true, let waiting = waitingMarkup(),
              sawRoot || waiting.kind == .startTag, waiting.pending >= ExportReader.feedSize
        else { return small }
        return try end(of: waiting.kind, in: rest, after: waiting.tail) ?? rest.count
    }

    /// The DOCTYPE's internal subset, or the DOCTYPE before it, waits for its end.
    private var subsetIsWaiting: Bool {
        context.pointee.instate == XML_PARSER_DTD || context.pointee.progressive == Int32(XML_PARSER_DTD.rawValue)
    }

    /// The markup libxml2 holds waiting for its end, how many bytes it holds, and its last two.
    private func waitingMarkup() -> (kind: WaitingMarkup, pending: Int, tail: (UInt8, UInt8))? {
        guard let input = context.pointee.input, let base = input.pointee.base, let cur = input.pointee.cur,
              let end = input.pointee.end, end > cur
        else { return nil }
        let kind: WaitingMarkup
        switch (context.pointee.instate, context.pointee.progressive) {
        case (XML_PARSER_START_TAG, _): kind = .startTag
        case (XML_PARSER_END_TAG, _): kind = .endTag
        case (XML_PARSER_CDATA_SECTION, _): kind = .cdata
        case (_, Int32(XML_PARSER_COMMENT.rawValue)): kind = .comment
        case (_, Int32(XML_PARSER_PI.rawValue)): kind = .processingInstruction
        default: return nil
        }
        let last = end - 1
        return (kind, end - cur, (last > base ? last[-1] : 0, last.pointee))
    }

    /// Offset just past the end of the waiting markup in `bytes`, nil when it does not end there;
    /// `tail`: the last two bytes libxml2 holds (a terminator may start among them). For a start
    /// tag, counts its attributes on the way and fails when they pass the limit.
    private func end(of kind: WaitingMarkup, in bytes: UnsafeRawBufferPointer, after tail: (UInt8, UInt8))
        throws(IngestError) -> Int?
    {
        let greater = UInt8(ascii: ">")
        if kind == .startTag {
            var quote = waitingTag.quote
            var equals = waitingTag.count
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if quote != 0 {
                    if byte == quote { quote = 0 }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if byte == UInt8(ascii: "=") {
                    equals += 1
                    if equals > ExportReader.maxAttributesPerElement {
                        throw .tooManyAttributes(limit: ExportReader.maxAttributesPerElement, line: currentLine ?? 0)
                    }
                } else if byte == greater {
                    return index + 1
                }
            }
            return nil
        }
        // The terminator before the `>`: "]]" for CDATA, "--" for a comment, "?" for a PI.
        let before: [UInt8] = switch kind {
        case .cdata: [UInt8(ascii: "]"), UInt8(ascii: "]")]
        case .comment: [UInt8(ascii: "-"), UInt8(ascii: "-")]
        case .processingInstruction: [UInt8(ascii: "?")]
        case .startTag, .endTag: []
        }
        func byte(at index: Int) -> UInt8 {
            index >= 0 ? bytes[index] : (index == -1 ? tail.1 : tail.0)
        }
        guard let base = bytes.baseAddress else { return nil }
        var from = 0
        while from < bytes.count, let found = memchr(base + from, Int32(greater), bytes.count - from) {
            let index = UnsafeRawPointer(found) - base
            if before.indices.allSatisfy({ byte(at: index - before.count + $0) == before[$0] }) { return index + 1 }
            from = index + 1
        }
        return nil
    }

    /// After a part: counts what a start tag or internal subset still waiting for its end holds,
    /// and fails the file when it passes a limit; bounds the markup before the root element.
    func checkWaitingMarkup() {
        guard let input = context.pointee.input, let base = input.pointee.base, let cur = input.pointee.cur,
              let end = input.pointee.end
        else { return }
        let start = Int(input.pointee.consumed) + (cur - base)
        let instate = context.pointee.instate
        if !sawRoot, instate != XML_PARSER_START_TAG, end - cur > ExportReader.maxPrologMarkupBytes {
            return fail(.prologMarkupTooLong(limit: ExportReader.maxPrologMarkupBytes, line: currentLine ?? 0))
        }
        if instate == XML_PARSER_START_TAG, end > cur {
            if waitingTag.start != start { waitingTag = MarkupScan(start: start, scanned: start) }
            var pointer = cur + (waitingTag.scanned - start)
            var quote = waitingTag.quote
            var equals = waitingTag.count
            while pointer < end {
                let byte = pointer.pointee
                if quote != 0 {
                    if byte == quote { quote = 0 }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if byte == UInt8(ascii: "=") {
                    equals += 1
                }
                pointer += 1
            }
            waitingTag.scanned = start + (end - cur)
            waitingTag.quote = quote
            waitingTag.count = equals
            if equals > ExportReader.maxAttributesPerElement {
                fail(.tooManyAttributes(limit: ExportReader.maxAttributesPerElement, line: currentLine ?? 0))
            }
        } else if subsetIsWaiting, end > cur {
            // The internal subset, or the DOCTYPE before it still waiting for a `>`: libxml2
            // parses it all in one go once it is whole.
            if waitingSubset.start != start { waitingSubset = MarkupScan(start: start, scanned: start) }
            var pointer = cur + (waitingSubset.scanned - start)
            while pointer < end {
                if pointer.pointee == UInt8(ascii: "|") { waitingSubset.count += 1 }
                pointer += 1
            }
            waitingSubset.scanned = start + (end - cur)
            if waitingSubset.count > ExportReader.maxDTDAlternatives {
                fail(.tooManyDTDAlternatives(limit: ExportReader.maxDTDAlternatives, line: currentLine ?? 0))
            }
        }
    }

    /// Whether the document's first bytes keep ASCII as is: `<` (after a UTF-8 byte-order mark and
    /// blanks) followed by a byte that is not 0 — not UTF-16, UCS-4 or EBCDIC.
    static func startsASCIICompatible(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return index + 1 < bytes.count && bytes[index] == UInt8(ascii: "<") && bytes[index + 1] != 0
    }
}
