import Foundation
import Testing
@testable import OneStopIngest

/// Reading ahead on a helper thread: the outcome equals a read in line (every test reading
/// through `readAll` checks that); these check the thread itself.
@Suite("Reading ahead on a helper thread")
struct ReadAheadTests {
    /// About 2.5 MB: ten 256 KiB chunks, so the helper is several slots ahead when the parser stops.
    static let large = document(firstRecordBroken: false)

    static func document(firstRecordBroken: Bool) -> [UInt8] {
        var body = ""
        for index in 0..<6000 { body += dvcqgRecord(id: "RA-\(index)") }
        if firstRecordBroken {
            // A mismatched end tag in the first record.
            let end = body.range(of: "</MaHoSo>")!
            body.replaceSubrange(end, with: "</MaHoSoX>")
        }
        return Array(dvcqgDocument(body).utf8)
    }

    /// Threads of this process (Linux: one entry per thread in /proc/self/task).
    static func threadCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? -1
    }

    @Test func aFileThatFailsEarlyStopsTheHelperAndLeavesNoThread() throws {
        let dir = TempDir()
        // Not well-formed in the first record, with megabytes still to read behind it.
        let broken = Self.document(firstRecordBroken: true)
        let plain = dir.write("broken.xml", broken)
        let gzip = dir.write("broken.xml.gz", Gzip.compress(broken))
        let before = Self.threadCount()
        for _ in 0..<50 {
            for path in [plain, gzip] {
                let outcome = readOnce(path, dialect: Dialects.dvcqg, readSize: 4096, readingAhead: true)
                guard case .notWellFormed? = outcome.error else {
                    Issue.record("expected notWellFormed, got \(String(describing: outcome.error))")
                    return
                }
                // The parser stopped in the first chunks; the helper was stopped with it.
                #expect(outcome.rawBytes.count < broken.count / 2)
            }
        }
        // Every helper was joined: 100 reads leave no thread behind (other tests may run
        // threads of their own meanwhile, hence the margin).
        #expect(Self.threadCount() < before + 20)
    }

    @Test func observerAndRecordsRunOnTheCallingThread() throws {
        let dir = TempDir()
        let path = dir.write("large.xml.gz", Gzip.compress(Self.large))
        let caller = pthread_self()
        var observedElsewhere = 0
        var recordsElsewhere = 0
        var bytes = 0
        let summary = try ExportReader(dialect: Dialects.dvcqg).read(
            path: path, readingAhead: true,
            observeRawBytes: {
                bytes += $0.count
                if pthread_equal(pthread_self(), caller) == 0 { observedElsewhere += 1 }
            },
            onRecord: { _ in if pthread_equal(pthread_self(), caller) == 0 { recordsElsewhere += 1 } })
        #expect(summary.records == 6000)
        #expect(Int64(bytes) == summary.bytesOnDisk)
        #expect(observedElsewhere == 0)
        #expect(recordsElsewhere == 0)
    }

    @Test("Events cross the threads in order whatever the slot and chunk sizes", arguments: [7, 509, 65536])
    func largeFilesAgreeInAnyChunkSize(size: Int) throws {
        let dir = TempDir()
        let plain = readAll(dir.write("large.xml", Self.large), readSize: size)
        let gzip = readAll(dir.write("large.xml.gz", Gzip.compress(Self.large, members: 3)), readSize: size)
        #expect(plain.error == nil)
        #expect(plain.records.count == 6000)
        #expect(gzip.records == plain.records)
        #expect(plain.rawBytes == Self.large)
    }
}
