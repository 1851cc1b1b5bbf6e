/// Why an export file could not be read to its end. Any of these fails the whole file (docs/contract.md §6,
/// R8): the caller drops the records it already received from it.
///
/// Messages name elements, positions and limits; they never carry element text or attribute
/// values (libxml2 quotes at most a few raw bytes for an encoding error), so personal data
/// does not reach logs or `summary.json` through them.
public enum IngestError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file could not be opened (missing, permissions, …); `reason` is the system's.
    case cannotOpen(reason: String)
    /// Reading failed part-way (I/O error, a directory, …); `reason` is the system's.
    case readFailed(reason: String)
    /// The file has 0 bytes.
    case empty
    /// libxml2 stopped: not well-formed XML (cut mid-record, no root element, bad encoding, …).
    case notWellFormed(message: String, line: Int?, column: Int?)
    /// The root element's local name is not the dialect's (`Dialect.recordPath[0]`).
    case wrongRoot(found: String, expected: String, line: Int)
    /// The DOCTYPE declares an entity (XXE, entity expansion): refused, never expanded.
    case entityDeclaration(line: Int)
    /// The DOCTYPE names an external DTD (public or system id): refused, never loaded.
    case externalDTD(line: Int)
    /// The gzip stream ends before its end marker: the file was cut off.
    case truncatedGzip(line: Int?)
    /// The gzip stream is damaged (bad header, bad data, CRC mismatch); `message` is zlib's.
    case corruptGzip(message: String, line: Int?)
    /// A mapped value (element text or attribute) is longer than `limit` bytes.
    case valueTooLarge(element: String, limit: Int, line: Int)
    /// One record has more than `limit` entries of a repeated group (`element` names it).
    case tooManyGroupEntries(element: String, limit: Int, line: Int)
    /// The declared encoding is one libxml2 can read only through ICU, whose converter breaks
    /// characters split between read chunks (libxml2 2.9): refused rather than read unreliably.
    case unreliableEncoding(name: String, line: Int)
    /// One record holds more than `limit` bytes of mapped values (fields and group entries).
    case recordTooLarge(limit: Int, line: Int)
    /// Elements are nested deeper than `limit` levels (libxml2's push parser does not bound
    /// this itself, and its stacks would grow with the file).
    case nestingTooDeep(limit: Int, line: Int)
    /// One element has more than `limit` attributes (namespace declarations and DOCTYPE
    /// defaults included): libxml2 would check them pair by pair.
    case tooManyAttributes(limit: Int, line: Int)
    /// More than `limit` namespace declarations are in scope at once.
    case tooManyNamespaces(limit: Int, line: Int)
    /// The DOCTYPE declares more than `limit` default attribute values for one element.
    case tooManyAttributeDefaults(element: String, limit: Int, line: Int)
    /// The DOCTYPE's internal subset holds more than `limit` alternatives (`|`).
    case tooManyDTDAlternatives(limit: Int, line: Int)
    /// A comment, processing instruction or DOCTYPE before the root element is longer than `limit` bytes.
    case prologMarkupTooLong(limit: Int, line: Int)
    /// The file was written to, grew, shrank, was replaced or removed while it was read (`how`
    /// says which): what was read belongs to no one version of it.
    case changedWhileReading(how: String)

    /// One line a user can act on, e.g.
    /// `not well-formed XML: Couldn't find end of Start Tag NgayT (line 98, column 11)`.
    public var message: String {
        switch self {
        case .cannotOpen(let reason):
            return "cannot open file: \(reason)"
        case .readFailed(let reason):
            return "cannot read file: \(reason)"
        case .empty:
            return "empty file (0 bytes)"
        case .notWellFormed(let message, let line, let column):
            return "not well-formed XML: \(message)\(Self.position(line: line, column: column))"
        case .wrongRoot(let found, let expected, let line):
            return "root element is <\(found)>, the dialect expects <\(expected)> (line \(line))"
        case .entityDeclaration(let line):
            return "DOCTYPE declares an entity, which is refused (XXE / entity expansion) (line \(line))"
        case .externalDTD(let line):
            return "DOCTYPE references an external DTD, which is refused (line \(line))"
        case .truncatedGzip(let line):
            return "gzip stream is cut off (no end of stream)\(Self.position(line: line, column: nil))"
        case .corruptGzip(let message, let line):
            return "corrupt gzip stream: \(message)\(Self.position(line: line, column: nil))"
        case .valueTooLarge(let element, let limit, let line):
            return "value of \(element) is longer than \(limit) bytes (line \(line))"
        case .tooManyGroupEntries(let element, let limit, let line):
            return "a record has more than \(limit) \(element) entries (line \(line))"
        case .nestingTooDeep(let limit, let line):
            return "elements are nested more than \(limit) levels deep (line \(line))"
        case .unreliableEncoding(let name, let line):
            return "the declared encoding '\(name)' is not supported (libxml2 reads it only through ICU, which "
                + "breaks characters between read chunks); declare a standard name such as UTF-8, UTF-16 or "
                + "windows-1258 (line \(line))"
        case .recordTooLarge(let limit, let line):
            return "the record starting at line \(line) holds more than \(limit) bytes of mapped values"
        case .tooManyAttributes(let limit, let line):
            return "an element has more than \(limit) attributes (line \(line))"
        case .tooManyNamespaces(let limit, let line):
            return "more than \(limit) namespace declarations are in scope (line \(line))"
        case .tooManyAttributeDefaults(let element, let limit, let line):
            return "the DOCTYPE declares more than \(limit) default attribute values for <\(element)> (line \(line))"
        case .tooManyDTDAlternatives(let limit, let line):
            return "the DOCTYPE's internal subset holds more than \(limit) alternatives ('|') (line \(line))"
        case .prologMarkupTooLong(let limit, let line):
            return "a comment, processing instruction or DOCTYPE before the root element is longer than "
                + "\(limit) bytes (line \(line))"
        case .changedWhileReading(let how):
            return "changed while being read (\(how)): run again once the file is complete"
        }
    }

    /// Line (in the uncompressed XML) where reading stopped, when known.
    public var line: Int? {
        switch self {
        case .cannotOpen, .readFailed, .empty, .changedWhileReading:
            return nil
        case .notWellFormed(_, let line, _), .truncatedGzip(let line), .corruptGzip(_, let line):
            return line
        case .wrongRoot(_, _, let line), .entityDeclaration(let line), .externalDTD(let line),
             .valueTooLarge(_, _, let line), .tooManyGroupEntries(_, _, let line),
             .nestingTooDeep(_, let line), .recordTooLarge(_, let line), .unreliableEncoding(_, let line),
             .tooManyAttributes(_, let line), .tooManyNamespaces(_, let line),
             .tooManyAttributeDefaults(_, _, let line), .tooManyDTDAlternatives(_, let line),
             .prologMarkupTooLong(_, let line):
            return line
        }
    }

    /// Same as `message`.
    public var description: String { message }

    private static func position(line: Int?, column: Int?) -> String {
        switch (line, column) {
        case let (line?, column?): return " (line \(line), column \(column))"
        case let (line?, nil): return " (line \(line))"
        default: return ""
        }
    }
}
