import Foundation
import Testing
@testable import OneStopEmit

/// Publishing replaces the whole output directory: it must never replace a folder that is not
/// an earlier output set (`--out .` in a home folder deleted everything in it).
@Suite struct OutputDirectorySafetyTests {
    @Test func aFolderOfOtherFilesIsRefusedAndKept() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        let target = scratch.path + "/home"
        try FileManager.default.createDirectory(atPath: target + "/docs", withIntermediateDirectories: true)
        scratch.write("home/precious.txt", "keep me")
        scratch.write("home/docs/report.docx", "keep me too")
        scratch.write("home/.profile", "hidden")
        scratch.write("home/z.txt", "last")

        let error = #expect(throws: EmitError.self) {
            try OutputPublisher(directory: target).publish(sampleReport(), options: OutputOptions())
        }
        #expect(error == .notAnOutputSet(path: target, sample: [".profile", "docs", "precious.txt", "…"]))
        #expect(error?.description == "output directory '\(target)' is not an earlier onestop output (it holds "
            + "'.profile', 'docs', 'precious.txt', … and no summary.json); onestop replaces the whole directory, "
            + "so choose a new or empty folder")
        #expect(scratch.read("home/precious.txt") == "keep me")
        #expect(scratch.read("home/docs/report.docx") == "keep me too")
        #expect(scratch.contents() == ["home"])  // no lock file, no staging directory
    }

    @Test func lockRefusesBeforeTheRunDoesAnyWork() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        try FileManager.default.createDirectory(atPath: scratch.path + "/out", withIntermediateDirectories: false)
        scratch.write("out/notes.txt", "mine")
        #expect(throws: EmitError.notAnOutputSet(path: scratch.path + "/out", sample: ["notes.txt"])) {
            _ = try OutputPublisher(directory: scratch.path + "/out").lock()
        }
    }

    @Test func anEmptyFolderIsReplaced() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        try FileManager.default.createDirectory(atPath: scratch.path + "/out", withIntermediateDirectories: false)
        try OutputPublisher(directory: scratch.path + "/out").publish(sampleReport(), options: OutputOptions())
        #expect(scratch.contents("out").contains("summary.json"))
    }

    @Test func anEarlierSetIsReplacedUnderAHeldLock() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        let publisher = OutputPublisher(directory: scratch.path + "/out")
        try publisher.publish(sampleReport(), options: OutputOptions(monthly: true))
        let lock = try publisher.lock()
        try publisher.publish(sampleReport(), options: OutputOptions(monthly: false), holding: lock)
        #expect(!scratch.contents("out").contains("monthly.csv"))
        // Held by this run: a second lock on the same directory is refused.
        #expect(throws: EmitError.self) { _ = try publisher.lock() }
        lock.release()
        _ = try publisher.lock()
    }
}
