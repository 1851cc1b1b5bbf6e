import Crypto
import Foundation

/// SHA-256 of a file's bytes on disk (`summary.json`).
///
/// Hashing runs at about 1.8 GB/s with the CPU's SHA instructions, libxml2 at about 0.3 GB/s:
/// done by the parsing worker, the hash takes a sixth of its time. When the run leaves a core
/// idle (fewer workers than cores), a helper thread reads the file a second time — from the
/// page cache the parse is filling, or filling it ahead of the parse — and hashes it while the
/// worker parses; the worker then does no hashing at all. With as many workers as cores a
/// helper would only compete with them, so the worker hashes the chunks it reads.
final class FileHasher: @unchecked Sendable {
    // @unchecked: inline, only the calling thread touches `inline`; in the background, `digest`
    // is written by the helper before `done.signal()` and read after `done.wait()`.
    private var inline: SHA256?
    private let done = DispatchSemaphore(value: 0)
    private var digest = ""

    /// Hashes the chunks given to `add`.
    init() {
        inline = SHA256()
    }

    /// Hashes the file at `path` on a helper thread, starting now; `add` does nothing.
    init(readingInBackground path: String) {
        inline = nil
        let thread = Thread { [self] in
            digest = hashWholeFile(path)
            done.signal()
        }
        thread.name = "onestop-sha256"
        thread.start()
    }

    /// The next bytes of the file (inline mode).
    func add(_ bytes: UnsafeRawBufferPointer) {
        inline?.update(bufferPointer: bytes)
    }

    /// The lower-case hex SHA-256 (waits for the helper). Call once.
    func finish() -> String {
        if let inline { return hex(inline.finalize()) }
        done.wait()
        return digest
    }
}

/// SHA-256 of the file at `path`, read in 1 MiB chunks ("" when it cannot be opened; what was
/// read when reading fails part-way).
func hashWholeFile(_ path: String) -> String {
    // Only a regular file: opening a named pipe would wait for a writer forever.
    var info = stat()
    guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return "" }
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
    defer { buffer.deallocate() }
    var hasher = SHA256()
    while true {
        let count = read(fd, buffer.baseAddress, buffer.count)
        if count > 0 {
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        } else if count == 0 {
            break
        } else if errno != EINTR {
            break
        }
    }
    return hex(hasher.finalize())
}

func hex(_ digest: SHA256.Digest) -> String {
    digest.map { byte in
        let text = String(byte, radix: 16)
        return byte < 16 ? "0" + text : text
    }.joined()
}
