/// File paths as onestop holds them: Swift strings, which cannot hold bytes that are not UTF-8,
/// while a Linux file name is any bytes. A name read from the file system (glob, a folder
/// listing) is decoded losslessly: valid UTF-8 as itself, and each byte that is not part of
/// valid UTF-8 as one private-use code point, U+10FF00 plus the byte (U+10FF80–U+10FFFF). A name
/// that really holds one of those code points has its bytes escaped the same way, so every byte
/// string decodes to exactly one path and encodes back to the same bytes. Every function that
/// opens or examines a file (`FileInput`, `ExportReader.split`, the run's hashing) encodes the
/// path back first; outputs show such bytes as `\xNN` (`displayed(_:)`).
public enum LosslessPath {
    /// First of the code points that stand for single bytes (U+10FF80 stands for 0x80).
    static let byteBase: UInt32 = 0x10_FF00

    /// The path for a name read from the file system (no NUL inside).
    public static func decoding<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        // The common case costs one validation.
        if let text = String(validating: bytes, as: UTF8.self), !text.utf8.contains(0xF4) {
            return text
        }
        let bytes = Array(bytes)
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let length = sequenceLength(bytes, at: index)
            guard length > 0 else {
                scalars.append(Unicode.Scalar(byteBase + UInt32(bytes[index]))!)
                index += 1
                continue
            }
            let scalar = String(decoding: bytes[index..<index + length], as: UTF8.self).unicodeScalars.first!
            if scalar.value >= byteBase + 0x80 {
                for byte in bytes[index..<index + length] { scalars.append(Unicode.Scalar(byteBase + UInt32(byte))!) }
            } else {
                scalars.append(scalar)
            }
            index += length
        }
        return String(scalars)
    }

    /// Length of the well-formed UTF-8 sequence starting at `index` (Unicode's table 3-7), or 0.
    private static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index + offset < bytes.count && range.contains(bytes[index + offset])
        }
        switch bytes[index] {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return continuation(1) ? 2 : 0
        case 0xE0: return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : 0
        case 0xED: return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : 0
        case 0xE1...0xEF: return continuation(1) && continuation(2) ? 3 : 0
        case 0xF0: return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4: return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default: return 0
        }
    }

    /// The file system's bytes for `path` (without the terminating NUL).
    public static func bytes(_ path: String) -> [UInt8] {
        guard path.utf8.contains(0xF4) else { return Array(path.utf8) }
        var bytes: [UInt8] = []
        for scalar in path.unicodeScalars {
            if scalar.value >= byteBase + 0x80 {
                bytes.append(UInt8(scalar.value - byteBase))
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        return bytes
    }

    /// Calls `body` with `path` as the NUL-terminated bytes the file system knows it by.
    public static func withFileSystemPath<Result>(
        _ path: String, _ body: (UnsafePointer<CChar>) throws -> Result
    ) rethrows -> Result {
        guard path.utf8.contains(0xF4) else { return try path.withCString(body) }
        let raw = bytes(path).map { CChar(bitPattern: $0) } + [0]
        return try raw.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// `path` for people: each byte that is not UTF-8 as `\xNN` (upper-case hex), e.g.
    /// `in/h\xE0 n\xF4i.xml` for a name written in a legacy Vietnamese code page.
    public static func displayed(_ path: String) -> String {
        guard path.utf8.contains(0xF4) else { return path }
        var text = ""
        for scalar in path.unicodeScalars {
            if scalar.value >= byteBase + 0x80 {
                let byte = scalar.value - byteBase
                text += "\\x" + String(byte >> 4, radix: 16, uppercase: true)
                    + String(byte & 15, radix: 16, uppercase: true)
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return text
    }
}
