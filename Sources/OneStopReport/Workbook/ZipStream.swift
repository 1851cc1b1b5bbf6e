internal import CLibXML2
import OneStopEmit

/// A zip archive written front to back into an `OutputWriter`, one deflated entry at a time,
/// without holding an entry or the archive in memory: each entry's CRC-32 and sizes follow its
/// data in a data descriptor (general purpose flag bit 3), and the central directory is written
/// at the end. ZIP64 records are added only where a size or offset does not fit in 32 bits.
///
/// ZIPFoundation's writer needs a seekable file (or keeps the archive in memory) and each entry's
/// size before its first byte; a sheet streamed from the dossier store offers neither, hence this.
/// Every entry carries the same modification time, so equal contents give equal bytes.
final class ZipStream {
    /// The zip (MS-DOS) time of every entry: 1980-01-01 00:00:00, the earliest it can hold.
    static let dosTime: UInt16 = 0
    static let dosDate: UInt16 = (1 << 5) | 1
    /// Sizes and offsets at or above this are written as ZIP64; lowered only by tests.
    let zip64Threshold: UInt64

    private struct CentralRecord {
        var path: [UInt8]
        var crc: UInt32
        var compressed: UInt64
        var uncompressed: UInt64
        var offset: UInt64
    }

    private let writer: OutputWriter
    /// The file name errors name.
    private let name: String
    private var offset: UInt64 = 0
    private var records: [CentralRecord] = []

    init(writer: OutputWriter, name: String, zip64Threshold: UInt64 = 0xFFFF_FFFF) {
        self.writer = writer
        self.name = name
        self.zip64Threshold = zip64Threshold
    }

    /// Adds an entry whose bytes `body` writes into the sink it is given, deflated as they come.
    func addEntry(_ path: String, _ body: (ZipEntrySink) throws(EmitError) -> Void) throws(EmitError) {
        let pathBytes = Array(path.utf8)
        let start = offset
        var header = ZipBytes()
        header.uint32(0x0403_4B50)
        header.uint16(20)  // version needed: 2.0 (deflate)
        header.uint16(0x0008)  // sizes and CRC in the data descriptor
        header.uint16(8)  // deflate
        header.uint16(Self.dosTime)
        header.uint16(Self.dosDate)
        header.uint32(0)
        header.uint32(0)
        header.uint32(0)
        header.uint16(UInt16(pathBytes.count))
        header.uint16(0)
        header.bytes += pathBytes
        try emit(header.bytes)

        let sink = try ZipEntrySink(name: name) { [self] (compressed) throws(EmitError) in try emit(compressed) }
        try body(sink)
        try sink.finish()

        let isZip64 = sink.uncompressedSize >= zip64Threshold || sink.compressedSize >= zip64Threshold
        var descriptor = ZipBytes()
        descriptor.uint32(0x0807_4B50)
        descriptor.uint32(sink.crc)
        if isZip64 {
            descriptor.uint64(sink.compressedSize)
            descriptor.uint64(sink.uncompressedSize)
        } else {
            descriptor.uint32(UInt32(sink.compressedSize))
            descriptor.uint32(UInt32(sink.uncompressedSize))
        }
        try emit(descriptor.bytes)
        records.append(CentralRecord(
            path: pathBytes, crc: sink.crc, compressed: sink.compressedSize, uncompressed: sink.uncompressedSize,
            offset: start))
    }

    /// Adds an entry holding `text`.
    func addEntry(_ path: String, text: String) throws(EmitError) {
        try addEntry(path) { sink throws(EmitError) in try sink.write(text) }
    }

    /// Writes the central directory and the end records. The archive is complete after this.
    func finish() throws(EmitError) {
        let directoryStart = offset
        for record in records {
            var extra = ZipBytes()
            let bigUncompressed = record.uncompressed >= zip64Threshold
            let bigCompressed = record.compressed >= zip64Threshold
            let bigOffset = record.offset >= zip64Threshold
            if bigUncompressed || bigCompressed || bigOffset {
                var fields = ZipBytes()
                if bigUncompressed { fields.uint64(record.uncompressed) }
                if bigCompressed { fields.uint64(record.compressed) }
                if bigOffset { fields.uint64(record.offset) }
                extra.uint16(0x0001)
                extra.uint16(UInt16(fields.bytes.count))
                extra.bytes += fields.bytes
            }
            let version: UInt16 = extra.bytes.isEmpty ? 20 : 45
            var entry = ZipBytes()
            entry.uint32(0x0201_4B50)
            entry.uint16((3 << 8) | version)  // made by: Unix, so the external attributes hold permissions
            entry.uint16(version)
            entry.uint16(0x0008)
            entry.uint16(8)
            entry.uint16(Self.dosTime)
            entry.uint16(Self.dosDate)
            entry.uint32(record.crc)
            entry.uint32(bigCompressed ? 0xFFFF_FFFF : UInt32(record.compressed))
            entry.uint32(bigUncompressed ? 0xFFFF_FFFF : UInt32(record.uncompressed))
            entry.uint16(UInt16(record.path.count))
            entry.uint16(UInt16(extra.bytes.count))
            entry.uint16(0)  // comment
            entry.uint16(0)  // disk
            entry.uint16(0)  // internal attributes
            entry.uint32(UInt32(0o100644) << 16)  // a regular file, rw-r--r--
            entry.uint32(bigOffset ? 0xFFFF_FFFF : UInt32(record.offset))
            entry.bytes += record.path + extra.bytes
            try emit(entry.bytes)
        }
        let directorySize = offset - directoryStart
        let count = UInt64(records.count)
        var end = ZipBytes()
        if directoryStart >= zip64Threshold || directorySize >= zip64Threshold || count >= 0xFFFF {
            let zip64End = offset
            end.uint32(0x0606_4B50)
            end.uint64(44)  // the record's size after this field
            end.uint16((3 << 8) | 45)
            end.uint16(45)
            end.uint32(0)
            end.uint32(0)
            end.uint64(count)
            end.uint64(count)
            end.uint64(directorySize)
            end.uint64(directoryStart)
            end.uint32(0x0706_4B50)  // locator
            end.uint32(0)
            end.uint64(zip64End)
            end.uint32(1)
        }
        end.uint32(0x0605_4B50)
        end.uint16(0)
        end.uint16(0)
        end.uint16(UInt16(min(count, 0xFFFF)))
        end.uint16(UInt16(min(count, 0xFFFF)))
        end.uint32(UInt32(min(directorySize, 0xFFFF_FFFF)))
        end.uint32(UInt32(min(directoryStart, 0xFFFF_FFFF)))
        end.uint16(0)
        try emit(end.bytes)
    }

    private func emit(_ bytes: [UInt8]) throws(EmitError) {
        try writer.write(bytes)
        offset += UInt64(bytes.count)
    }
}

/// Where an entry's bytes go: gathered into a buffer, deflated when it fills, the compressed
/// bytes handed on. Holds at most a buffer of input and one of output.
final class ZipEntrySink {
    static let bufferSize = 1 << 16

    private let name: String
    private let output: (_ compressed: [UInt8]) throws(EmitError) -> Void
    /// zlib keeps a pointer back to the stream, so it must not move: it lives on the heap.
    private let stream: UnsafeMutablePointer<z_stream>
    private var buffer: [UInt8] = []
    private var outputBuffer: [UInt8]
    private(set) var crc: UInt32 = 0
    private(set) var uncompressedSize: UInt64 = 0
    private(set) var compressedSize: UInt64 = 0

    init(name: String, output: @escaping (_ compressed: [UInt8]) throws(EmitError) -> Void) throws(EmitError) {
        // zlib is started before any property is set, so a failure leaves nothing for deinit.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // Raw deflate (negative window bits: no zlib header), as zip entries hold it. Level 3:
        // on sheet XML a tenth larger than zlib's default 6, and three times as fast (a workbook
        // of 200,000 agencies holds 1.7 GB of XML). Fixed, so the bytes do not depend on zlib's
        // defaults.
        let status = deflateInit2_(stream, 3, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                                   Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw .cannotWrite(path: name, reason: "zlib could not start deflating (status \(status))")
        }
        self.stream = stream
        self.name = name
        self.output = output
        outputBuffer = [UInt8](repeating: 0, count: Self.bufferSize)
        buffer.reserveCapacity(Self.bufferSize + 4096)
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    func write(_ text: String) throws(EmitError) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.bufferSize { try drain(finishing: false) }
    }

    /// Lets `build` append bytes to the entry in place, sparing an intermediate string.
    func append(_ build: (inout [UInt8]) -> Void) throws(EmitError) {
        build(&buffer)
        if buffer.count >= Self.bufferSize { try drain(finishing: false) }
    }

    /// Deflates what is left and ends the stream.
    func finish() throws(EmitError) {
        try drain(finishing: true)
    }

    private func drain(finishing: Bool) throws(EmitError) {
        uncompressedSize += UInt64(buffer.count)
        var status: Int32 = Z_OK
        var produced: [[UInt8]] = []
        buffer.withUnsafeMutableBufferPointer { input in
            if input.count > 0 {
                crc = UInt32(crc32(uLong(crc), input.baseAddress, uInt(input.count)))
            }
            stream.pointee.next_in = input.baseAddress
            stream.pointee.avail_in = uInt(input.count)
            repeat {
                let count = outputBuffer.count
                outputBuffer.withUnsafeMutableBufferPointer { out in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = uInt(count)
                    status = deflate(stream, finishing ? Z_FINISH : Z_NO_FLUSH)
                }
                let written = count - Int(stream.pointee.avail_out)
                if written > 0 { produced.append(Array(outputBuffer[0..<written])) }
                if status == Z_STREAM_ERROR { break }
            } while stream.pointee.avail_out == 0 || (finishing && status != Z_STREAM_END)
            stream.pointee.next_in = nil
        }
        buffer.removeAll(keepingCapacity: true)
        guard status != Z_STREAM_ERROR else {
            throw .cannotWrite(path: name, reason: "zlib could not deflate (stream error)")
        }
        for chunk in produced {
            compressedSize += UInt64(chunk.count)
            try output(chunk)
        }
    }
}

/// Little-endian fields of zip records.
struct ZipBytes {
    var bytes: [UInt8] = []

    mutating func uint16(_ value: UInt16) {
        bytes += [UInt8(value & 0xFF), UInt8(value >> 8)]
    }

    mutating func uint32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }

    mutating func uint64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8((value >> UInt64(shift)) & 0xFF)) }
    }
}
