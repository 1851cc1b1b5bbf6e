import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 12, item 7: the limits a cron job meets end a run cleanly, each with a message and an
/// exit code: the file-size limit is a write error (73, the staging directory removed, the
/// previous set untouched) instead of death by SIGXFSZ; an open-file or address-space limit too
/// low for the run is refused before any work (71) instead of exports counted as broken or a
/// run that waits for ever for a thread; the CPU-time limit's SIGXCPU is handled like SIGTERM.
/// Each runs the binary under `/bin/sh -c 'ulimit …; exec …'`.
@Suite("End to end: resource limits (ulimit -f, -n, -v, -t)", .serialized)
struct ResourceLimitTests {
    static func run(_ out: String, limits: String? = nil, _ extra: [String] = []) throws -> ChildProcess.Outcome {
        try ChildProcess.run(["run", repositoryRoot + "/Pipelines/demo.yaml", "--out", out, "--quiet", "--history", "none"] + extra,
                             limits: limits, timeout: .seconds(60))
    }

    static func snapshot(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            files[name] = FileManager.default.contents(atPath: folder + "/" + name)
        }
        return files
    }

    @Test("ulimit -f: a write error naming the file and the limit, exit 73; staging removed, the previous set whole")
    func fileSizeLimit() throws {
        let scratch = Scratch("ulimit-f")
        let out = scratch.path + "/out"
        #expect(try Self.run(out, ["--to", "2022-06-30"]).exitCode == 0)
        let before = Self.snapshot(out)

        // 50 blocks (of 512 bytes for dash, 1 KiB for bash): smaller than report.html and the workbook.
        let outcome = try Self.run(out, limits: "ulimit -f 50", ["--xlsx"])
        #expect(outcome.signal == nil, "ended by signal \(String(describing: outcome.signal)) (SIGXFSZ is 25)")
        #expect(outcome.exitCode == 73, "\(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("error: cannot write '\(scratch.path)/.out.staging-"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains(": File too large (the file-size limit, ulimit -f, is "), "\(outcome.stderr)")
        #expect(Self.snapshot(out) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == [".out.lock", "out"])
    }

    @Test("ulimit -n too low: refused before reading, exit 71, saying what to raise; nothing written")
    func openFileLimitTooLow() throws {
        let scratch = Scratch("ulimit-n")
        let out = scratch.path + "/out"
        let outcome = try Self.run(out, limits: "ulimit -n 10", ["--jobs", "2"])
        #expect(outcome.exitCode == 71, "\(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("error: the open-file limit (ulimit -n) is 10 and "), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("with --jobs 2: raise the limit"), "\(outcome.stderr)")
        #expect(!outcome.stderr.contains("not counted"), "no export reported as broken")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
    }

    @Test("The lowest ulimit -n the check lets through is enough: every file counts, the figures are a normal run's")
    func openFileLimitJustEnough() throws {
        let scratch = Scratch("ulimit-n-enough")
        let unlimited = try Self.run(scratch.path + "/unlimited", ["--jobs", "2"])
        #expect(unlimited.exitCode == 0)
        // The refusal says how many are open at the start and how many more the run needs.
        let refusal = try Self.run(scratch.path + "/refused", limits: "ulimit -n 6", ["--jobs", "2"])
        let numbers = refusal.stderr.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        try #require(numbers.count >= 3, "\(refusal.stderr)")  // the limit, open, needed (then the jobs)
        #expect(numbers[2] == 8 + 3 * 2)
        let lowest = numbers[1] + numbers[2]
        #expect(try Self.run(scratch.path + "/refused", limits: "ulimit -n \(lowest - 1)", ["--jobs", "2"]).exitCode == 71)
        let outcome = try Self.run(scratch.path + "/limited", limits: "ulimit -n \(lowest)", ["--jobs", "2"])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(Self.snapshot(scratch.path + "/limited") == Self.snapshot(scratch.path + "/unlimited"))
    }

    @Test("ulimit -v too low: refused at once (exit 71) rather than waiting for ever for a thread")
    func addressSpaceTooLow() throws {
        let scratch = Scratch("ulimit-v")
        let out = scratch.path + "/out"
        let outcome = try Self.run(out, limits: "ulimit -v 150000", ["--jobs", "2"])
        #expect(!outcome.timedOut, "the run hung")
        #expect(outcome.exitCode == 71, "\(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("error: the address-space limit (ulimit -v) is 146 MB and leaves less than "),
                "\(outcome.stderr)")
        #expect(outcome.stderr.contains("raise the limit or remove it (ulimit -v unlimited)"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
    }

    @Test("ulimit -v the check lets through: the figures are a normal run's", arguments: [1, 2])
    func addressSpaceEnough(jobs: Int) throws {
        let scratch = Scratch("ulimit-v-enough")
        #expect(try Self.run(scratch.path + "/unlimited", ["--jobs", "\(jobs)"]).exitCode == 0)
        let outcome = try Self.run(scratch.path + "/limited", limits: "ulimit -v 400000", ["--jobs", "\(jobs)"])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(Self.snapshot(scratch.path + "/limited") == Self.snapshot(scratch.path + "/unlimited"))
    }

    @Test("generate under the same limits: 71 for ulimit -n, 73 for ulimit -f")
    func generateUnderLimits() throws {
        let scratch = Scratch("ulimit-generate")
        let arguments = ["generate", "--records", "2000", "--out", scratch.path + "/set", "--quiet", "--jobs", "2"]
        let files = try ChildProcess.run(arguments, limits: "ulimit -n 8", timeout: .seconds(60))
        #expect(files.exitCode == 71, "\(files.stderr)")
        #expect(files.stderr.hasPrefix("error: the open-file limit (ulimit -n) is 8"), "\(files.stderr)")
        let size = try ChildProcess.run(arguments, limits: "ulimit -f 20", timeout: .seconds(60))
        #expect(size.signal == nil, "ended by signal \(String(describing: size.signal))")
        #expect(size.exitCode == 73, "\(size.stderr)")
        #expect(size.stderr.contains("File too large"), "\(size.stderr)")
    }

    @Test("ulimit -t (soft): SIGXCPU removes the staging directory and says so; the previous set stays whole")
    func cpuTimeLimit() throws {
        let workspace = try InterruptedRunTests.workspace.get()
        let scratch = Scratch("ulimit-t")
        let out = scratch.path + "/out"
        try FileManager.default.copyItem(atPath: workspace.scratch.path + "/reference-old", toPath: out)
        // Soft only: the kernel sends SIGXCPU at the soft limit; with soft = hard it kills at once.
        let outcome = try ChildProcess.run(["run", workspace.pipeline, "--out", out, "--quiet", "--history", "none"],
                                           limits: "ulimit -S -t 1", timeout: .seconds(60))
        let now = try InterruptedRunTests.Workspace.snapshot(out)
        if outcome.exitCode == 0 {
            #expect(now == workspace.new, "the run took less than a second of CPU: the new set, whole")
        } else {
            #expect(outcome.signal == SIGXCPU, "exit \(String(describing: outcome.exitCode)): \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("error: interrupted by SIGXCPU (the CPU-time limit, ulimit -t, was reached)"),
                    "\(outcome.stderr)")
            #expect(now == workspace.old)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == [".out.lock", "out"])
    }
}
