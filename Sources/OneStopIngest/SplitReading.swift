internal import CLibXML2
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
import OneStopModel

/// A plain export cut into pieces at record start tags, so that several workers can parse one
/// large file at once with the figures, reject lines and verdict of a sequential read.
///
/// How: the file's prefix — every byte before the first record's start tag (XML declaration,
/// DOCTYPE, root start tag with its namespaces and export time, header elements) — is found by a
/// short sequential parse. Each piece after the first is parsed as that prefix followed by the
/// file from its start offset, so its parser is in the state a sequential read would be in at
/// that offset. Piece starts are found by a byte search for the record's start tag near evenly
/// spaced offsets; a byte search cannot tell a tag from the same bytes inside a comment or a
/// CDATA section, so each piece is *verified* by the piece before it: that parser reads on past
/// the next piece's start until its first start tag there, which must be a record's beginning
/// exactly at that offset. If it is not, the piece before simply reads on to the following
/// start and the unverified piece is dropped. `assemble` chains the verified pieces and their
/// line numbers (each parser counts lines from the prefix; the verifying parser knows the true
/// line of the next piece's first tag).
///
/// Only plain UTF-8 files are split (a gzip stream cannot be entered in the middle; a file in
/// another encoding is converted by libxml2, so stream offsets are not file offsets). When any
/// piece it needs fails, the caller reads the file sequentially for the exact verdict.
///
/// The file must not change from the plan to the last read: each piece checks the file's
/// snapshot (`FileSnapshot`) when it opens the file and when it is done, and reports an xxHash64
/// checksum of each segment (the bytes from one start to the next) it parsed. The caller reads
/// the whole file once more for its SHA-256 (`readWhole`), which yields the same checksums, so
/// it can prove that the pieces parsed the very bytes hashed (`parsedSameBytes`).
public struct FileSplit: Sendable {
    public let path: String
    public let size: Int64
    /// The file when it was planned.
    public let snapshot: FileSnapshot
    /// The bytes before the first record's start tag.
    let prefix: [UInt8]
    /// Line of the first record's start tag: also where every later piece's first tag falls in
    /// its own line count.
    let firstRecordLine: Int
    /// File offset where each piece starts: 0, then candidate record start tags, ascending.
    public let starts: [Int64]

    public var pieceCount: Int { starts.count }
}

/// What reading one piece found.
public struct PieceOutcome: Sendable, Equatable {
    /// Records delivered (their start tags lie in this piece).
    public var records: Int
    public var exportTime: String?
    /// The piece ended at a record start tag exactly at `starts[endedAt]`; nil when it read to
    /// the end of the file.
    public var endedAt: Int?
    /// That start tag's line as this piece's parser counted it.
    var endLine: Int
    /// Bytes of the file this piece read (its own range, and what it read past it to verify).
    public var bytesRead: Int64
    /// xxHash64 of each segment the piece parsed: from its own start to `endedAt` (or the end).
    public var checksums: [UInt64]
}

/// How one piece's records fit in the file.
public struct PieceUse: Sendable, Equatable {
    public var piece: Int
    /// Add to the lines of the piece's records.
    public var lineDelta: Int
    /// Records of the file before this piece's first record.
    public var recordOffset: Int
}

extension FileSplit {
    /// The pieces whose records make up the file, in order; nil when a piece needed is missing
    /// or failed (`outcomes[i]` nil), so the file must be read sequentially.
    public func assemble(_ outcomes: [PieceOutcome?]) -> [PieceUse]? {
        guard outcomes.count == pieceCount else { return nil }
        var uses: [PieceUse] = []
        var piece = 0
        var delta = 0
        var offset = 0
        while true {
            guard let outcome = outcomes[piece] else { return nil }
            uses.append(PieceUse(piece: piece, lineDelta: delta, recordOffset: offset))
            offset += outcome.records
            guard let next = outcome.endedAt else { return uses }
            guard next > piece, next < pieceCount else { return nil }
            // The verifying parser saw the next piece's first tag at `endLine` (shifted by its own
            // delta); the next piece's parser counts that tag at `firstRecordLine`.
            delta = outcome.endLine + delta - firstRecordLine
            piece = next
        }
    }

    /// Whether the pieces `uses` (from `assemble`) parsed exactly the bytes whose segment
    /// checksums `readWhole` returned.
    public func parsedSameBytes(_ outcomes: [PieceOutcome?], _ uses: [PieceUse], as whole: [UInt64]) -> Bool {
        guard whole.count == pieceCount else { return false }
        for use in uses {
            guard let outcome = outcomes[use.piece] else { return false }
            let segments = (outcome.endedAt ?? pieceCount) - use.piece
            guard outcome.checksums.count == segments,
                  outcome.checksums == Array(whole[use.piece ..< use.piece + segments])
            else { return false }
        }
        return true
    }

    /// Reads the whole file once, in order, checking that it is the file that was planned and
    /// that it does not change meanwhile: `observe` sees every byte (to hash them), the result is
    /// the xxHash64 of each segment (for `parsedSameBytes`).
    public func readWhole(observe: (UnsafeRawBufferPointer) -> Void) throws(IngestError) -> [UInt64] {
        var file = try FileInput(path: path)
        if let change = snapshot.change(to: file.snapshot) { throw .changedWhileReading(how: change) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var checksums = SegmentChecksums(self, from: 0)
        var offset: Int64 = 0
        while true {
            let count = try file.readChunk(into: buffer)
            if count == 0 { break }
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[..<count])
            observe(bytes)
            // The prefix the pieces replayed was read when the file was planned.
            if offset < Int64(prefix.count) {
                let overlap = min(count, prefix.count - Int(offset))
                let same = prefix.withUnsafeBytes {
                    memcmp($0.baseAddress! + Int(offset), bytes.baseAddress!, overlap) == 0
                }
                if !same { throw .changedWhileReading(how: "its first bytes changed") }
            }
            checksums.add(bytes, at: offset)
            offset += Int64(count)
        }
        if let change = file.change(readToEnd: true) { throw change }
        guard checksums.completed.count == pieceCount else {
            throw .changedWhileReading(how: "it ended before its \(size) bytes")
        }
        return checksums.completed
    }

    /// The file offset where segment `index` ends: the next start, or the end of the file.
    func end(ofSegment index: Int) -> Int64 {
        index + 1 < starts.count ? starts[index + 1] : size
    }
}

/// The xxHash64 of each segment of a split file, from bytes given in file order.
struct SegmentChecksums {
    private let split: FileSplit
    private var segment: Int
    private var checksum = XXHash64()
    /// Checksums of the segments read whole, from the first segment on.
    private(set) var completed: [UInt64] = []

    init(_ split: FileSplit, from segment: Int) {
        self.split = split
        self.segment = segment
    }

    /// The next bytes, which start at file offset `offset`.
    mutating func add(_ bytes: UnsafeRawBufferPointer, at offset: Int64) {
        var position = 0
        while position < bytes.count, segment < split.pieceCount {
            let end = split.end(ofSegment: segment)
            let take = Int(min(Int64(bytes.count - position), end - (offset + Int64(position))))
            checksum.update(UnsafeRawBufferPointer(rebasing: bytes[position ..< position + take]))
            position += take
            if offset + Int64(position) == end {
                completed.append(checksum.finalize())
                checksum = XXHash64()
                segment += 1
            }
        }
    }
}

extension ExportReader {
    /// Plans reading a plain file in about `pieces` pieces of at least `minimumPieceBytes`
    /// each; nil when the file is not worth or not fit for splitting (gzip, small, not UTF-8,
    /// no record near the start, unreadable or not well-formed before its first record — the
    /// sequential read reports those).
    public func split(path: String, pieces: Int, minimumPieceBytes: Int64 = 32 << 20) -> FileSplit? {
        guard pieces > 1 else { return nil }
        let fd = LosslessPath.withFileSystemPath(path) { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int64(info.st_size)
        let count = Int(min(Int64(pieces), size / max(minimumPieceBytes, 1)))
        guard count > 1 else { return nil }
        var magic: (UInt8, UInt8) = (0, 0)
        guard pread(fd, &magic, 2, 0) == 2, magic != (0x1F, 0x8B) else { return nil }

        guard let probe = try? probeFirstRecord(fd: fd, limit: min(size, 8 << 20)) else { return nil }
        let prefixLength = probe.offset
        var prefix = [UInt8](repeating: 0, count: prefixLength)
        guard prefix.withUnsafeMutableBytes({ readFully(fd, $0, at: 0) }) else { return nil }
        // The start tag's qualified name, as the file writes it: `<` name, then a delimiter.
        var head = [UInt8](repeating: 0, count: 256)
        let headCount = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 256, off_t(prefixLength)) }
        guard headCount > 1, head[0] == UInt8(ascii: "<") else { return nil }
        var nameEnd = 1
        while nameEnd < headCount, !Self.isTagDelimiter(head[nameEnd]) { nameEnd += 1 }
        guard nameEnd < headCount else { return nil }
        let pattern = Array(head[0..<nameEnd])

        var starts: [Int64] = [0]
        for piece in 1..<count {
            let target = max(size * Int64(piece) / Int64(count), Int64(prefixLength) + 1, starts.last! + 1)
            let limit = size * Int64(piece + 1) / Int64(count)
            guard let found = Self.find(pattern, fd: fd, from: target, before: limit) else { continue }
            starts.append(found)
        }
        guard starts.count > 1 else { return nil }
        return FileSplit(
            path: path, size: size, snapshot: FileSnapshot(info), prefix: prefix, firstRecordLine: probe.line,
            starts: starts)
    }

    private static func isTagDelimiter(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "/")
    }

    /// The first offset in `from ..< before` where `pattern` followed by a tag delimiter starts.
    private static func find(_ pattern: [UInt8], fd: Int32, from start: Int64, before end: Int64) -> Int64? {
        let window = 1 << 16
        var buffer = [UInt8](repeating: 0, count: window + pattern.count + 1)
        var position = start
        while position < end {
            let wanted = min(buffer.count, Int(end - position) + pattern.count + 1)
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, wanted, off_t(position)) }
            guard got > pattern.count else { return nil }
            var index = 0
            while index + pattern.count < got {
                if buffer[index] == pattern[0], position + Int64(index) < end {
                    var matches = true
                    for offset in 1..<pattern.count where buffer[index + offset] != pattern[offset] {
                        matches = false
                        break
                    }
                    if matches, isTagDelimiter(buffer[index + pattern.count]) { return position + Int64(index) }
                }
                index += 1
            }
            position += Int64(got - pattern.count)
        }
        return nil
    }

    private func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> Bool {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n > 0 {
                done += n
            } else if n == 0 || errno != EINTR {
                return false
            }
        }
        return true
    }

    /// Parses the start of the file until the first record's start tag: its offset and line.
    private func probeFirstRecord(fd: Int32, limit: Int64) throws(IngestError) -> (offset: Int, line: Int) {
        LibXML.initializeOnce()
        let session = try ParseSession(
            matcher: matcher, maxValueBytes: Self.maxValueBytes, maxDepth: Self.maxNestingDepth,
            maxGroupEntries: Self.maxGroupEntries)
        let previousErrorRouting = LibXML.routeThreadErrors(to: session.opaque, handler: ParseSession.errorHandler)
        defer { LibXML.restoreThreadErrors(previousErrorRouting) }
        session.probing = true
        session.watchedOffset = 0
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 64)
        defer { raw.deallocate() }
        var offset: Int64 = 0
        while offset < limit, session.stoppedAt == nil {
            let got = pread(fd, raw.baseAddress, min(raw.count, Int(limit - offset)), off_t(offset))
            guard got > 0 else { throw .readFailed(reason: "short read") }
            try session.feed(UnsafeRawBufferPointer(rebasing: raw[..<got]))
            offset += Int64(got)
        }
        // libxml2 converts any other encoding to UTF-8, and then stream offsets are not file offsets.
        guard let stop = session.stoppedAt, session.context.pointee.input?.pointee.buf?.pointee.encoder == nil
        else { throw .readFailed(reason: "no record start found, or not UTF-8") }
        return (stop.offset, stop.line)
    }

    /// Reads piece `index` of `split`, calling `onRecord` for each record whose start tag lies in
    /// it, in document order (records carry lines as this piece counts them: see `PieceUse`).
    /// Throws when the piece cannot be parsed; the caller then reads the file sequentially.
    public func readPiece(
        _ split: FileSplit, _ index: Int, onRecord: (RawRecordView) -> Void
    ) throws(IngestError) -> PieceOutcome {
        try withoutActuallyEscaping(onRecord) { (onRecord) throws(IngestError) -> PieceOutcome in
            try parsePiece(split, index, sink: onRecord)
        }
    }

    private func parsePiece(
        _ split: FileSplit, _ index: Int, sink: @escaping (RawRecordView) -> Void
    ) throws(IngestError) -> PieceOutcome {
        LibXML.initializeOnce()
        var file = try FileInput(path: split.path)
        if let change = split.snapshot.change(to: file.snapshot) { throw .changedWhileReading(how: change) }
        let session = try ParseSession(
            matcher: matcher, maxValueBytes: Self.maxValueBytes, maxDepth: Self.maxNestingDepth,
            maxGroupEntries: Self.maxGroupEntries)
        let previousErrorRouting = LibXML.routeThreadErrors(to: session.opaque, handler: ParseSession.errorHandler)
        defer { LibXML.restoreThreadErrors(previousErrorRouting) }
        if index > 0 {
            // Replayed without records: the prefix ends before the first record's start tag.
            var failure: IngestError?
            split.prefix.withUnsafeBytes { bytes in
                do throws(IngestError) { try session.feed(bytes) } catch { failure = error }
            }
            if let failure { throw failure }
        }
        session.streamBase = index > 0 ? split.prefix.count : 0
        session.fileBase = split.starts[index]
        session.boundaries = split.starts
        session.boundaryIndex = index + 1
        session.watchedOffset = index + 1 < split.starts.count
            ? session.streamOffset(ofFileOffset: split.starts[index + 1]) : Int.max
        session.sink = sink
        defer { session.sink = nil }

        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 64)
        defer { raw.deallocate() }
        var offset = split.starts[index]
        var bytesRead: Int64 = 0
        var checksums = SegmentChecksums(split, from: index)
        while session.stoppedAt == nil {
            let count = try file.readChunk(into: raw, at: offset)
            if count == 0 { break }
            let bytes = UnsafeRawBufferPointer(rebasing: raw[..<count])
            checksums.add(bytes, at: offset)
            try session.feed(bytes)
            offset += Int64(count)
            bytesRead += Int64(count)
        }
        if session.stoppedAt == nil { try session.finish() }
        if let change = file.change(readToEnd: false) { throw change }
        let endedAt = session.stoppedAt?.boundary
        let parsed = (endedAt ?? split.pieceCount) - index
        guard checksums.completed.count >= parsed else {
            throw .changedWhileReading(how: "it ended before its \(split.size) bytes")
        }
        return PieceOutcome(
            records: session.recordCount, exportTime: session.exportTime,
            endedAt: endedAt, endLine: session.stoppedAt?.line ?? 0, bytesRead: bytesRead,
            checksums: Array(checksums.completed.prefix(parsed)))
    }
}
