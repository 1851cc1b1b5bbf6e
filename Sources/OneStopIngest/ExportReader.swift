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
    ///   - observeRawBytes: Sees every byte read from disk, in order (the compressed bytes of a
    ///     gzip file), so the caller can hash the file in the same pass. Called also for the
    ///     chunks of a file that then fails.
    ///   - onRecord: Receives each record, in document order, as soon as its end tag is parsed.
    /// - Returns: The export time text, the record count and byte counts.
    /// - Throws: `IngestError` when the file cannot be read to its end as a well-formed export
    ///   of this dialect. Records already delivered belong to a failed file then: the caller
    ///   must drop them (R8).
    public func read(
        path: String,
        observeRawBytes: ((UnsafeRawBufferPointer) -> Void)? = nil,
        onRecord: (RawRecord) -> Void
    ) throws(IngestError) -> ExportFileSummary {
        try readViews(path: path, observeRawBytes: observeRawBytes) { onRecord($0.makeRecord()) }
    }

    /// `read(path:observeRawBytes:onRecord:)` without copying: each record is lent to
    /// `onRecord` as a `RawRecordView` over the reader's buffers, valid only during that call.
    /// Nothing is allocated per record.
    public func readViews(
        path: String,
        observeRawBytes: ((UnsafeRawBufferPointer) -> Void)? = nil,
        onRecord: (RawRecordView) -> Void
    ) throws(IngestError) -> ExportFileSummary {
        try withoutActuallyEscaping(onRecord) { (onRecord) throws(IngestError) -> ExportFileSummary in
            try parse(path: path, observeRawBytes: observeRawBytes, sink: onRecord)
        }
    }

    private func parse(
        path: String,
        observeRawBytes: ((UnsafeRawBufferPointer) -> Void)?,
        sink: @escaping (RawRecordView) -> Void
    ) throws(IngestError) -> ExportFileSummary {
        LibXML.initializeOnce()
        let file = try FileInput(path: path)
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 64)
        defer { raw.deallocate() }

        var count = try file.readChunk(into: raw)
        guard count > 0 else { throw .empty }
        let isGzip = count >= 2 && raw[0] == 0x1F && raw[1] == 0x8B

        let session = try ParseSession(
            matcher: matcher, maxValueBytes: Self.maxValueBytes, maxDepth: Self.maxNestingDepth,
            maxGroupEntries: Self.maxGroupEntries)
        let previousErrorRouting = LibXML.routeThreadErrors(to: session.opaque, handler: ParseSession.errorHandler)
        defer { LibXML.restoreThreadErrors(previousErrorRouting) }
        session.sink = sink
        defer { session.sink = nil }

        var inflater: GzipInflater?
        var inflated = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        if isGzip {
            let gzip = GzipInflater()
            guard gzip.start() else { throw .readFailed(reason: "zlib could not start (out of memory)") }
            inflater = gzip
            inflated = .allocate(byteCount: readSize, alignment: 64)
        }
        defer { inflated.deallocate() }

        var bytesOnDisk: Int64 = 0
        while count > 0 {
            let chunk = UnsafeRawBufferPointer(rebasing: raw[..<count])
            observeRawBytes?(chunk)
            bytesOnDisk += Int64(count)
            if let inflater {
                inflater.setInput(chunk)
                inflating: while true {
                    switch inflater.inflate(into: inflated) {
                    case .output(let produced):
                        try session.feed(UnsafeRawBufferPointer(rebasing: inflated[..<produced]))
                    case .needInput:
                        break inflating
                    case .corrupt(let message):
                        throw .corruptGzip(message: message, line: session.currentLine)
                    }
                }
            } else {
                try session.feed(chunk)
            }
            count = try file.readChunk(into: raw)
        }
        if let inflater, !inflater.atMemberEnd {
            throw .truncatedGzip(line: session.currentLine)
        }
        try session.finish()
        return ExportFileSummary(
            exportTime: session.exportTime,
            records: session.recordCount,
            bytesOnDisk: bytesOnDisk,
            uncompressedBytes: session.uncompressedBytes)
    }
}
