internal import CLibXML2
import OneStopModel

/// Streams one-stop-shop XML exports (plain or gzip) through libxml2's SAX2 push parser and
/// turns each record element into a `RawRecord` holding only the fields the dialect maps.
///
/// Memory does not grow with file size: the file is read in 256 KiB chunks, and only the text
/// of mapped elements and attributes is copied. A reader is immutable; `read` may be called
/// from several threads at once, each call with its own parser.
///
/// Safety (docs/contract.md §6, R8): no DTD or external entity is loaded, nothing touches the network,
/// and a DOCTYPE that declares an entity or names an external DTD fails the file before any
/// entity could expand. libxml2 prints nothing; its messages come back in `IngestError`.
public struct ExportReader: Sendable {
    /// Longest mapped value (element text or attribute) accepted, in UTF-8 bytes. A longer one
    /// fails the file: no field of a dossier record is legitimately that long. Unmapped text is
    /// skipped whatever its size.
    public static let maxValueBytes = 1 << 20

    /// Deepest element nesting accepted (libxml2's own default limit in its pull parser).
    public static let maxNestingDepth = 256

    /// Most supplement requests, and most attachments, one record may carry. A record is held
    /// in memory until its end tag, so without a bound one record could grow with the file.
    public static let maxGroupEntries = 10_000

    /// Most bytes of mapped values one record may hold, all fields and group entries together.
    /// The two limits above multiply (10 000 attachments of 1 MiB each): without this, one
    /// record of a small gzip file could fill memory.
    public static let maxRecordBytes = 4 << 20

    /// Most attributes one element may carry, namespace declarations and attributes defaulted
    /// by the DOCTYPE included. libxml2 2.9 checks a start tag's attributes for duplicates pair
    /// by pair: 200 000 attributes in one tag (a 1.5 MB file) took 10 s, 900 000 eight minutes.
    /// At this bound, a file made of nothing but such tags still parses at about 25 MB/s.
    public static let maxAttributesPerElement = 1_000

    /// Most namespace declarations in scope at once. libxml2 looks each element's prefix up
    /// through all of them, one by one: at this bound, a file of empty elements under 256
    /// namespaces still parses at about 20 MB/s.
    public static let maxNamespacesInScope = 256

    /// Most default attribute values the DOCTYPE may declare for one element name. libxml2 adds
    /// them to every such element, checking each against all the element's attributes: 256 of
    /// them made a 1 MB file of empty elements take 10 s.
    public static let maxAttributeDefaultsPerElement = 16

    /// Most `|` (alternatives of enumerations and content models) a DOCTYPE's internal subset may
    /// hold. libxml2 checks an enumeration's values for duplicates pair by pair, by string
    /// comparison: 40 000 values took 2.5 s.
    public static let maxDTDAlternatives = 1_000

    /// Longest comment, processing instruction or DOCTYPE (internal subset included) before the
    /// root element. libxml2 holds such markup whole before parsing it.
    public static let maxPrologMarkupBytes = 64 << 10

    /// Bytes read from disk per `read(2)`.
    static let chunkSize = 256 * 1024

    /// Bytes handed to the parser per `xmlParseChunk` (a chunk is fed in such parts). libxml2
    /// parses a start tag, or a DOCTYPE's internal subset, in one go once it is complete; between
    /// parts `ParseSession` counts what a tag or subset still waiting for its end holds, so that
    /// what libxml2 works through at once stays small. Costs under 0.2 % in instructions.
    static let feedSize = 16 * 1024

    /// The same before the root element: a whole internal subset then arrives in parts this small.
    static let prologFeedSize = 1024

    /// `chunkSize`, lowered only by tests and the fuzz target (Fuzz/), so that chunk and gzip
    /// member boundaries fall everywhere inside small inputs. At least 2: the gzip magic is
    /// looked for in the first chunk.
    var readSize = ExportReader.chunkSize

    let matcher: DialectMatcher

    /// Compiles the dialect's record, export-time, field and group paths into a path matcher,
    /// once. Names are matched on their local part; a `prefix:` in the dialect is ignored.
    public init(dialect: Dialect) {
        matcher = DialectMatcher(dialect: dialect)
    }

    /// Reads one export, plain or gzip (told apart by the gzip magic bytes, not the file
    /// name; multi-member gzip is read to its end), calling `onRecord` for each record in
    /// document order.
    ///
    /// The file is read once, up to the size it had when opened; a file written to, grown,
    /// shrunk, replaced or removed while it is read fails with `changedWhileReading` (also when
    /// the change made it unreadable in another way, e.g. cut off mid-record), so the records
    /// delivered always come from one version of the file, and the bytes the observers saw are
    /// exactly the bytes parsed.
    ///
    /// - Parameters:
    ///   - path: The file to read (see `LosslessPath` for names that are not UTF-8).
    ///   - readingAhead: Read (and inflate) the file on a helper thread, a few chunks ahead of
    ///     the parser. The outcome is the same either way; it is faster when a core would
    ///     otherwise idle, and only costs a thread switch per chunk when none does.
    ///   - observeRawBytes: Sees every byte read from disk, in order (the compressed bytes of a
    ///     gzip file). Called on the calling thread, also for the chunks of a file that then fails.
    ///   - observeRawBytesWhereRead: Sees the same bytes on the thread that reads them: the
    ///     helper when reading ahead, so that work on them (a hash) runs beside the parse.
    ///   - onRecord: Receives each record, in document order, as soon as its end tag is parsed.
    /// - Returns: The export time text, the record count and byte counts.
    /// - Throws: `IngestError` when the file cannot be read to its end as a well-formed export
    ///   of this dialect. Records already delivered belong to a failed file then: the caller
    ///   must drop them (R8).
    public func read(
        path: String,
        readingAhead: Bool = false,
        observeRawBytes: ((UnsafeRawBufferPointer) -> Void)? = nil,
        observeRawBytesWhereRead: (@Sendable (UnsafeRawBufferPointer) -> Void)? = nil,
        onRecord: (RawRecord) -> Void
    ) throws(IngestError) -> ExportFileSummary {
        try readViews(
            path: path, readingAhead: readingAhead, observeRawBytes: observeRawBytes,
            observeRawBytesWhereRead: observeRawBytesWhereRead
        ) {
            onRecord($0.makeRecord())
        }
    }

    /// `read(path:readingAhead:observeRawBytes:observeRawBytesWhereRead:onRecord:)` without
    /// copying: each record is lent to `onRecord` as a `RawRecordView` over the reader's
    /// buffers, valid only during that call. Nothing is allocated per record.
    public func readViews(
        path: String,
        readingAhead: Bool = false,
        observeRawBytes: ((UnsafeRawBufferPointer) -> Void)? = nil,
        observeRawBytesWhereRead: (@Sendable (UnsafeRawBufferPointer) -> Void)? = nil,
        onRecord: (RawRecordView) -> Void
    ) throws(IngestError) -> ExportFileSummary {
        try withoutActuallyEscaping(onRecord) { (onRecord) throws(IngestError) -> ExportFileSummary in
            try parse(
                path: path, readingAhead: readingAhead, observeRawBytes: observeRawBytes,
                observeRawBytesWhereRead: observeRawBytesWhereRead, sink: onRecord)
        }
    }

    private func parse(
        path: String,
        readingAhead: Bool,
        observeRawBytes: ((UnsafeRawBufferPointer) -> Void)?,
        observeRawBytesWhereRead: (@Sendable (UnsafeRawBufferPointer) -> Void)?,
        sink: @escaping (RawRecordView) -> Void
    ) throws(IngestError) -> ExportFileSummary {
        LibXML.initializeOnce()
        let file = try FileInput(path: path)
        let modified = file.snapshot.modified
        let source = ChunkSource(file: file, readSize: readSize)
        // Reading ahead only saves time: without a thread or buffers for it, read in line.
        let ahead = readingAhead
            ? try? ReadAhead(source, readSize: readSize, observeRawBytes: observeRawBytesWhereRead) : nil
        defer { ahead?.stop() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ahead == nil ? readSize : 0, alignment: 64)
        defer { buffer.deallocate() }
        func next() throws(IngestError) -> ChunkEvent {
            if let ahead { return try ahead.next() }
            let event = try source.next(into: buffer)
            switch event {
            case .plain(let bytes), .compressed(let bytes): observeRawBytesWhereRead?(bytes)
            default: break
            }
            return event
        }

        var bytesOnDisk: Int64 = 0
        var session: ParseSession?
        do throws(IngestError) {
            // The first event settles an empty file before a parser exists.
            var event = try next()
            let parser = try ParseSession(
                matcher: matcher, maxValueBytes: Self.maxValueBytes, maxDepth: Self.maxNestingDepth,
                maxGroupEntries: Self.maxGroupEntries)
            session = parser
            let previousErrorRouting = LibXML.routeThreadErrors(to: parser.opaque, handler: ParseSession.errorHandler)
            defer { LibXML.restoreThreadErrors(previousErrorRouting) }
            parser.sink = sink
            defer { parser.sink = nil }
            reading: while true {
                switch event {
                case .plain(let bytes):
                    observeRawBytes?(bytes)
                    bytesOnDisk += Int64(bytes.count)
                    try parser.feed(bytes)
                case .compressed(let bytes):
                    observeRawBytes?(bytes)
                    bytesOnDisk += Int64(bytes.count)
                case .inflated(let bytes):
                    try parser.feed(bytes)
                case .corrupt(let message):
                    throw .corruptGzip(message: message, line: parser.currentLine)
                case .truncated:
                    throw .truncatedGzip(line: parser.currentLine)
                case .end:
                    break reading
                }
                event = try next()
            }
            try parser.finish()
        } catch {
            // A file that changed under the reader fails as such, whatever the parser made of it.
            ahead?.stop()
            throw source.change(readToEnd: false) ?? error
        }
        ahead?.stop()
        if let change = source.change(readToEnd: true) { throw change }
        return ExportFileSummary(
            exportTime: session?.exportTime,
            records: session?.recordCount ?? 0,
            bytesOnDisk: bytesOnDisk,
            uncompressedBytes: session?.uncompressedBytes ?? 0,
            modificationTime: Instant(secondsSinceEpoch: modified))
    }
}
