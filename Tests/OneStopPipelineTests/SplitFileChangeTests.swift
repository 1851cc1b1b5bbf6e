import Crypto
import Foundation
import OneStopIngest
import OneStopModel
import Testing
@testable import OneStopPipeline

/// A file read in pieces is committed only when its one whole read (the SHA-256) saw the bytes
/// the pieces parsed; otherwise it is read again sequentially, as one version or as a failure.
@Suite("A file read in pieces that changes")
struct SplitFileChangeTests {
    func setUp() throws -> (path: String, processor: FileProcessor, input: InputFile, cleanUp: () -> Void) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("onestop-split-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("tinh.xml").path
        try Data(SplitRunTests.export(records: 3000).utf8).write(to: URL(fileURLWithPath: path))
        let processor = try FileProcessorTests.processor(helperMinimumBytes: 0)
        return (path, processor, InputFile(source: 0, path: path, displayPath: "tinh.xml"),
                { try? FileManager.default.removeItem(at: directory) })
    }

    func pieces(_ processor: FileProcessor, _ input: InputFile, _ split: FileSplit, _ strings: StringTable)
        -> [FileProcessor.Piece]
    {
        (0..<split.pieceCount).map { processor.processPiece(input, split: split, index: $0, strings: strings, progress: nil) }
    }

    @Test("Unchanged: the pieces' result, with the SHA-256 of the whole read, equals a sequential read")
    func unchanged() throws {
        let (path, processor, input, cleanUp) = try setUp()
        defer { cleanUp() }
        let split = try #require(processor.reader.split(path: path, pieces: 4, minimumPieceBytes: 1))
        let strings = StringTable()
        let hash = hashSplitFile(split)
        #expect(hash.segmentChecksums?.count == split.pieceCount)
        let assembled = processor.assemble(input, split: split, pieces: pieces(processor, input, split, strings), hash: hash,
                                           strings: strings)
        let sequential = processor.process(input, strings: StringTable(), helpers: false, progress: nil)
        #expect(assembled.report == sequential.report)
        #expect(assembled.report.sha256 == hex(SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path)))))
    }

    @Test("Rewritten after the pieces: the whole read refuses it, and the file counts as its new version")
    func rewrittenAfterThePieces() throws {
        let (path, processor, input, cleanUp) = try setUp()
        defer { cleanUp() }
        let split = try #require(processor.reader.split(path: path, pieces: 4, minimumPieceBytes: 1))
        let strings = StringTable()
        let parsed = pieces(processor, input, split, strings)
        // Same size, one record's status changed: 4 (processing) becomes 9 (finished).
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let status = Array("<TrangThaiHoSo>4</TrangThaiHoSo>".utf8)
        let at = try #require((0..<bytes.count - status.count).first { Array(bytes[$0..<$0 + status.count]) == status })
        bytes[at + 15] = UInt8(ascii: "9")
        let fd = open(path, O_WRONLY)
        _ = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        close(fd)

        let hash = hashSplitFile(split)
        #expect(hash.segmentChecksums == nil)
        let result = processor.assemble(input, split: split, pieces: parsed, hash: hash, strings: strings)
        #expect(result.report.status == .ok)
        #expect(result.report.sha256 == hex(SHA256.hash(data: bytes)))
        let fresh = processor.process(input, strings: StringTable(), helpers: false, progress: nil)
        #expect(result.report == fresh.report)
    }

    @Test("Checksums that disagree with the pieces make a sequential read")
    func disagreeingChecksums() throws {
        let (path, processor, input, cleanUp) = try setUp()
        defer { cleanUp() }
        let split = try #require(processor.reader.split(path: path, pieces: 4, minimumPieceBytes: 1))
        let strings = StringTable()
        var hash = hashSplitFile(split)
        hash.segmentChecksums?[0] ^= 1
        hash.sha256 = "not the hash of what was parsed"
        let result = processor.assemble(input, split: split, pieces: pieces(processor, input, split, strings), hash: hash,
                                        strings: strings)
        #expect(result.report.sha256 == hex(SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path)))))
    }
}
