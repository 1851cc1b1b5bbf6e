#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A file read with `read(2)` in caller-sized chunks; nothing is buffered beyond one chunk.
struct FileInput: ~Copyable {
    private let descriptor: Int32

    init(path: String) throws(IngestError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(reason: Self.lastError()) }
        descriptor = fd
    }

    deinit {
        close(descriptor)
    }

    /// Fills `buffer` as far as the file allows; returns the byte count, 0 at end of file.
    func readChunk(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var filled = 0
        while filled < buffer.count {
            let n = read(descriptor, base + filled, buffer.count - filled)
            if n > 0 {
                filled += n
            } else if n == 0 {
                break
            } else if errno != EINTR {
                throw .readFailed(reason: Self.lastError())
            }
        }
        return filled
    }

    /// Fills `buffer` from file offset `offset` as far as the file allows (pread: the file
    /// position is not used); returns the byte count, 0 at end of file.
    func readChunk(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(IngestError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var filled = 0
        while filled < buffer.count {
            let n = pread(descriptor, base + filled, buffer.count - filled, off_t(offset) + off_t(filled))
            if n > 0 {
                filled += n
            } else if n == 0 {
                break
            } else if errno != EINTR {
                throw .readFailed(reason: Self.lastError())
            }
        }
        return filled
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
