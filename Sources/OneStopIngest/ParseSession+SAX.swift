import CLibXML2
import OneStopModel

/// The SAX2 callbacks. They run on the parsing thread inside `xmlParseChunk`; `ctx` is the
/// session. The hot path (elements and text the dialect does not map) only compares pointers
/// and counters: no Swift String is made for anything the dialect does not map.
extension ParseSession {
    static func makeHandler() -> xmlSAXHandler {
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = { ctx, localname, _, _, _, _, attributeCount, _, attributes in
            callbackSession(ctx).startElement(localname, attributeCount, attributes)
        }
        handler.endElementNs = { ctx, _, _, _ in
            callbackSession(ctx).endElement()
        }
        handler.characters = { ctx, bytes, length in
            callbackSession(ctx).text(bytes, length)
        }
        // Only reached for blanks when keepBlanks is off; kept for completeness.
        handler.ignorableWhitespace = { ctx, bytes, length in
            callbackSession(ctx).text(bytes, length)
        }
        handler.cdataBlock = { ctx, bytes, length in
            callbackSession(ctx).text(bytes, length)
        }
        // R8: a plain `<!DOCTYPE root>` passes; an external DTD or any entity fails the file.
        // Nothing registers entities (no xmlSAX2EntityDecl, no getEntity), so none can expand.
        handler.internalSubset = { ctx, _, externalID, systemID in
            guard externalID != nil || systemID != nil else { return }
            let session = callbackSession(ctx)
            session.fail(.externalDTD(line: session.currentLine ?? 0))
        }
        handler.entityDecl = { ctx, _, _, _, _, _ in
            let session = callbackSession(ctx)
            session.fail(.entityDeclaration(line: session.currentLine ?? 0))
        }
        handler.unparsedEntityDecl = { ctx, _, _, _, _ in
            let session = callbackSession(ctx)
            session.fail(.entityDeclaration(line: session.currentLine ?? 0))
        }
        handler.serror = errorHandler
        return handler
    }

    /// Structured errors from the parser (via the SAX handler) and, while a file is read, from
    /// context-free libxml2 code on this thread (via `LibXML.routeThreadErrors`).
    static let errorHandler: xmlStructuredErrorFunc = { ctx, error in
        guard let ctx, let error else { return }
        callbackSession(ctx).recordParserError(error)
    }

    // MARK: - Elements

    @inline(__always)
    func startElement(
        _ localname: UnsafePointer<xmlChar>?,
        _ attributeCount: Int32,
        _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        if skipDepth > 0 {
            skipDepth &+= 1
            return
        }
        let parent = Int(frames[frames.count - 1].node)
        if parent == 0 { sawRoot = true }
        var index = Int(childStart[parent])
        let end = Int(childStart[parent + 1])
        while index < end {
            if childNames[index] == localname {
                enter(Int(childNodes[index]), attributeCount, attributes)
                return
            }
            index &+= 1
        }
        if parent == 0 {
            let found = localname.map { String(cString: $0) } ?? ""
            fail(.wrongRoot(found: String(found.prefix(100)), expected: matcher.rootName, line: startTagLine()))
            return
        }
        skipDepth = 1
    }

    private func enter(
        _ node: Int,
        _ attributeCount: Int32,
        _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        let info = matcher.nodes[node]
        if info.isRecord {
            record = RawRecord(line: startTagLine())
        }
        if info.isSupplement {
            record?.supplements.append(Array(repeating: nil, count: SupplementField.allCases.count))
        }
        if info.isAttachment {
            record?.attachments.append(Array(repeating: nil, count: AttachmentField.allCases.count))
        }
        for capture in info.attributes where capture.targets.contains(where: isUnset) {
            guard let value = attributeValue(named: namePointers[capture.name], attributeCount, attributes) else {
                continue
            }
            guard value.count <= maxValueBytes else {
                fail(.valueTooLarge(element: "@" + matcher.names[capture.name], limit: maxValueBytes,
                                    line: startTagLine()))
                return
            }
            assign(Self.decodeAttribute(value), to: capture.targets)
        }
        let capturing = !info.textTargets.isEmpty && info.textTargets.contains(where: isUnset)
        frames.append(Frame(node: Int32(node), capturing: capturing))
        if capturing {
            let depth = frames.count - 1
            while texts.count <= depth { texts.append([]) }
            texts[depth].removeAll(keepingCapacity: true)
        }
    }

    @inline(__always)
    func endElement() {
        if skipDepth > 0 {
            skipDepth &-= 1
            return
        }
        guard frames.count > 1 else { return }
        let frame = frames.removeLast()
        let info = matcher.nodes[Int(frame.node)]
        if frame.capturing {
            assign(String(decoding: texts[frames.count], as: UTF8.self), to: info.textTargets)
        }
        if info.isRecord, let finished = record {
            pending.append(finished)
            record = nil
            recordCount += 1
        }
    }

    // MARK: - Text

    /// Appends the chunk to the innermost element's text when that element is mapped. libxml2
    /// delivers long text in many chunks; unmapped text of any size costs two comparisons.
    @inline(__always)
    func text(_ bytes: UnsafePointer<xmlChar>?, _ length: Int32) {
        guard skipDepth == 0 else { return }
        let depth = frames.count - 1
        guard frames[depth].capturing, let bytes else { return }
        let count = Int(length)
        guard texts[depth].count + count <= maxValueBytes else {
            let name = matcher.names[matcher.nodes[Int(frames[depth].node)].name]
            fail(.valueTooLarge(element: "<\(name)>", limit: maxValueBytes, line: currentLine ?? 0))
            return
        }
        texts[depth].append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
    }

    // MARK: - Values

    private func isUnset(_ target: DialectMatcher.Target) -> Bool {
        switch target {
        case .exportTime:
            return exportTime == nil
        case .field(let field):
            guard let record else { return false }
            return record.values[field.rawValue] == nil
        case .supplement(let field):
            guard let last = record?.supplements.last else { return false }
            return last[field.rawValue] == nil
        case .attachment(let field):
            guard let last = record?.attachments.last else { return false }
            return last[field.rawValue] == nil
        }
    }

    /// First occurrence wins: a target already holding a value keeps it.
    private func assign(_ value: String, to targets: [DialectMatcher.Target]) {
        for target in targets where isUnset(target) {
            switch target {
            case .exportTime:
                exportTime = value
            case .field(let field):
                record?.values[field.rawValue] = value
            case .supplement(let field):
                let last = record!.supplements.count - 1
                record?.supplements[last][field.rawValue] = value
            case .attachment(let field):
                let last = record!.attachments.count - 1
                record?.attachments[last][field.rawValue] = value
            }
        }
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

    /// With entity substitution off, libxml2 hands `&amp;` (and `&#38;`) in attribute values
    /// over as the five bytes `&#38;`; every other reference arrives decoded. Since no entity
    /// can be declared, each `&` in a value starts such a sequence.
    static func decodeAttribute(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let ampersand = UInt8(ascii: "&")
        guard bytes.contains(ampersand) else { return String(decoding: bytes, as: UTF8.self) }
        let escape = Array("&#38;".utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == ampersand, index + escape.count <= bytes.count,
               bytes[index..<index + escape.count].elementsEqual(escape) {
                decoded.append(ampersand)
                index += escape.count
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }
}

/// The session behind a callback's `ctx` (the context's userData): alive for the whole parse.
@inline(__always)
private func callbackSession(_ ctx: UnsafeMutableRawPointer?) -> ParseSession {
    Unmanaged<ParseSession>.fromOpaque(ctx!).takeUnretainedValue()
}
