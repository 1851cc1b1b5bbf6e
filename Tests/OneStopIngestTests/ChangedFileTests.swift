import Foundation
import Testing
@testable import OneStopIngest

/// A file that changes while it is read (issue 12, item 5): rewritten in place, still growing,
/// cut short, replaced or removed. It fails as changed while being read, never yields records
/// mixed from two versions, and the bytes the observers see are exactly the bytes parsed.
@Suite("Files that change while they are read")
struct ChangedFileTests {
    enum Change: String, CaseIterable {
        case appended, rewrittenInPlace, truncated, replaced, removed
    }

    static func export(records: Int) -> String {
        dvcqgDocument((0..<records).map { dvcqgRecord(id: "ID-\($0)") }.joined())
    }

    /// Applies `change` to the file at `path`.
    static func apply(_ change: Change, to path: String) throws {
        switch change {
        case .appended:
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(dvcqgRecord(id: "LATE").utf8))
            try handle.close()
        case .rewrittenInPlace:
            // Same size, as `rsync --inplace` leaves a file of unchanged length.
            let fd = open(path, O_WRONLY)
            _ = "ID-9".withCString { pwrite(fd, $0, 4, 2000) }
            close(fd)
        case .truncated:
            #expect(truncate(path, 3000) == 0)
        case .replaced:
            let other = path + ".new"
            try Data(export(records: 3).utf8).write(to: URL(fileURLWithPath: other))
            #expect(rename(other, path) == 0)
        case .removed:
            #expect(unlink(path) == 0)
        }
    }

    @Test("Each change, made after the first chunk, fails the file as changed; in line and reading ahead",
          arguments: Change.allCases, [false, true])
    func changeFailsTheFile(change: Change, readingAhead: Bool) throws {
        let dir = TempDir()
        let path = dir.write("tinh.xml", Self.export(records: 300))
        var reader = ExportReader(dialect: Dialects.dvcqg)
        reader.readSize = 4096
        var changed = false
        var records = 0
        var failure: IngestError?
        do {
            _ = try reader.read(
                path: path, readingAhead: readingAhead,
                observeRawBytes: { _ in
                    if !changed {
                        changed = true
                        try? Self.apply(change, to: path)
                    }
                },
                onRecord: { _ in records += 1 })
        } catch {
            failure = error
        }
        guard case .changedWhileReading(let how)? = failure else {
            Issue.record("\(change): \(String(describing: failure))")
            return
        }
        let expected = switch change {
        case .appended: "its size went from"
        case .rewrittenInPlace: "it was written to"
        case .truncated: "its size went from"
        case .replaced: "it was replaced by another file"
        case .removed: "it was removed or renamed"
        }
        #expect(how.hasPrefix(expected), "\(change): \(how)")
        #expect(failure?.message.hasPrefix("changed while being read (") == true)
        #expect(failure?.line == nil)
    }

    @Test("An unchanged file reads, and the bytes observed in line and where read are exactly the file's")
    func unchangedFileReads() throws {
        let dir = TempDir()
        let text = Self.export(records: 300)
        let path = dir.write("tinh.xml", text)
        for readingAhead in [false, true] {
            var reader = ExportReader(dialect: Dialects.dvcqg)
            reader.readSize = 4096
            var seen: [UInt8] = []
            let whereRead = Collected()
            let summary = try reader.read(
                path: path, readingAhead: readingAhead,
                observeRawBytes: { seen += $0 },
                observeRawBytesWhereRead: { whereRead.add($0) },
                onRecord: { _ in })
            #expect(summary.records == 300)
            #expect(seen == Array(text.utf8))
            #expect(whereRead.bytes == Array(text.utf8))
            var info = stat()
            stat(path, &info)
            #expect(summary.modificationTime?.secondsSinceEpoch == Int64(info.st_mtim.tv_sec))
        }
    }

    /// Bytes collected from the reading thread.
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var collected: [UInt8] = []
        func add(_ bytes: UnsafeRawBufferPointer) { lock.withLock { collected += bytes } }
        var bytes: [UInt8] { lock.withLock { collected } }
    }

    @Test("A file that keeps growing is not read past the size it had when opened")
    func growingFileIsNotFollowed() throws {
        let dir = TempDir()
        let text = Self.export(records: 50)
        let path = dir.write("growing.xml", text)
        var reader = ExportReader(dialect: Dialects.dvcqg)
        reader.readSize = 1024
        var observed = 0
        #expect(throws: IngestError.self) {
            _ = try reader.read(
                path: path,
                observeRawBytes: { chunk in
                    observed += chunk.count
                    try? Self.apply(.appended, to: path)
                },
                onRecord: { _ in })
        }
        #expect(observed == text.utf8.count)
    }

    @Test("A file read in pieces: a change before a piece fails it; one after the pieces fails the whole read")
    func splitFileChanges() throws {
        let dir = TempDir()
        let path = dir.write("big.xml", Self.export(records: 2000))
        let reader = ExportReader(dialect: Dialects.dvcqg)
        let plan = try #require(reader.split(path: path, pieces: 4, minimumPieceBytes: 1))
        var outcomes: [PieceOutcome?] = []
        for piece in 0..<plan.pieceCount { outcomes.append(try reader.readPiece(plan, piece) { _ in }) }
        let uses = try #require(plan.assemble(outcomes))
        let whole = try plan.readWhole { _ in }
        #expect(plan.parsedSameBytes(outcomes, uses, as: whole))
        var tampered = whole
        tampered[tampered.count - 1] ^= 1
        #expect(!plan.parsedSameBytes(outcomes, uses, as: tampered))

        try Self.apply(.rewrittenInPlace, to: path)
        #expect(throws: IngestError.self) { _ = try reader.readPiece(plan, 1) { _ in } }
        do {
            _ = try plan.readWhole { _ in }
            Issue.record("the whole read did not see the change")
        } catch {
            guard case .changedWhileReading = error else { Issue.record("\(error)"); return }
        }
    }
}
