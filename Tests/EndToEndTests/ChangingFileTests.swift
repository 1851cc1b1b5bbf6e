import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 12, item 5, through the built binary: an export rewritten in place (as `rsync
/// --inplace` does), still growing, or replaced while the run reads it fails alone, as changed
/// while being read; it never yields figures of neither version, nor a hash of other bytes.
///
/// The run pauses after the first chunk of every file it opens
/// (`ONESTOP_TEST_PAUSE_AFTER_FIRST_CHUNK_MS`); the test waits until the run has the export
/// open, then changes it.
@Suite("End to end: an export that changes while it is read", .serialized)
struct ChangingFileTests {
    enum Change: String, CaseIterable {
        case rewrittenInPlace, appended, replaced, none
    }

    /// 3 MB of valid records: large enough for the read-ahead helper (1 MiB) and many chunks.
    static func export() -> String {
        dvcqgExport((0..<7_000).map { dvcqgRecord(id: "G-\($0)") }.joined())
    }

    /// Waits until process `pid` has `path` open; false after `timeout` seconds.
    static func waitUntilOpen(_ path: String, by pid: pid_t, timeout: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let folder = "/proc/\(pid)/fd"
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                if (try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + entry)) == path { return true }
            }
            usleep(2_000)
        }
        return false
    }

    static func sha256(_ path: String) throws -> String {
        let scratch = Scratch("sha")
        try #require(try shell("sha256sum '\(path)' > '\(scratch.path)/sum'") == 0)
        return String(try read(scratch.path + "/sum").prefix(64))
    }

    @Test("The changed export fails as changed while being read; the other files count", arguments: Change.allCases, [1, 2])
    func changeWhileRead(change: Change, jobs: Int) throws {
        let scratch = Scratch("changing-\(change)")
        try FileManager.default.createDirectory(atPath: scratch.path + "/in", withIntermediateDirectories: true)
        try scratch.write("pipeline.yaml", HostileRun.pipeline(folder: scratch.path, dialect: "dvcqg"))
        let path = try scratch.write("in/exporting.xml", Self.export())
        let original = try Self.sha256(path)

        let child = try ChildProcess(
            ["run", scratch.path + "/pipeline.yaml", "--jobs", String(jobs), "--quiet"],
            environment: ["ONESTOP_TEST_PAUSE_AFTER_FIRST_CHUNK_MS": "1500"])
        #expect(Self.waitUntilOpen(path, by: child.pid), "the run never opened the export")
        switch change {
        case .rewrittenInPlace:
            // The next night's export over the same bytes: same size, one status changed.
            let fd = open(path, O_WRONLY)
            let record = Array(dvcqgRecord(id: "G-0").utf8)
            let at = Self.export().utf8.count - 20 * record.count
            _ = "9".withCString { pwrite(fd, $0, 1, off_t(at)) }
            close(fd)
        case .appended:
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(dvcqgRecord(id: "LATE").utf8))
            try handle.close()
        case .replaced:
            try scratch.write("in/.next", dvcqgExport(dvcqgRecord(id: "NEW")))
            #expect(rename(scratch.path + "/in/.next", path) == 0)
        case .none:
            break
        }
        let outcome = child.wait()
        let run = HostileRunOutcome(scratch: scratch, outcome: outcome)
        let report = try run.fileReport("exporting.xml")
        if change == .none {
            #expect(outcome.exitCode == 0, "\(outcome.stderr)")
            #expect(report["status"] as? String == "ok")
            #expect((report["records"] as? NSNumber)?.intValue == 7_000)
            #expect(report["sha256"] as? String == original)
        } else {
            #expect(outcome.exitCode == 65, "\(outcome.stderr)")
            #expect(report["status"] as? String == "failed")
            #expect((report["error"] as? String)?.hasPrefix("changed while being read (") == true, "\(report)")
            #expect((report["records"] as? NSNumber)?.intValue == 0)
            #expect(report["sha256"] as? String == "", "no hash names a file read across two versions")
            #expect(outcome.stderr.contains("exporting.xml"))
            try run.expectGoodFilesCounted()
        }
    }
}

/// `HostileRun`'s checks for a run a test started itself.
struct HostileRunOutcome {
    let scratch: Scratch
    let outcome: ChildProcess.Outcome

    func fileReport(_ name: String) throws -> [String: Any] {
        let summary = try readJSON(scratch.path + "/out/summary.json")
        let files = (summary["accounting"] as? [String: Any])?["files"] as? [[String: Any]] ?? []
        return try #require(files.first { ($0["path"] as? String)?.hasSuffix("/" + name) == true }, "summary.json lists \(name)")
    }

    func expectGoodFilesCounted(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let baseline = try HostileRun.baseline.get()
        for file in ["progress.csv", "agencies.csv"] {
            #expect(try read(scratch.path + "/out/" + file) == baseline[file], "\(file) as without the changed file",
                    sourceLocation: sourceLocation)
        }
    }
}
