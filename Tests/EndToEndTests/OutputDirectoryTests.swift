import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 4, item 4: an output directory on a read-only or full file system, or that is itself a
/// mount point: a clear error naming the path and what the system said, exit 73, the previous
/// set untouched and no partial file. Root ignores permissions, so these use real file systems
/// (tmpfs mounts); where mounting is not permitted the tests are skipped, saying why.
@Suite("End to end: read-only, full and mounted output directories", .serialized)
struct OutputDirectoryTests {
    /// A tmpfs mounted at `<scratch>/<name>`, unmounted when the value goes away.
    final class TemporaryMount {
        let path: String

        init(at path: String, options: String) throws {
            self.path = path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            guard geteuid() == 0 else {
                try Test.cancel("mounting a tmpfs needs root; not running as root")
            }
            guard try shell("mount -t tmpfs -o \(options) onestop-test '\(path)'") == 0 else {
                try Test.cancel("mount -t tmpfs is not permitted here (no CAP_SYS_ADMIN, e.g. an unprivileged container)")
            }
        }

        func remount(_ options: String) throws {
            #expect(try shell("mount -o remount,\(options) '\(path)'") == 0)
        }

        deinit {
            if (try? shell("umount '\(path)'")) != 0 { _ = try? shell("umount -l '\(path)'") }
        }
    }

    /// A demo run without a run history: these tests are about the output directory alone (the
    /// history's own failures are `HistoryTests`').
    static func run(out: String) throws -> ChildProcess.Outcome {
        try ChildProcess.run(["run", repositoryRoot + "/Pipelines/demo.yaml", "--out", out, "--quiet", "--history", "none"],
                             timeout: .seconds(60))
    }

    static func contents(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            files[name] = FileManager.default.contents(atPath: folder + "/" + name)
        }
        return files
    }

    @Test("--out . in a folder of other files: refused with exit 73, nothing deleted")
    func outputIntoAFolderOfOtherFiles() throws {
        let scratch = Scratch("out-dot")
        let home = try scratch.write("home/precious.txt", "keep me")
        try scratch.write("home/docs/report.txt", "keep me too")
        let folder = (home as NSString).deletingLastPathComponent
        let outcome = try ChildProcess.run(
            ["run", repositoryRoot + "/Pipelines/demo.yaml", "--out", folder + "/.", "--quiet"], timeout: .seconds(60))
        #expect(outcome.exitCode == 73)
        #expect(outcome.stderr.contains("output directory '\(folder)' is not an earlier onestop output (it holds 'docs', 'precious.txt' and no summary.json)"),
                "\(outcome.stderr)")
        #expect(try read(home) == "keep me")
        #expect(try read(folder + "/docs/report.txt") == "keep me too")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["home"])
    }

    @Test("A read-only file system: exit 73 naming the path and the reason; the previous set untouched")
    func readOnlyFileSystem() throws {
        let scratch = Scratch("read-only")
        let mount = try TemporaryMount(at: scratch.path + "/volume", options: "size=1m")
        let out = mount.path + "/reports/out"
        #expect(try Self.run(out: out).exitCode == 0)
        let before = Self.contents(out)
        #expect(before.count == 9)  // seven CSVs, report.html, summary.json
        try mount.remount("ro")

        let outcome = try Self.run(out: out)
        #expect(outcome.exitCode == 73)
        #expect(outcome.stderr.contains("'\(mount.path)/reports/.out.lock': Read-only file system"), "\(outcome.stderr)")
        #expect(Self.contents(out) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: mount.path + "/reports").sorted() == [".out.lock", "out"])
    }

    @Test("A read-only file system where the output directory would be created: exit 73, nothing created")
    func readOnlyFileSystemWithoutOutput() throws {
        let scratch = Scratch("read-only-new")
        let mount = try TemporaryMount(at: scratch.path + "/volume", options: "size=1m,ro")
        let outcome = try Self.run(out: mount.path + "/reports/out")
        #expect(outcome.exitCode == 73)
        #expect(outcome.stderr.contains("cannot create directory '\(mount.path)/reports': Read-only file system"),
                "\(outcome.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: mount.path).isEmpty)
    }

    @Test("A full file system: exit 73 naming the file and the reason; the previous set untouched, no partial file")
    func fullFileSystem() throws {
        let scratch = Scratch("full")
        let mount = try TemporaryMount(at: scratch.path + "/volume", options: "size=1m")
        let out = mount.path + "/out"
        #expect(try Self.run(out: out).exitCode == 0)
        let before = Self.contents(out)
        // Fill what is left (dd stops at ENOSPC; its status says so).
        _ = try shell("dd if=/dev/zero of='\(mount.path)/filler' bs=4096 2>/dev/null")

        let outcome = try Self.run(out: out)
        #expect(outcome.exitCode == 73)
        #expect(outcome.stderr.contains("cannot write '\(mount.path)/.out.staging-"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("No space left on device"), "\(outcome.stderr)")
        #expect(Self.contents(out) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: mount.path).sorted() == [".out.lock", "filler", "out"])

        // Space again: the same run goes through.
        try FileManager.default.removeItem(atPath: mount.path + "/filler")
        #expect(try Self.run(out: out).exitCode == 0)
    }

    @Test("An output directory that is a read-only mount point: exit 73 saying so; the set untouched")
    func outputDirectoryIsAMountPoint() throws {
        let scratch = Scratch("mount-point")
        let mount = try TemporaryMount(at: scratch.path + "/out", options: "size=1m")
        #expect(try Self.run(out: scratch.path + "/elsewhere").exitCode == 0)
        for (name, data) in Self.contents(scratch.path + "/elsewhere") {
            try data.write(to: URL(fileURLWithPath: mount.path + "/" + name))
        }
        let before = Self.contents(mount.path)
        try mount.remount("ro")

        let outcome = try Self.run(out: mount.path)
        #expect(outcome.exitCode == 73)
        #expect(outcome.stderr.contains("cannot publish the output set to '\(mount.path)': Device or resource busy (it is a mount point"),
                "\(outcome.stderr)")
        #expect(Self.contents(mount.path) == before)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: scratch.path)).contains { $0.contains("staging") })
    }
}
