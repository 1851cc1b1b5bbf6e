internal import CLibXML2
import OneStopModel

/// Streams one-stop-shop XML exports (plain or gzip) through libxml2's SAX2 push parser and
/// turns each record element into a `RawRecord` holding only the fields the dialect maps.
///
/// Memory does not grow with file size: the file is read in 256 KiB chunks, and only the text
/// of mapped elements and attributes is copied. A reader is immutable; `read` may be called
/// from several threads at once, each call with its own parser.
///
/// Safety (SPEC §6, R8): no DTD or external entity is loaded, nothing touches the network,
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

    /// Bytes read from disk per `read(2)`, and handed to the parser per `xmlParseChunk`.
    static let chunkSize = 256 * 1024

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
    /// - Parameters:
    ///   - path: The file to read.
    ///   - readingAhead: Read (and inflate) the file on a helper thread, a few chunks ahead of
    ///     the parser. The outcome is the same either way; it is faster when a core would
    ///     otherwise idle, and only costs a thread switch per chunk when none does.
    ///   - observeRawBytes: Sees every byte read from disk, in order (the compressed bytes of a
    ///     gzip file), so the caller can hash the file in the same pass. Called on the calling
    ///     thread, also for the chunks of a file that then fails.
    ///   - onRecord: Receives each record, in document order, as soon as its end tag is parsed.
    /// - Returns: The export time text, the record count and byte counts.
    /// - Throws: `IngestError` when the file cannot be read to its end as a well-formed export
    ///   of this dialect. Records already delivered belong to a failed file then: the caller
    ///   must drop them (R8).
    public func read(
        path: String,
        readingAhead: Bool = false,
        observeRawBytes: ((UnsafeRawBufferPointer) -> Void)? = nil,
        onRecord: (RawRecord) -> Void
    ) throws(IngestError) -> ExportFileSummary {
        try readViews(path: path, readingAhead: readingAhead, observeRawBytes: observeRawBytes) {
            onRecord($0.makeRecord())
        }
    }

    /// `read(path:readingAhead:observeRawBytes:onRecord:)` without copying: each record is lent
    /// to `onRecord` as a `RawRecordView` over the reader's buffers, valid only during that call.
    /// Nothing is allocated per record.
    public func readViews(
        path: String,
        readingAhead: Bool = false,
        observeRawBytes: ((UnsafeRawBufferPointer) -> Void)? = nil,
        onRecord: (RawRecordView) -> Void
    ) throws(IngestError) -> ExportFileSummary {
        try withoutActuallyEscaping(onRecord) { (onRecord) throws(IngestError) -> ExportFileSummary in
            try parse(path: path, readingAhead: readingAhead, observeRawBytes: observeRawBytes, sink: onRecord)
        }
    }

    private func parse(
        path: String,
        readingAhead: Bool,
        observeRawBytes: ((UnsafeRawBufferPointer) -> Void)?,
        sink: @escaping (RawRecordView) -> Void
    ) throws(IngestError) -> ExportFileSummary {
        LibXML.initializeOnce()
        let source = ChunkSource(file: try FileInput(path: path), readSize: readSize)
        // Reading ahead only saves time: without a thread or buffers for it, read in line.
        let ahead = readingAhead ? try? ReadAhead(source, readSize: readSize) : nil
        defer { ahead?.stop() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ahead == nil ? readSize : 0, alignment: 64)
        defer { buffer.deallocate() }
        func next() throws(IngestError) -> ChunkEvent {
            if let ahead { return try ahead.next() }
            return try source.next(into: buffer)
        }

        // The first event settles an empty file before a parser exists.
        var event = try next()
        let session = try ParseSession(
            matcher: matcher, maxValueBytes: Self.maxValueBytes, maxDepth: Self.maxNestingDepth,
            maxGroupEntries: Self.maxGroupEntries)
        let previousErrorRouting = LibXML.routeThreadErrors(to: session.opaque, handler: ParseSession.errorHandler)
        defer { LibXML.restoreThreadErrors(previousErrorRouting) }
        session.sink = sink
        defer { session.sink = nil }

        var bytesOnDisk: Int64 = 0
        reading: while true {
            switch event {
            case .plain(let bytes):
                observeRawBytes?(bytes)
                bytesOnDisk += Int64(bytes.count)
                try session.feed(bytes)
            case .compressed(let bytes):
                observeRawBytes?(bytes)
                bytesOnDisk += Int64(bytes.count)
            case .inflated(let bytes):
                try session.feed(bytes)
            case .corrupt(let message):
                throw .corruptGzip(message: message, line: session.currentLine)
            case .truncated:
                throw .truncatedGzip(line: session.currentLine)
            case .end:
                break reading
            }
            event = try next()
        }
        try session.finish()
        return ExportFileSummary(
            exportTime: session.exportTime,
            records: session.recordCount,
            bytesOnDisk: bytesOnDisk,
            uncompressedBytes: session.uncompressedBytes)
    }
}
