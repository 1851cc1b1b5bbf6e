import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 12, item 3: the output directory never loses what onestop did not write. A workbook
/// the user saved beside `progress.csv`, a folder of notes, a hidden file: all still there, the
/// same bytes, after the next run swapped a new set in; a file with one of onestop's names that
/// the new set no longer writes (`monthly.csv` once `--monthly` is dropped) is onestop's and goes.
@Suite("End to end: the user's files in the output directory", .serialized)
struct UserFilesInOutputTests {
    /// The demo pipeline without `monthly: true`, so that `--monthly` decides.
    static let pipeline: Result<String, any Error> = Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onestop-user-files-pipeline").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let text = try read(repositoryRoot + "/Pipelines/demo.yaml")
            .replacingOccurrences(of: "../", with: repositoryRoot + "/")
            .replacingOccurrences(of: "dialects: dialects", with: "dialects: \(repositoryRoot)/Pipelines/dialects")
            .replacingOccurrences(of: "monthly: true", with: "monthly: false")
        let path = folder + "/demo.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func run(_ out: String, _ extra: [String] = []) throws -> ChildProcess.Outcome {
        try ChildProcess.run(["run", try pipeline.get(), "--out", out, "--quiet", "--history", "none"] + extra, timeout: .seconds(60))
    }

    /// Every regular file below `folder` with its bytes, by relative path.
    static func tree(_ scratch: Scratch, _ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        for name in scratch.files(under: folder) {
            files[name] = FileManager.default.contents(atPath: scratch.path + "/" + folder + "/" + name)
        }
        return files
    }

    @Test("A file and a folder of the user's stay; monthly.csv, onestop's, goes when --monthly is dropped")
    func usersFilesStay() throws {
        let scratch = Scratch("user-files")
        let out = scratch.path + "/out"
        let first = try Self.run(out, ["--monthly", "--to", "2022-06-30"])
        #expect(first.exitCode == 0, "\(first.stderr)")
        let firstSummary = try read(out + "/summary.json")
        #expect(FileManager.default.fileExists(atPath: out + "/monthly.csv"))

        let workbook: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + Array("the officer's own workbook".utf8)
        try scratch.write("out/progress-annotated.xlsx", workbook)
        try scratch.write("out/ghi chú/tháng 6.txt", "ghi chú của tôi")
        try scratch.write("out/.hidden", "hidden")
        let mine = Self.tree(scratch, "out").filter { !$0.key.hasSuffix(".csv") && !$0.key.hasSuffix(".json")
            && !$0.key.hasSuffix(".html") }
        #expect(mine.count == 3)

        let second = try Self.run(out)
        #expect(second.exitCode == 0, "\(second.stderr)")
        #expect(try read(out + "/summary.json") != firstSummary, "the new set is in place")
        #expect(!FileManager.default.fileExists(atPath: out + "/monthly.csv"), "onestop's own name, not in the new set")
        let now = Self.tree(scratch, "out")
        for (name, bytes) in mine { #expect(now[name] == bytes, "\(name) kept, byte for byte") }
        #expect(Set(now.keys) == Set(mine.keys).union(["agencies.csv", "agency_scorecard.csv", "figures.csv", "procedures.csv", "progress.csv", "rejects.csv",
                                                         "report.html", "summary.json"]))
        // Nothing left beside it but the lock file.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == [".out.lock", "out"])

        // The set in place is exactly a fresh run's.
        let fresh = scratch.path + "/fresh"
        #expect(try Self.run(fresh).exitCode == 0)
        for name in ["progress.csv", "summary.json", "report.html"] {
            #expect(FileManager.default.contents(atPath: out + "/" + name)
                == FileManager.default.contents(atPath: fresh + "/" + name), "\(name)")
        }
    }

    @Test("A run killed between the swap and moving the user's files back: the next run gives them back")
    func killedRunsLeftoverGivesThemBack() throws {
        let scratch = Scratch("user-files-leftover")
        let out = scratch.path + "/out"
        #expect(try Self.run(out).exitCode == 0)
        // What such a kill leaves: the previous set with the user's entries, at the staging path.
        try FileManager.default.copyItem(atPath: out, toPath: scratch.path + "/.out.staging-4194000")
        try scratch.write(".out.staging-4194000/my notes.txt", "mine")
        try scratch.write(".out.staging-4194000/archive/2021.xlsx", "mine too")

        let next = try Self.run(out)
        #expect(next.exitCode == 0, "\(next.stderr)")
        #expect(try read(out + "/my notes.txt") == "mine")
        #expect(try read(out + "/archive/2021.xlsx") == "mine too")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == [".out.lock", "out"])
    }

    @Test("A mount point among the user's entries: refused before reading (exit 73), nothing touched")
    func mountPointIsRefused() throws {
        let scratch = Scratch("user-mount")
        let out = scratch.path + "/out"
        #expect(try Self.run(out).exitCode == 0)
        let before = Self.tree(scratch, "out")
        let mount = try OutputDirectoryTests.TemporaryMount(at: out + "/share", options: "size=1m")
        try "on the share".write(toFile: mount.path + "/file.txt", atomically: false, encoding: .utf8)

        let outcome = try Self.run(out)
        #expect(outcome.exitCode == 73)
        #expect(outcome.stderr.contains("error: output directory '\(out)' holds 'share', a mount point"), "\(outcome.stderr)")
        #expect(Self.tree(scratch, "out").filter { !$0.key.hasPrefix("share/") } == before)
        #expect(try read(mount.path + "/file.txt") == "on the share")
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: scratch.path)).contains { $0.contains("staging") })
    }
}
