import Foundation
import OneStopAggregate
import OneStopModel

/// Why a partial figures file could not be written or read.
public enum PartialFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotWrite(path: String, reason: String)
    case cannotRead(path: String, reason: String)
    /// The file is not an onestop partial at all.
    case notAPartial(path: String)
    /// A partial of another format version than this onestop reads.
    case unsupportedVersion(path: String, found: Int)
    /// The file starts as a partial but is damaged (cut off, edited).
    case damaged(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason): "cannot write partial figures '\(path)': \(reason)"
        case .cannotRead(let path, let reason): "cannot read partial figures '\(path)': \(reason)"
        case .notAPartial(let path):
            "\(path): not an onestop partial figures file (it must start with {\"format\":\"\(PartialFigures.format)\"…)"
        case .unsupportedVersion(let path, let found):
            "\(path): partial figures of format version \(found); this onestop reads version "
                + "\(PartialFigures.formatVersion) only — compute the shards again with this onestop"
        case .damaged(let path, let line, let reason):
            "\(path):\(line): damaged partial figures file: \(reason); compute this shard again"
        }
    }
}

/// The first line of a partial figures file: what it is and which run and shard it belongs to.
public struct PartialHeader: Sendable, Hashable {
    public var version: Int
    public var fingerprint: String
    public var pipeline: String
    public var period: Period
    public var shard: Shard?
    /// The sources this partial covers, in the pipeline's order.
    public var sources: [String]
    /// Rows of `dossiers.csv` the file carries; nil when it carries none.
    public var dossierRows: Int?
    /// Where each source's rows start, from the end of line 2.
    var sections: [DossierSectionWire]
    /// A hash of the header line as read, so a second read of the file can tell it is the same.
    var lineHash = 0
}

extension PartialFigures {
    /// The format's name, the first key of every partial file.
    public static let format = "onestop-partial"
    /// The version of the format this onestop writes and reads.
    public static let formatVersion = 1

    /// Writes the partial to `path`, atomically (a temporary file beside it, then a rename), in
    /// this format (README, "Partial figures"):
    ///
    /// - line 1, the header: one JSON object — `format` (`onestop-partial`), `version`,
    ///   `fingerprint`, `pipeline`, `period`, `shard` ({index, count, assignment} or null),
    ///   `sources` (the names covered), `dossier_rows` (count, or null when none are carried) and
    ///   `dossier_sections` (per source: byte `offset` from the start of the rows, `rows`);
    /// - line 2, the body: one JSON object — `figures` (the tally: counters as arrays in
    ///   `ProgressCounters` order, procedure sets, ratio counts, warnings), `accounting`, `files`,
    ///   `rejects`, `export_time_from_mtime`, `sources`;
    /// - then, when carried, one line per dossier: the `dossiers.csv` fields as a JSON array of
    ///   strings, sorted by (source, dossier id).
    ///
    /// Every key is sorted and every list in a canonical order: equal partials give equal bytes.
    public func write(to path: String) throws(PartialFileError) {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (folder.isEmpty ? "." : folder) + "/.\(name).tmp-\(getpid())"
        let rowsFile = temporary + ".rows"
        defer {
            unlink(temporary)
            unlink(rowsFile)
        }
        do {
            var sections: [DossierSectionWire] = []
            if let dossiers {
                let rows = try OutputWriter(creating: rowsFile)
                var offset = 0
                var current: DossierSectionWire?
                try dossiers.forEach { fields throws(EmitError) in
                    let line = Array((JSONValue.array(fields.map(JSONValue.string)).compact() + "\n").utf8)
                    if current?.source != fields[0] {
                        if let done = current { sections.append(done) }
                        current = DossierSectionWire(source: fields[0], offset: offset, rows: 0)
                    }
                    current!.rows += 1
                    offset += line.count
                    try rows.write(line)
                }
                if let done = current { sections.append(done) }
                try rows.finish()
            }
            let header = HeaderWire(
                format: Self.format, version: Self.formatVersion, fingerprint: fingerprint, pipeline: pipeline,
                period: PeriodWire(period), shard: shard.map(ShardWire.init), sources: sources.map(\.name),
                dossierRows: dossiers?.count, dossierSections: dossiers == nil ? nil : sections)
            let body = BodyWire(self)
            let output = try OutputWriter(creating: temporary)
            try output.write(try Self.encode(header))
            try output.write([0x0A])
            try output.write(try Self.encode(body))
            try output.write([0x0A])
            if dossiers != nil {
                try output.flush()
                try Self.append(rowsFile, to: output)
            }
            try output.finish()
        } catch let error as EmitError {
            throw .cannotWrite(path: path, reason: "\(error)")
        } catch let error as PartialFileError {
            throw error
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
        guard rename(temporary, path) == 0 else {
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Reads only the header (the first line) of a partial file.
    public static func readHeader(path: String) throws(PartialFileError) -> PartialHeader {
        let reader = try LineReader(path: path)
        return try header(reader.line(1), path: path)
    }

    /// Reads a partial file. Its dossier rows stay in the file: `dossiers` reads them again each
    /// time it is walked.
    public static func read(path: String) throws(PartialFileError) -> PartialFigures {
        let reader = try LineReader(path: path)
        return try read(reader, header: header(reader.line(1), path: path), path: path)
    }

    /// Reads a partial file whose header `readHeader(path:)` has already read (decoding a header
    /// costs about as much as the rest of a small partial, with a large assignment); refused as
    /// damaged when the header line is no longer the one read.
    public static func read(path: String, header: PartialHeader) throws(PartialFileError) -> PartialFigures {
        let reader = try LineReader(path: path)
        guard hash(try reader.line(1)) == header.lineHash else {
            throw .damaged(path: path, line: 1, reason: "the file changed while the partials were being read")
        }
        return try read(reader, header: header, path: path)
    }

    private static func read(_ reader: LineReader, header: PartialHeader, path: String) throws(PartialFileError)
        -> PartialFigures
    {
        let bodyLine = try reader.line(2)
        let body: BodyWire
        do {
            body = try JSONDecoder().decode(BodyWire.self, from: Data(bodyLine))
        } catch {
            throw .damaged(path: path, line: 2, reason: "the figures do not read: \(error)")
        }
        var partial = try body.partial(header: header, path: path)
        if let count = header.dossierRows {
            let rowsStart = reader.offset
            let sections = header.sections
            let total = sections.reduce(0) { $0 + $1.rows }
            guard total == count else {
                throw .damaged(path: path, line: 1, reason: "dossier_rows is \(count) but its sections hold \(total)")
            }
            partial.dossierSections = sections.map {
                DossierSection(source: $0.source, path: path, offset: rowsStart + $0.offset, rows: $0.rows)
            }
            let located = partial.dossierSections
            partial.dossiers = DossierRows(count: count) { visit throws(EmitError) in
                for section in located { try section.forEach(visit) }
            }
        }
        return partial
    }

    /// The header line decoded once; only when that fails is it probed for what it is, to say
    /// why (not a partial, another version, or damaged).
    private static func header(_ line: [UInt8], path: String) throws(PartialFileError) -> PartialHeader {
        let data = Data(line)
        let decoded: Result<HeaderWire, any Error> = Result { try JSONDecoder().decode(HeaderWire.self, from: data) }
        if case .success(let wire) = decoded, wire.format == format, wire.version == formatVersion {
            do {
                var header = try wire.header
                header.lineHash = hash(line)
                return header
            } catch {
                throw .damaged(path: path, line: 1, reason: "the header does not read: \(error)")
            }
        }
        guard let probe = try? JSONDecoder().decode(FormatProbe.self, from: data), probe.format == format else {
            throw .notAPartial(path: path)
        }
        guard probe.version == formatVersion else { throw .unsupportedVersion(path: path, found: probe.version) }
        if case .failure(let error) = decoded {
            throw .damaged(path: path, line: 1, reason: "the header does not read: \(error)")
        }
        throw .damaged(path: path, line: 1, reason: "the header does not read")
    }

    private static func hash(_ line: [UInt8]) -> Int {
        var hasher = Hasher()
        line.withUnsafeBytes { hasher.combine(bytes: $0) }
        return hasher.finalize()
    }

    private static func encode(_ value: some Encodable) throws(PartialFileError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value))
        } catch {
            throw .cannotWrite(path: "", reason: "\(error)")
        }
    }

    private static func append(_ path: String, to output: OutputWriter) throws(PartialFileError) {
        guard let file = fopen(path, "rb") else {
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count == 0 { break }
            do {
                try output.write(buffer[0..<count])
            } catch {
                throw .cannotWrite(path: path, reason: "\(error)")
            }
        }
    }
}

/// Where one source's dossier rows are in a partial file.
public struct DossierSection: Sendable, Hashable {
    public var source: String
    public var path: String
    /// Byte offset of its first row in the file.
    public var offset: Int
    public var rows: Int

    /// Calls `visit` with the section's rows, in order.
    public func forEach(_ visit: DossierRows.Visit) throws(EmitError) {
        let reader: LineReader
        do {
            reader = try LineReader(path: path, offset: offset)
        } catch {
            throw .cannotRead(path: path, reason: "\(error)")
        }
        for index in 0..<rows {
            let line: [UInt8]
            do {
                line = try reader.nextLine()
            } catch {
                throw .cannotRead(path: path, reason: "\(error)")
            }
            guard let fields = JSONStringArray.parse(line), fields.count == DossierRows.columns.count,
                  fields[0] == source
            else {
                throw .cannotRead(path: path, reason: "damaged dossier row \(index + 1) of source '\(source)'")
            }
            try visit(fields)
        }
    }
}

/// Reads a file line by line (lines end with LF), from a byte offset.
final class LineReader {
    private let file: UnsafeMutablePointer<FILE>
    private let path: String
    /// Bytes consumed so far, counted from the start of the file.
    private(set) var offset: Int
    private var lineNumber = 0
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0

    init(path: String, offset: Int = 0) throws(PartialFileError) {
        guard let file = fopen(path, "rb") else {
            throw .cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        self.file = file
        self.path = path
        self.offset = offset
        if offset > 0, fseeko(file, off_t(offset), SEEK_SET) != 0 {
            fclose(file)
            throw .cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
    }

    deinit {
        free(buffer)
        fclose(file)
    }

    /// The next line without its LF; throws when the file ends before one.
    func nextLine() throws(PartialFileError) -> [UInt8] {
        let count = getline(&buffer, &capacity, file)
        guard count > 0, let buffer, buffer[count - 1] == 0x0A else {
            throw .damaged(path: path, line: lineNumber + 1, reason: "the file ends before this line does")
        }
        offset += count
        lineNumber += 1
        return buffer.withMemoryRebound(to: UInt8.self, capacity: count) { Array(UnsafeBufferPointer(start: $0, count: count - 1)) }
    }

    /// Line `number` (from 1), reading forward to it.
    func line(_ number: Int) throws(PartialFileError) -> [UInt8] {
        var line: [UInt8] = []
        while lineNumber < number {
            do {
                line = try nextLine()
            } catch {
                if lineNumber == 0 { throw .notAPartial(path: path) }
                throw error
            }
        }
        return line
    }
}
