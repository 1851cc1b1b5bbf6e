import Foundation

/// Reads a configuration file (pipeline, dialect, catalogue) as UTF-8 text, with an error a user
/// can act on: the system's reason when it cannot be read, "a directory", or the line and column
/// of the first byte that is not UTF-8 — a catalogue saved by Excel in the legacy Vietnamese code
/// page (windows-1258) or as "Unicode text" (UTF-16) is the usual cause.
enum ConfigurationText {
    /// The file's text; a UTF-8 byte-order mark is kept (callers that accept it drop it).
    static func read(_ path: String, what: String, howToFix: String) throws(ConfigurationError) -> String {
        // Only a regular file (or a link to one): opening a named pipe would wait for a writer.
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            let kind = info.st_mode & S_IFMT == S_IFDIR ? "a directory" : "a named pipe, device or socket"
            throw ConfigurationError(file: path, line: nil, message: "cannot read the \(what): it is \(kind), not a file")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let reason = String(cString: strerror(errno))
            throw ConfigurationError(file: path, line: nil, message: "cannot read the \(what): \(reason)")
        }
        defer { try? handle.close() }
        let bytes: [UInt8]
        do {
            bytes = Array(try handle.readToEnd() ?? Data())
        } catch {
            throw ConfigurationError(file: path, line: nil, message: "cannot read the \(what): \(error.localizedDescription)")
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw ConfigurationError(
                file: path, line: 1, message: "the \(what) is UTF-16 text; it must be UTF-8: \(howToFix)")
        }
        if let (line, column, byte) = firstInvalidUTF8(bytes) {
            let hex = String(byte, radix: 16, uppercase: true)
            throw ConfigurationError(
                file: path, line: line,
                message: "column \(column): byte 0x\(hex.count == 1 ? "0" + hex : hex) is not UTF-8 "
                    + "(a legacy encoding such as windows-1258?); the \(what) must be UTF-8: \(howToFix)")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Line, column (both from 1, column in bytes) and value of the first byte that does not
    /// belong to a well-formed UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (line: Int, column: Int, byte: UInt8)? {
        var line = 1
        var lineStart = 0
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead == 0x0A {
                line += 1
                lineStart = index + 1
            }
            let length: Int
            var lowest: UInt8 = 0x80
            var highest: UInt8 = 0xBF
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lowest = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; highest = 0x9F
            case 0xF0: length = 4; lowest = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; highest = 0x8F
            default: return (line, index - lineStart + 1, lead)
            }
            for offset in 1..<length {
                guard index + offset < bytes.count else { return (line, index - lineStart + 1, lead) }
                let next = bytes[index + offset]
                let (low, high) = offset == 1 ? (lowest, highest) : (UInt8(0x80), UInt8(0xBF))
                guard next >= low && next <= high else { return (line, index - lineStart + 1, lead) }
            }
            index += length
        }
        return nil
    }
}
