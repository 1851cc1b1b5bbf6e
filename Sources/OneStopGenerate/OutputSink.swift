internal import CLibXML2
import Foundation

/// Where an export file's bytes go: straight to disk, or through zlib's deflate into a gzip
/// file. Bytes arrive in pieces of about a megabyte; a file is never held in memory.
protocol OutputSink: AnyObject {
    /// Writes `bytes` (uncompressed).
    func write(_ bytes: UnsafeRawBufferPointer) throws(GenerationError)
    /// Flushes and closes the file. Returns its size on disk.
    func finish() throws(GenerationError) -> Int64
}

/// Creates the file and writes with `write(2)`.
final class FileSink: OutputSink {
    let path: String
    private var descriptor: Int32
    private(set) var bytesWritten: Int64 = 0

    init(path: String) throws(GenerationError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(GenerationError) {
        guard var base = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = Foundation.write(descriptor, base, left)
            if written < 0 {
                if errno == EINTR { continue }
                throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
            left -= written
            base += written
            bytesWritten += Int64(written)
        }
    }

    func finish() throws(GenerationError) -> Int64 {
        let result = close(descriptor)
        descriptor = -1
        guard result == 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        return bytesWritten
    }
}

/// Compresses into a gzip file (one member, no file name, modification time 0, so equal
/// input gives equal bytes), at zlib's default level, as export tools do.
final class GzipSink: OutputSink {
    private let file: FileSink
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableRawBufferPointer
    private var open = false

    init(path: String, level: Int32 = Z_DEFAULT_COMPRESSION) throws(GenerationError) {
        file = try FileSink(path: path)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(byteCount: 256 * 1024, alignment: 16)
        // windowBits 15 + 16: a gzip wrapper; memLevel 8 is zlib's default.
        let rc = deflateInit2_(
            stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else { throw .cannotWrite(path: path, reason: "zlib could not start (\(rc))") }
        open = true
    }

    deinit {
        if open { deflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(GenerationError) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(bytes.count)
        try pump(flush: Z_NO_FLUSH)
    }

    func finish() throws(GenerationError) -> Int64 {
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        try pump(flush: Z_FINISH)
        deflateEnd(stream)
        open = false
        return try file.finish()
    }

    private func pump(flush: Int32) throws(GenerationError) {
        repeat {
            stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(output.count)
            let rc = deflate(stream, flush)
            guard rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR else {
                throw .cannotWrite(path: file.path, reason: "zlib error \(rc)")
            }
            let produced = output.count - Int(stream.pointee.avail_out)
            if produced > 0 { try file.write(UnsafeRawBufferPointer(rebasing: output[..<produced])) }
            if flush == Z_FINISH, rc == Z_STREAM_END { return }
        } while stream.pointee.avail_out == 0 || (flush == Z_FINISH)
    }
}
