internal import CLibXML2
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
import OneStopModel

/// The SAX2 callbacks. They run on the parsing thread inside `xmlParseChunk`; `ctx` is the
/// session. The hot path (elements and text the dialect does not map) only compares pointers
/// and counters: no Swift String is made for anything the dialect does not map.
extension ParseSession {
    static func makeHandler() -> xmlSAXHandler {
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        // The declaration's encoding is known here, before any record: an unreliable decoder
        // fails the file before a single record is delivered.
        handler.startDocument = { ctx in
            withSession(ctx) { if !$0.encodingChecked { $0.checkEncoding() } }
        }
        handler.startElementNs = { ctx, localname, _, _, namespaceCount, _, attributeCount, _, attributes in
            withSession(ctx) { $0.startElement(localname, namespaceCount, attributeCount, attributes) }
        }
        handler.endElementNs = { ctx, _, _, _ in
            withSession(ctx) { $0.endElement() }
        }
        // Off until a mapped element opens (see `deliverText`).
        handler.characters = nil
        handler.ignorableWhitespace = nil
        handler.cdataBlock = { ctx, bytes, length in
            withSession(ctx) { $0.text(bytes, length) }
        }
        // R8: a plain `<!DOCTYPE root>` passes; an external DTD or any entity fails the file.
        // Nothing registers entities (no xmlSAX2EntityDecl, no getEntity), so none can expand.
        handler.internalSubset = { ctx, _, externalID, systemID in
            guard externalID != nil || systemID != nil else { return }
            withSession(ctx) { $0.fail(.externalDTD(line: $0.currentLine ?? 0)) }
        }
        handler.entityDecl = { ctx, _, _, _, _, _ in
            withSession(ctx) { $0.fail(.entityDeclaration(line: $0.currentLine ?? 0)) }
        }
        handler.unparsedEntityDecl = { ctx, _, _, _, _ in
            withSession(ctx) { $0.fail(.entityDeclaration(line: $0.currentLine ?? 0)) }
        }
        // libxml2 adds a declared default to every element of that name, checking it against
        // all the element's attributes: their number is bounded per element name. The handler
        // owns the enumeration libxml2 parsed.
        handler.attributeDecl = { ctx, element, _, _, kind, defaultValue, enumeration in
            if let enumeration { xmlFreeEnumeration(enumeration) }
            guard let element, defaultValue != nil, kind != Int32(XML_ATTRIBUTE_IMPLIED.rawValue),
                  kind != Int32(XML_ATTRIBUTE_REQUIRED.rawValue)
            else { return }
            withSession(ctx) { $0.countAttributeDefault(for: String(cString: element)) }
        }
        handler.serror = errorHandler
        return handler
    }

    /// Character data, while `deliverText` has it on.
    static let textHandler: charactersSAXFunc = { ctx, bytes, length in
        withSession(ctx) { $0.text(bytes, length) }
    }

    /// Turns libxml2's text callback on while the innermost open element's text is wanted and off
    /// otherwise: the whitespace between elements and unmapped text then cost no call at all.
    /// `ignorableWhitespace` stays the same function as `characters`, so libxml2 never has to
    /// tell blanks apart (areBlanks). The context owns a copy of the handler, so this is per parse.
    @inline(__always)
    func deliverText(_ wanted: Bool) {
        guard wanted != deliveringText else { return }
        deliveringText = wanted
        let handler = wanted ? Self.textHandler : nil
        context.pointee.sax.pointee.characters = handler
        context.pointee.sax.pointee.ignorableWhitespace = handler
    }

    /// Structured errors from the parser (via the SAX handler) and, while a file is read, from
    /// context-free libxml2 code on this thread (via `LibXML.routeThreadErrors`).
    static let errorHandler: xmlStructuredErrorFunc = { ctx, error in
        guard let ctx, let error else { return }
        withSession(ctx) { $0.recordParserError(error) }
    }

    // MARK: - Elements

    @inline(__always)
    func startElement(
        _ localname: UnsafePointer<xmlChar>?,
        _ namespaceCount: Int32,
        _ attributeCount: Int32,
        _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        if Int(attributeCount &+ namespaceCount) > ExportReader.maxAttributesPerElement {
            return fail(.tooManyAttributes(limit: ExportReader.maxAttributesPerElement, line: startTagLine()))
        }
        if namespaceCount > 0, Int(context.pointee.nsNr) > 2 * ExportReader.maxNamespacesInScope {
            return fail(.tooManyNamespaces(limit: ExportReader.maxNamespacesInScope, line: startTagLine()))
        }
        if watchedOffset != Int.max, streamPosition >= watchedOffset, reachedWatchedOffset(localname) {
            return
        }
        if skipDepth > 0 {
            skipDepth &+= 1
            // Matched frames are bounded by the trie; only unmatched nesting can run away.
            if top &+ skipDepth > maxDepth {
                fail(.nestingTooDeep(limit: maxDepth, line: startTagLine()))
            }
            return
        }
        let parent = Int(frameNodes[top])
        // Records repeat the same elements: remember (parent, name) → child for each name seen,
        // so most start tags cost one probe instead of a scan of the parent's children.
        let slot = ParseSession.lookupSlot(localname, parent)
        if lookupName[slot] == localname && lookupParent[slot] == Int32(truncatingIfNeeded: parent) {
            let child = Int(lookupChild[slot])
            if child >= 0 {
                enter(child, attributeCount, attributes)
            } else {
                skipDepth = 1
            }
            return
        }
        var index = Int(trie.childStart[parent])
        let end = Int(trie.childStart[parent &+ 1])
        while index < end {
            if trie.childName[index] == localname {
                let child = Int(trie.childNode[index])
                remember(slot, localname, parent, child)
                enter(child, attributeCount, attributes)
                return
            }
            index &+= 1
        }
        if parent == 0 {
            sawRoot = true
            let found = localname.map { String(cString: $0) } ?? ""
            fail(.wrongRoot(found: String(found.prefix(100)), expected: matcher.rootName, line: startTagLine()))
            return
        }
        remember(slot, localname, parent, -1)
        skipDepth = 1
    }

    @inline(__always)
    private func remember(_ slot: Int, _ name: UnsafePointer<xmlChar>?, _ parent: Int, _ child: Int) {
        lookupName[slot] = name
        lookupParent[slot] = Int32(truncatingIfNeeded: parent)
        lookupChild[slot] = Int32(truncatingIfNeeded: child)
    }

    private func enter(
        _ node: Int,
        _ attributeCount: Int32,
        _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        if top == 0 { sawRoot = true }
        let flags = trie.flags[node]
        if flags != 0 {
            if flags & FlatTrie.Flag.record != 0 {
                recordLine = startTagLine()
                inRecord = true
                filledFields = 0
                valueCount = 0
                fieldRanges.update(repeating: .absent, count: CanonicalField.allCases.count)
                supplementEntries = 0
                attachmentEntries = 0
                inSupplement = false
                inAttachment = false
            }
            if flags & FlatTrie.Flag.supplement != 0, inRecord {
                guard supplementEntries < maxGroupEntries else { return failTooManyEntries(node) }
                supplementRanges = Self.appendEntry(
                    supplementRanges, &supplementCapacity, entries: supplementEntries, width: Self.supplementFieldCount)
                supplementEntries &+= 1
                inSupplement = true
                filledSupplement = 0
            }
            if flags & FlatTrie.Flag.attachment != 0, inRecord {
                guard attachmentEntries < maxGroupEntries else { return failTooManyEntries(node) }
                attachmentRanges = Self.appendEntry(
                    attachmentRanges, &attachmentCapacity, entries: attachmentEntries, width: Self.attachmentFieldCount)
                attachmentEntries &+= 1
                inAttachment = true
                filledAttachment = 0
            }
        }
        var capture = Int(trie.captureStart[node])
        let captureEnd = Int(trie.captureEnd[node])
        while capture < captureEnd {
            defer { capture &+= 1 }
            let first = Int(trie.captureTargetStart[capture])
            let last = Int(trie.captureTargetEnd[capture])
            guard anyUnset(first, last),
                  let value = attributeValue(named: trie.captureName[capture], attributeCount, attributes)
            else { continue }
            guard value.count <= maxValueBytes else {
                let name = matcher.names[Int(trie.captureNameIndex[capture])]
                fail(.valueTooLarge(element: "@" + name, limit: maxValueBytes, line: startTagLine()))
                return
            }
            assign(storeAttribute(value), first, last)
        }
        top &+= 1
        frameNodes[top] = Int32(node)
        let first = Int(trie.textStart[node])
        let last = Int(trie.textEnd[node])
        let wanted = first < last && anyUnset(first, last)
        frameTextStart[top] = wanted ? textCount : -1
        deliverText(wanted)
    }

    func countAttributeDefault(for element: String) {
        attributeDefaults[element, default: 0] += 1
        if attributeDefaults[element]! > ExportReader.maxAttributeDefaultsPerElement {
            fail(.tooManyAttributeDefaults(
                element: String(element.prefix(100)), limit: ExportReader.maxAttributeDefaultsPerElement,
                line: currentLine ?? 0))
        }
    }

    private func failTooManyEntries(_ node: Int) {
        let name = matcher.names[matcher.nodes[node].name]
        fail(.tooManyGroupEntries(element: "<\(name)>", limit: maxGroupEntries, line: startTagLine()))
    }

    @inline(__always)
    func endElement() {
        if skipDepth > 0 {
            skipDepth &-= 1
            return
        }
        guard top > 0 else { return }
        let node = Int(frameNodes[top])
        let start = frameTextStart[top]
        top &-= 1
        deliverText(frameTextStart[top] >= 0)
        if start >= 0 {
            let value = storeValue(UnsafeBufferPointer(start: textBytes + start, count: textCount &- start))
            textCount = start
            assign(value, Int(trie.textStart[node]), Int(trie.textEnd[node]))
        }
        if trie.flags[node] & FlatTrie.Flag.record != 0, inRecord {
            inRecord = false
            recordCount &+= 1
            let view = RawRecordView(
                line: recordLine, bytes: valueBytes, fields: fieldRanges,
                supplements: supplementRanges, supplementCount: supplementEntries,
                attachments: attachmentRanges, attachmentCount: attachmentEntries)
            sink?(view)
        }
    }

    /// Appends one group entry of `width` absent ranges, growing the buffer when full.
    private static func appendEntry(
        _ ranges: UnsafeMutablePointer<RawValueRange>, _ capacity: inout Int, entries: Int, width: Int
    ) -> UnsafeMutablePointer<RawValueRange> {
        var ranges = ranges
        let used = entries &* width
        if used &+ width > capacity {
            let grown = UnsafeMutablePointer<RawValueRange>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: ranges, count: used)
            ranges.deallocate()
            ranges = grown
            capacity *= 2
        }
        (ranges + used).initialize(repeating: .absent, count: width)
        return ranges
    }

    // MARK: - Text

    /// Appends the chunk to the innermost element's text when that element is mapped. libxml2
    /// delivers long text in many chunks; unmapped text of any size costs two comparisons.
    @inline(__always)
    func text(_ bytes: UnsafePointer<xmlChar>?, _ length: Int32) {
        guard skipDepth == 0 else { return }
        let start = frameTextStart[top]
        guard start >= 0, let bytes else { return }
        let count = Int(length)
        guard textCount &- start &+ count <= maxValueBytes else {
            let name = matcher.names[matcher.nodes[Int(frameNodes[top])].name]
            fail(.valueTooLarge(element: "<\(name)>", limit: maxValueBytes, line: currentLine ?? 0))
            return
        }
        if textCount &+ count > textCapacity {
            growText(to: textCount &+ count)
        }
        copyBytes(to: textBytes + textCount, from: bytes, count: count)
        textCount &+= count
    }

    private func growText(to needed: Int) {
        var capacity = textCapacity
        while capacity < needed { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: textBytes, count: textCount)
        textBytes.deallocate()
        textBytes = grown
        textCapacity = capacity
    }

    // MARK: - Values

    /// Whether any of `trie.targets[first ..< last]` still has no value.
    private func anyUnset(_ first: Int, _ last: Int) -> Bool {
        var index = first
        while index < last {
            if isUnset(trie.targets[index]) { return true }
            index &+= 1
        }
        return false
    }

    /// Reads bit masks only: looking into `record` here copied it (retain/release of its
    /// arrays) and took 7 % of the parse in profiles.
    @inline(__always)
    private func isUnset(_ target: DialectMatcher.Target) -> Bool {
        switch target {
        case .exportTime:
            return exportTime == nil
        case .field(let field):
            return inRecord && filledFields & (1 << field.rawValue) == 0
        case .supplement(let field):
            return inSupplement && filledSupplement & (1 << field.rawValue) == 0
        case .attachment(let field):
            return inAttachment && filledAttachment & (1 << field.rawValue) == 0
        }
    }

    /// Gives `value` (a range of `valueBytes`) to the targets `trie.targets[first ..< last]`
    /// that have none yet: the first occurrence of a field wins.
    private func assign(_ value: RawValueRange, _ first: Int, _ last: Int) {
        // A record is held until its end tag: bound the bytes of its mapped values (hostile input).
        if inRecord, valueCount > maxRecordBytes {
            fail(.recordTooLarge(limit: maxRecordBytes, line: recordLine))
            return
        }
        var index = first
        while index < last {
            defer { index &+= 1 }
            let target = trie.targets[index]
            guard isUnset(target) else { continue }
            switch target {
            case .exportTime:
                exportTime = String(
                    decoding: UnsafeBufferPointer(start: valueBytes + value.start, count: value.count), as: UTF8.self)
            case .field(let field):
                fieldRanges[field.rawValue] = value
                filledFields |= 1 << field.rawValue
            case .supplement(let field):
                supplementRanges[(supplementEntries &- 1) &* Self.supplementFieldCount &+ field.rawValue] = value
                filledSupplement |= 1 << field.rawValue
            case .attachment(let field):
                attachmentRanges[(attachmentEntries &- 1) &* Self.attachmentFieldCount &+ field.rawValue] = value
                filledAttachment |= 1 << field.rawValue
            }
        }
    }

    /// Room for `count` more bytes in `valueBytes`.
    @inline(__always)
    private func reserveValue(_ count: Int) {
        guard valueCount &+ count > valueCapacity else { return }
        var capacity = valueCapacity
        while capacity < valueCount &+ count { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: valueBytes, count: valueCount)
        valueBytes.deallocate()
        valueBytes = grown
        valueCapacity = capacity
    }

    /// Copies element text into `valueBytes`. Outside a record (the export time) the bytes are
    /// kept too, until the next record starts.
    @inline(__always)
    private func storeValue(_ bytes: UnsafeBufferPointer<UInt8>) -> RawValueRange {
        reserveValue(bytes.count)
        let start = valueCount
        if let base = bytes.baseAddress { copyBytes(to: valueBytes + start, from: base, count: bytes.count) }
        valueCount &+= bytes.count
        return RawValueRange(start: start, count: bytes.count)
    }

    /// With entity substitution off, libxml2 hands `&amp;` (and `&#38;`) in attribute values
    /// over as the five bytes `&#38;`; every other reference arrives decoded. Since no entity
    /// can be declared, each `&` in a value starts such a sequence. Copies the decoded value
    /// into `valueBytes`.
    private func storeAttribute(_ bytes: UnsafeBufferPointer<UInt8>) -> RawValueRange {
        let ampersand = UInt8(ascii: "&")
        guard let base = bytes.baseAddress, memchr(base, Int32(ampersand), bytes.count) != nil else {
            return storeValue(bytes)
        }
        reserveValue(bytes.count)
        let start = valueCount
        let escape: (UInt8, UInt8, UInt8, UInt8, UInt8) = (ampersand, 0x23, 0x33, 0x38, 0x3B)  // "&#38;"
        var index = 0
        while index < bytes.count {
            if bytes[index] == ampersand, index + 5 <= bytes.count, bytes[index + 1] == escape.1,
               bytes[index + 2] == escape.2, bytes[index + 3] == escape.3, bytes[index + 4] == escape.4 {
                valueBytes[valueCount] = ampersand
                index += 5
            } else {
                valueBytes[valueCount] = bytes[index]
                index += 1
            }
            valueCount &+= 1
        }
        return RawValueRange(start: start, count: valueCount &- start)
    }

    /// SAX2 passes attributes as (localname, prefix, URI, value, end) quintuples; the value is
    /// the byte range value ..< end.
    private func attributeValue(
        named name: UnsafePointer<xmlChar>?,
        _ count: Int32,
        _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) -> UnsafeBufferPointer<UInt8>? {
        guard let attributes, let name else { return nil }
        for index in 0..<Int(count) where attributes[5 * index] == name {
            guard let start = attributes[5 * index + 3], let end = attributes[5 * index + 4] else { return nil }
            return UnsafeBufferPointer(start: start, count: end - start)
        }
        return nil
    }
}

/// Copies a short value (most are under 16 bytes) without a call into libc.
@inline(__always)
private func copyBytes(to target: UnsafeMutablePointer<UInt8>, from source: UnsafePointer<UInt8>, count: Int) {
    if count <= 16 {
        let to = UnsafeMutableRawPointer(target)
        let from = UnsafeRawPointer(source)
        if count >= 8 {
            let head = from.loadUnaligned(as: UInt64.self)
            let tail = from.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            to.storeBytes(of: head, as: UInt64.self)
            to.storeBytes(of: tail, toByteOffset: count &- 8, as: UInt64.self)
        } else {
            var index = 0
            while index < count {
                target[index] = source[index]
                index &+= 1
            }
        }
    } else {
        target.update(from: source, count: count)
    }
}

/// Runs `body` on the session behind a callback's `ctx` (the context's userData), which the
/// read keeps alive for the whole parse: no retain/release per event.
@inline(__always)
private func withSession(_ ctx: UnsafeMutableRawPointer?, _ body: (ParseSession) -> Void) {
    Unmanaged<ParseSession>.fromOpaque(ctx!)._withUnsafeGuaranteedRef(body)
}
