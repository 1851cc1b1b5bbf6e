#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A file read with `read(2)` in caller-sized chunks; nothing is buffered beyond one chunk.
struct FileInput: ~Copyable {
    private let descriptor: Int32

    /// Opens a regular file (a symbolic link to one is fine). Anything else fails: a named pipe
    /// with no writer would block the run forever, a device could stream without end.
    init(path: String) throws(IngestError) {
        // Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw .cannotOpen(reason: Self.lastError()) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = Self.lastError()
            close(fd)
            throw .cannotOpen(reason: reason)
        }
        let kind: String? = switch info.st_mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "a directory"
        case S_IFIFO: "a named pipe (FIFO)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "not a file"
        }
        if let kind {
            close(fd)
            throw .readFailed(reason: "it is \(kind), not a regular file")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
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
