#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// What a file was when it was opened: which file (device, inode), its size and its times. Any
/// write changes the modification and status-change times, so a file whose snapshot is the same
/// before and after a read was not written to in between.
public struct FileSnapshot: Sendable, Equatable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    /// Modification time, seconds and nanoseconds since the epoch.
    public var modified: Int64
    var modifiedNanoseconds: Int64
    /// Status-change time: set by every write, and unlike the modification time it cannot be
    /// set back by the writer (`rsync --inplace` restores the modification time at its end).
    var changed: Int64
    var changedNanoseconds: Int64

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
        changed = Int64(info.st_ctim.tv_sec)
        changedNanoseconds = Int64(info.st_ctim.tv_nsec)
    }

    /// What differs between this snapshot, taken first, and `later`, in words; nil when nothing does.
    func change(to later: FileSnapshot) -> String? {
        if later.device != device || later.inode != inode { return "its name now leads to another file" }
        if later.size != size { return "its size went from \(size) to \(later.size) bytes" }
        if later.modified != modified || later.modifiedNanoseconds != modifiedNanoseconds
            || later.changed != changed || later.changedNanoseconds != changedNanoseconds
        {
            return "it was written to"
        }
        return nil
    }
}

/// A file read with `read(2)` in caller-sized chunks; nothing is buffered beyond one chunk.
///
/// Reads stop at the size the file had when it was opened, so a file that keeps growing cannot
/// keep a run reading; `change(readToEnd:)` then tells whether the file was written to, grew,
/// shrank or was replaced while it was read.
struct FileInput: ~Copyable {
    private let descriptor: Int32
    let path: String
    /// The file as it was opened.
    let snapshot: FileSnapshot
    /// Bytes read sequentially so far.
    private var offset: Int64 = 0
    /// A read found the end of the file before the size it had when opened.
    private var endedEarly = false
    private var paused = false

    /// Opens a regular file (a symbolic link to one is fine). Anything else fails: a named pipe
    /// with no writer would block the run forever, a device could stream without end.
    init(path: String) throws(IngestError) {
        // Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer.
        let fd = LosslessPath.withFileSystemPath(path) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
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
        self.path = path
        snapshot = FileSnapshot(info)
    }

    deinit {
        close(descriptor)
    }

    /// Fills `buffer` as far as the file allows, never past the size it had when opened; returns
    /// the byte count, 0 at its end.
    mutating func readChunk(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        let wanted = Int(min(Int64(buffer.count), snapshot.size - offset))
        var filled = 0
        while filled < wanted {
            let n = read(descriptor, base + filled, wanted - filled)
            if n > 0 {
                filled += n
            } else if n == 0 {
                endedEarly = true
                break
            } else if errno != EINTR {
                throw .readFailed(reason: Self.lastError())
            }
        }
        offset += Int64(filled)
        pauseForTests()
        return filled
    }

    /// Fills `buffer` from file offset `offset` as far as the file allows, never past
    /// `snapshot.size` (pread: the file position is not used); returns the byte count, 0 at the end.
    mutating func readChunk(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(IngestError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        let wanted = Int(max(0, min(Int64(buffer.count), snapshot.size - offset)))
        var filled = 0
        while filled < wanted {
            let n = pread(descriptor, base + filled, wanted - filled, off_t(offset) + off_t(filled))
            if n > 0 {
                filled += n
            } else if n == 0 {
                endedEarly = true
                break
            } else if errno != EINTR {
                throw .readFailed(reason: Self.lastError())
            }
        }
        pauseForTests()
        return filled
    }

    /// How the file changed since it was opened, as a failure; nil when it did not. Compares the
    /// snapshot with what the path names now, then with the open file now; `readToEnd`: the
    /// sequential reads reached the snapshot's size, which must have been all of the file.
    func change(readToEnd: Bool) -> IngestError? {
        var named = stat()
        guard LosslessPath.withFileSystemPath(path, { stat($0, &named) }) == 0 else {
            return .changedWhileReading(how: "it was removed or renamed")
        }
        if UInt64(named.st_dev) != snapshot.device || UInt64(named.st_ino) != snapshot.inode {
            return .changedWhileReading(how: "it was replaced by another file")
        }
        var now = stat()
        guard fstat(descriptor, &now) == 0 else { return .changedWhileReading(how: "it can no longer be examined") }
        if let change = snapshot.change(to: FileSnapshot(now)) { return .changedWhileReading(how: change) }
        if endedEarly || (readToEnd && offset != snapshot.size) {
            return .changedWhileReading(how: "it ended before its \(snapshot.size) bytes")
        }
        return nil
    }

    /// For tests only: with `ONESTOP_TEST_PAUSE_AFTER_FIRST_CHUNK_MS=n` in the environment, the
    /// first read of every opened file is followed by a pause of n ms, so that a test can change
    /// the file while it is being read.
    static let testPause: UInt32? = getenv("ONESTOP_TEST_PAUSE_AFTER_FIRST_CHUNK_MS").flatMap {
        UInt32(String(cString: $0))
    }

    private mutating func pauseForTests() {
        guard let pause = Self.testPause, !paused else { return }
        paused = true
        usleep(pause * 1000)
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
