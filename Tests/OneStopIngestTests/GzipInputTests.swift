import Foundation
import OneStopIngest
import OneStopModel
import Testing

@Suite("Gzip input and raw bytes")
struct GzipInputTests {
    /// Large enough to span several 256 KiB chunks, compressed and uncompressed.
    static let plain: [UInt8] = {
        var body = ""
        for index in 0..<2500 {
            body += dvcqgRecord(id: "GZ-\(index)-\(index * 7919 % 104729)")
        }
        return Array(dvcqgDocument(body).utf8)
    }()

    @Test func gzipGivesTheSameRecordsAsPlain() throws {
        let dir = TempDir()
        let plain = readAll(dir.write("a.xml", Self.plain))
        let compressed = Gzip.compress(Self.plain)
        // The name does not decide: magic bytes do.
        let gzip = readAll(dir.write("a-compressed.xml", compressed))
        #expect(plain.error == nil)
        #expect(gzip.error == nil)
        #expect(plain.records.count == 2500)
        #expect(gzip.records == plain.records)
        #expect(gzip.summary?.exportTime == plain.summary?.exportTime)
        #expect(gzip.summary?.records == 2500)
        #expect(gzip.summary?.bytesOnDisk == Int64(compressed.count))
        #expect(gzip.summary?.uncompressedBytes == Int64(Self.plain.count))
        #expect(plain.summary?.bytesOnDisk == Int64(Self.plain.count))
    }

    @Test func multiMemberGzipIsReadToItsEnd() throws {
        let dir = TempDir()
        let compressed = Gzip.compress(Self.plain, members: 3)
        let outcome = readAll(dir.write("multi.xml.gz", compressed))
        #expect(outcome.error == nil)
        #expect(outcome.records.count == 2500)
        #expect(outcome.records.last?[.dossierID] == "GZ-2499-\(2499 * 7919 % 104729)")
        #expect(outcome.summary?.uncompressedBytes == Int64(Self.plain.count))
    }

    /// The reader reads 256 KiB at a time: put the end of the first member exactly at, just
    /// before and just after a chunk boundary, and inside the second member's header.
    @Test(arguments: [0, 1, 5, 12, -4, -8])
    func memberBoundaryAtAChunkBoundary(offset: Int) throws {
        let chunk = 256 * 1024
        let cut = Self.plain.count / 3
        let first = Array(Self.plain[..<cut])
        let second = Array(Self.plain[cut...])
        // First member ends `offset` bytes before the chunk boundary (after it when negative).
        let nameLength = chunk - offset - Gzip.memberSize(first)
        try #require(nameLength > 0, "first part must compress below one chunk")
        let firstMember = Gzip.member(first, nameLength: nameLength)
        #expect(firstMember.count == chunk - offset)
        let file = firstMember + Gzip.member(second, nameLength: 3)
        let dir = TempDir()
        let outcome = readAll(dir.write("two.xml.gz", file))
        #expect(outcome.error == nil)
        #expect(outcome.records.count == 2500)
        #expect(outcome.summary?.uncompressedBytes == Int64(Self.plain.count))
        #expect(outcome.rawBytes == file)
    }

    @Test func observeRawBytesSeesExactlyTheFileBytes() throws {
        let dir = TempDir()
        let compressed = Gzip.compress(Self.plain)
        let plain = readAll(dir.write("a.xml", Self.plain))
        let gzip = readAll(dir.write("a.xml.gz", compressed))
        #expect(plain.rawBytes == Self.plain)
        #expect(gzip.rawBytes == compressed)
    }

    @Test func truncatedGzipFails() throws {
        let dir = TempDir()
        let compressed = Gzip.compress(Self.plain)
        let cut = Array(compressed[..<(compressed.count * 2 / 3)])
        let outcome = readAll(dir.write("cut.xml.gz", cut))
        guard case .truncatedGzip(let line)? = outcome.error else {
            Issue.record("expected truncatedGzip, got \(String(describing: outcome.error))")
            return
        }
        #expect((line ?? 0) > 1)
        #expect(outcome.summary == nil)
        // The stream was cut: some records came through before the end was found missing.
        #expect(!outcome.records.isEmpty)
        #expect(outcome.error?.message.contains("cut off") == true)
    }

    @Test func gzipCutInsideTheTrailerFails() throws {
        // All XML decompresses fine; only the CRC/length trailer is missing.
        let dir = TempDir()
        let compressed = Gzip.compress(Self.plain)
        let outcome = readAll(dir.write("cut.xml.gz", Array(compressed.dropLast(4))))
        #expect(outcome.error == .truncatedGzip(line: outcome.error?.line))
        #expect(outcome.summary == nil)
    }

    @Test func corruptCRCFails() throws {
        let dir = TempDir()
        var compressed = Gzip.compress(Self.plain)
        compressed[compressed.count - 8] ^= 0xFF  // first byte of the CRC-32 trailer
        let outcome = readAll(dir.write("crc.xml.gz", compressed))
        guard case .corruptGzip(let message, _)? = outcome.error else {
            Issue.record("expected corruptGzip, got \(String(describing: outcome.error))")
            return
        }
        #expect(message == "incorrect data check")
        #expect(outcome.summary == nil)
    }

    @Test func corruptDeflateDataFails() throws {
        let dir = TempDir()
        var compressed = Gzip.compress(Self.plain)
        for index in stride(from: 200, to: 260, by: 1) { compressed[index] = 0xFF }
        let outcome = readAll(dir.write("bad.xml.gz", compressed))
        guard case .corruptGzip? = outcome.error else {
            Issue.record("expected corruptGzip, got \(String(describing: outcome.error))")
            return
        }
    }

    @Test func garbageAfterAGzipMemberFails() throws {
        let dir = TempDir()
        let compressed = Gzip.compress(Self.plain) + Array("trailing garbage".utf8)
        let outcome = readAll(dir.write("tail.xml.gz", compressed))
        guard case .corruptGzip? = outcome.error else {
            Issue.record("expected corruptGzip, got \(String(describing: outcome.error))")
            return
        }
    }

    @Test func gzipOfNothingIsNotAnExport() throws {
        let dir = TempDir()
        let outcome = readAll(dir.write("nothing.xml.gz", Gzip.compress([])))
        guard case .notWellFormed(let message, _, _)? = outcome.error else {
            Issue.record("expected notWellFormed, got \(String(describing: outcome.error))")
            return
        }
        #expect(message == "no root element (the document is empty)")
    }
}
