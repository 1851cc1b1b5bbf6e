/// What reading an export yields next, in file order. The bytes are valid until the next event
/// is asked for.
enum ChunkEvent {
    /// Bytes of a plain file, as read from disk: seen by the raw-byte observer, then parsed.
    case plain(UnsafeRawBufferPointer)
    /// Bytes of a gzip file, as read from disk: seen by the raw-byte observer only.
    case compressed(UnsafeRawBufferPointer)
    /// Bytes inflated from a gzip file: parsed.
    case inflated(UnsafeRawBufferPointer)
    /// zlib found the gzip stream damaged (its message).
    case corrupt(String)
    /// The file ended inside a gzip member.
    case truncated
    /// The file ended where it may.
    case end
}

/// Reads one export in `readSize` chunks and, for a gzip file (told by its magic bytes, not its
/// name; multi-member aware), inflates it into pieces of at most `readSize` bytes.
///
/// Each call to `next(into:)` does one step: one `read(2)` or one `inflate` call. Plain bytes
/// and inflated bytes land in the buffer the caller passes, so a caller reading ahead on
/// another thread can hand out one buffer per event without copying.
final class ChunkSource {
    private var file: FileInput
    private let readSize: Int
    /// Gzip only: the compressed chunk being inflated.
    private var compressed: UnsafeMutableRawBufferPointer?
    private var inflater: GzipInflater?
    /// A compressed chunk is set as zlib's input and may still yield output.
    private var inflating = false
    private var started = false

    /// - Parameter file: the open file, read from its current position (its start).
    init(file: consuming FileInput, readSize: Int) {
        self.file = file
        self.readSize = readSize
    }

    deinit {
        compressed?.deallocate()
    }

    /// The next step of the read. `buffer` must hold `readSize` bytes.
    ///
    /// - Throws: `.empty` for a file of 0 bytes, `.readFailed` when `read(2)` fails or zlib
    ///   cannot start.
    func next(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> ChunkEvent {
        let buffer = UnsafeMutableRawBufferPointer(rebasing: buffer[..<readSize])
        guard started else { return try first(into: buffer) }
        guard let inflater, let compressed else {
            let count = try file.readChunk(into: buffer)
            return count > 0 ? .plain(UnsafeRawBufferPointer(rebasing: buffer[..<count])) : .end
        }
        if inflating {
            switch inflater.inflate(into: buffer) {
            case .output(let produced):
                return .inflated(UnsafeRawBufferPointer(rebasing: buffer[..<produced]))
            case .needInput:
                inflating = false
            case .corrupt(let message):
                return .corrupt(message)
            }
        }
        let count = try file.readChunk(into: compressed)
        guard count > 0 else { return inflater.atMemberEnd ? .end : .truncated }
        let chunk = UnsafeRawBufferPointer(rebasing: compressed[..<count])
        inflater.setInput(chunk)
        inflating = true
        return .compressed(chunk)
    }

    /// How the file changed since it was opened, as a failure; nil when it did not (see
    /// `FileInput.change(readToEnd:)`). Not while a `ReadAhead` reads this source.
    func change(readToEnd: Bool) -> IngestError? {
        file.change(readToEnd: readToEnd)
    }

    /// Reads the first chunk and tells gzip from plain by its first two bytes.
    private func first(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> ChunkEvent {
        started = true
        let count = try file.readChunk(into: buffer)
        guard count > 0 else { throw .empty }
        let chunk = UnsafeRawBufferPointer(rebasing: buffer[..<count])
        guard count >= 2, chunk[0] == 0x1F, chunk[1] == 0x8B else { return .plain(chunk) }
        let gzip = GzipInflater()
        guard gzip.start() else { throw .readFailed(reason: "zlib could not start (out of memory)") }
        inflater = gzip
        let compressed = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 64)
        self.compressed = compressed
        compressed.copyMemory(from: chunk)
        let own = UnsafeRawBufferPointer(rebasing: compressed[..<count])
        gzip.setInput(own)
        inflating = true
        return .compressed(own)
    }
}
