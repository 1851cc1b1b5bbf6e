#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an output file's bytes go while it is rendered: a file in the staging directory,
/// written through a buffer, or memory (for a file read back whole, as tests do). Renderers of
/// large files (`dossiers.csv`, the big tables) write here row by row, so a run never holds a
/// whole output file in memory.
public final class OutputWriter {
    private enum Target {
        case memory
        case file(descriptor: Int32, path: String)
    }

    private let target: Target
    private var buffer: [UInt8] = []
    private static let flushThreshold = 1 << 20

    /// Collects the bytes in memory (`bytes`).
    public init() {
        target = .memory
    }

    /// Creates (or truncates) the file at `path`.
    init(creating path: String) throws(EmitError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: FileSystem.describe(errno)) }
        target = .file(descriptor: fd, path: path)
        buffer.reserveCapacity(Self.flushThreshold)
    }

    deinit {
        if case .file(let fd, _) = target { close(fd) }
    }

    /// What was written, for a writer in memory.
    public var bytes: [UInt8] { buffer }

    public func write(_ bytes: some Sequence<UInt8>) throws(EmitError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    public func write(_ text: String) throws(EmitError) {
        try write(text.utf8)
    }

    /// Writes the buffer to the file (nothing for a writer in memory).
    public func flush() throws(EmitError) {
        guard case .file(let fd, let path) = target, !buffer.isEmpty else { return }
        var failure: Int32?
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
        if let failure {
            throw .cannotWrite(path: path, reason: FileSystem.describe(failure) + FileSystem.fileSizeLimitNote(failure))
        }
    }

    /// Flushes the buffer, then the file to disk (`fsync`).
    func finish() throws(EmitError) {
        try flush()
        guard case .file(let fd, let path) = target else { return }
        if fsync(fd) != 0 { throw .cannotWrite(path: path, reason: FileSystem.describe(errno)) }
    }
}

private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, bytes, count)
    #else
    Darwin.write(fd, bytes, count)
    #endif
}

/// One file of an output set: its name and how its bytes are produced — all at once for small
/// files, row by row into an `OutputWriter` for large ones.
public struct OutputFile: Sendable {
    /// Writes the file's bytes.
    public typealias Producer = @Sendable (OutputWriter) throws(EmitError) -> Void

    /// The file name inside the output directory.
    public var name: String
    let producer: Producer

    public init(name: String, contents: [UInt8]) {
        self.name = name
        producer = { writer throws(EmitError) in try writer.write(contents) }
    }

    public init(name: String, producer: @escaping Producer) {
        self.name = name
        self.producer = producer
    }

    /// Renders the file into `writer`.
    public func write(to writer: OutputWriter) throws(EmitError) {
        try producer(writer)
    }

    /// The whole file in memory (renders it again on every call).
    public var contents: [UInt8] {
        let writer = OutputWriter()
        // A writer in memory never fails; a producer may (e.g. a partial it streams from).
        try? producer(writer)
        return writer.bytes
    }
}
