import Crypto
import Foundation
import OneStopIngest

/// SHA-256 of the bytes a file was parsed from (`summary.json`): fed the chunks the reader reads,
/// so the hash and the figures always come from the same bytes, never from a second read that
/// may find the file changed.
///
/// Hashing runs at about 1.8 GB/s with the CPU's SHA instructions, libxml2 at about 0.3 GB/s.
/// When the run leaves a core idle, the reader's helper thread hashes each chunk as it reads it
/// (`ExportReader.read(observeRawBytesWhereRead:)`), beside the parse; otherwise the worker
/// hashes the chunks it reads.
final class FileHasher: @unchecked Sendable {
    // @unchecked: `add` is called by one thread at a time (the one reading the file), `finish`
    // after the read has returned (the reader joins its helper first).
    private var hasher = SHA256()

    init() {}

    /// The next bytes of the file.
    func add(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    /// The lower-case hex SHA-256. Call once.
    func finish() -> String {
        hex(hasher.finalize())
    }
}

/// The SHA-256 of a file read in pieces, from one more whole read of it, and the checksums that
/// prove the pieces parsed the same bytes (`FileSplit.parsedSameBytes`).
struct SplitFileHash: Sendable {
    var sha256: String
    /// The split's segment checksums; nil when the whole read found the file changed.
    var segmentChecksums: [UInt64]?
}

/// Reads a split file whole once: its SHA-256 and segment checksums.
func hashSplitFile(_ split: FileSplit) -> SplitFileHash {
    let hasher = FileHasher()
    do {
        let checksums = try split.readWhole { hasher.add($0) }
        return SplitFileHash(sha256: hasher.finish(), segmentChecksums: checksums)
    } catch {
        return SplitFileHash(sha256: "", segmentChecksums: nil)
    }
}

/// SHA-256 of the file at `path` as it is now, read in 1 MiB chunks ("" when it cannot be
/// opened; what was read when reading fails part-way): for a file that failed, so that
/// `summary.json` still tells which file it was.
func hashWholeFile(_ path: String) -> String {
    // Only a regular file: opening a named pipe would wait for a writer forever.
    var info = stat()
    guard LosslessPath.withFileSystemPath(path, { stat($0, &info) }) == 0, info.st_mode & S_IFMT == S_IFREG else {
        return ""
    }
    let fd = LosslessPath.withFileSystemPath(path) { open($0, O_RDONLY | O_CLOEXEC) }
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
