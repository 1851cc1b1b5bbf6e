import Foundation
import OneStopDatabase

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One table's rows in the text format of PostgreSQL's `COPY … FROM STDIN`, encoded before the
/// connection is opened: in memory up to 4 MiB, beyond that in a temporary file that has no
/// name (unlinked at once, so nothing is left behind however the process ends).
final class CopySpool: @unchecked Sendable {
    // @unchecked: filled, then read, by one thread at a time.
    let table: String
    let columns: [String]
    private(set) var rows = 0
    private var buffer: [UInt8] = []
    private var file: Int32 = -1
    private var fileBytes = 0
    private static let memoryLimit = 4 << 20

    init(table: String, columns: [String]) {
        self.table = table
        self.columns = columns
    }

    deinit {
        if file >= 0 { close(file) }
    }

    func append(_ values: [SQLValue]) throws {
        for (index, value) in values.enumerated() {
            if index > 0 { buffer.append(0x09) }
            Self.encode(value, into: &buffer)
        }
        buffer.append(0x0A)
        rows += 1
        if buffer.count >= Self.memoryLimit { try spill() }
    }

    /// Calls `send` with the encoded rows in pieces of at most about 1 MiB.
    func forEachChunk(_ send: (ArraySlice<UInt8>) async throws -> Void) async throws {
        if file >= 0 {
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            var offset = 0
            while offset < fileBytes {
                let count = chunk.withUnsafeMutableBytes { pread(file, $0.baseAddress, $0.count, off_t(offset)) }
                guard count > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
                try await send(chunk[..<count])
                offset += count
            }
        }
        var start = 0
        while start < buffer.count {
            let end = min(buffer.count, start + (1 << 20))
            try await send(buffer[start..<end])
            start = end
        }
    }

    private func spill() throws {
        if file < 0 {
            var template = Array((NSTemporaryDirectory() + "/onestop-copy-XXXXXX").utf8CString)
            let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            file = descriptor
        }
        var written = 0
        while written < buffer.count {
            let count = buffer[written...].withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            written += count
        }
        fileBytes += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// A value in COPY's text format: `\N` for NULL, `t`/`f`, and text with backslash, tab, line
    /// feed and carriage return escaped.
    static func encode(_ value: SQLValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: [0x5C, 0x4E])
        case .integer(let number): out.append(contentsOf: String(number).utf8)
        case .bool(let flag): out.append(flag ? 0x74 : 0x66)
        case .text(let text), .decimal(let text), .date(let text), .timestamp(let text):
            for byte in text.utf8 {
                switch byte {
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x09: out.append(contentsOf: [0x5C, 0x74])
                case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: out.append(contentsOf: [0x5C, 0x72])
                default: out.append(byte)
                }
            }
        }
    }
}
