import Foundation
import OneStopAggregate
import OneStopModel
import Testing
import COneStopSystem
@testable import OneStopEmit

#if canImport(Glibc)
import Glibc
#endif

@Suite struct OutputPublisherTests {
    static let setNames = ["agencies.csv", "figures.csv", "monthly.csv", "procedures.csv", "progress.csv",
                           "rejects.csv", "summary.json"]

    @Test func publishesIntoANewDirectoryCreatingParents() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        let target = scratch.path + "/reports/2022"
        try OutputPublisher(directory: target).publish(sampleReport(), options: OutputOptions(monthly: true))
        #expect(scratch.contents("reports/2022") == Self.setNames)
        let expected = OutputSet.render(sampleReport(), options: OutputOptions(monthly: true))
        for file in expected {
            #expect(FileManager.default.contents(atPath: target + "/" + file.name) == Data(file.contents), "\(file.name)")
        }
        // Only the set and its lock file next to it; no staging directory left.
        #expect(scratch.contents("reports") == [".2022.lock", "2022"])
    }

    @Test func replacesAnExistingSetAsAWhole() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        let target = scratch.path + "/out"
        try OutputPublisher(directory: target + "/").publish(sampleReport(), options: OutputOptions(monthly: true))
        let before = try #require(inode(of: target))

        var second = sampleReport()
        second.timezone = "Asia/Bangkok"
        try OutputPublisher(directory: target).publish(second, options: OutputOptions(monthly: false))

        // The directory itself was swapped: new inode; monthly.csv, onestop's, gone with the old set.
        #expect(inode(of: target) != before)
        #expect(scratch.contents("out") == Self.setNames.filter { $0 != "monthly.csv" })
        #expect(scratch.read("out/summary.json")?.contains("Asia/Bangkok") == true)
        #expect(scratch.contents() == [".out.lock", "out"])
    }

    @Test func keepsWhatTheUserSavedInTheOutputDirectory() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        let target = scratch.path + "/out"
        try OutputPublisher(directory: target).publish(sampleReport(), options: OutputOptions(monthly: true))
        scratch.write("out/progress-annotated.xlsx", "the user's workbook")
        scratch.write("out/.~lock.progress-annotated.xlsx#", "LibreOffice's lock")
        try FileManager.default.createDirectory(atPath: target + "/notes/2022", withIntermediateDirectories: true)
        scratch.write("out/notes/2022/march.txt", "a note")
        try FileManager.default.createSymbolicLink(atPath: target + "/latest", withDestinationPath: "progress.csv")
        let workbook = try #require(inode(of: target + "/progress-annotated.xlsx"))
        let before = try #require(inode(of: target))

        var second = sampleReport()
        second.timezone = "Asia/Bangkok"
        try OutputPublisher(directory: target).publish(second, options: OutputOptions(monthly: false))

        #expect(inode(of: target) != before, "the set was swapped in whole")
        #expect(scratch.read("out/summary.json")?.contains("Asia/Bangkok") == true)
        #expect(scratch.contents("out") == (Self.setNames.filter { $0 != "monthly.csv" }
            + [".~lock.progress-annotated.xlsx#", "latest", "notes", "progress-annotated.xlsx"]).sorted())
        #expect(inode(of: target + "/progress-annotated.xlsx") == workbook, "moved, not copied")
        #expect(scratch.read("out/progress-annotated.xlsx") == "the user's workbook")
        #expect(scratch.read("out/notes/2022/march.txt") == "a note")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: target + "/latest") == "progress.csv")
        #expect(scratch.contents() == [".out.lock", "out"])
    }

    @Test func aFileSavedWhilePublishingIsKept() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        let target = scratch.path + "/out"
        try OutputPublisher(directory: target).publish(sampleReport(), options: OutputOptions())
        // Saved after the run listed the directory, just before the swap.
        let savingLate = OutputPublisher(directory: target) { from, to in
            _ = FileManager.default.createFile(atPath: to + "/saved-late.txt", contents: Data("late".utf8))
            return onestop_exchange_paths(from, to) == 0 ? 0 : errno
        }
        try savingLate.publish(sampleReport(), options: OutputOptions())
        #expect(scratch.read("out/saved-late.txt") == "late")
        #expect(scratch.contents() == [".out.lock", "out"])
    }

    @Test func theNewDirectoryTakesThePreviousPermissions() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        let target = scratch.path + "/out"
        try OutputPublisher(directory: target).publish(sampleReport(), options: OutputOptions())
        #expect(chmod(target, 0o2775) == 0)  // a folder colleagues save into
        try OutputPublisher(directory: target).publish(sampleReport(), options: OutputOptions())
        var info = stat()
        #expect(stat(target, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o2775)
    }

    @Test func fallsBackToFileRenamesWhenDirectoriesCannotBeSwapped() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        let target = scratch.path + "/out"
        try OutputPublisher(directory: target).publish(sampleReport(), options: OutputOptions(monthly: true))
        scratch.write("out/mine.txt", "the user's")
        let before = try #require(inode(of: target))

        var second = sampleReport()
        second.timezone = "Asia/Bangkok"
        let noExchange = OutputPublisher(directory: target) { _, _ in ENOSYS }
        try noExchange.publish(second, options: OutputOptions(monthly: false))

        #expect(inode(of: target) == before)  // same directory, files renamed into it
        #expect(scratch.contents("out") == (Self.setNames.filter { $0 != "monthly.csv" } + ["mine.txt"]).sorted())
        #expect(scratch.read("out/summary.json")?.contains("Asia/Bangkok") == true)
        #expect(scratch.read("out/mine.txt") == "the user's")
        #expect(scratch.contents() == [".out.lock", "out"])
    }

    @Test func otherExchangeErrorsLeaveTheOldSet() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        let target = scratch.path + "/out"
        try OutputPublisher(directory: target).publish(sampleReport(), options: OutputOptions(monthly: true))
        let old = scratch.read("out/summary.json")

        var second = sampleReport()
        second.timezone = "Asia/Bangkok"
        let failing = OutputPublisher(directory: target) { _, _ in EIO }
        #expect(throws: EmitError.cannotPublish(path: target, reason: FileSystem.describe(EIO))) {
            try failing.publish(second, options: OutputOptions())
        }
        #expect(scratch.read("out/summary.json") == old)
        #expect(scratch.contents() == [".out.lock", "out"])
    }

    @Test func refusesWhileAnotherRunHoldsTheLock() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        let target = scratch.path + "/out"
        // Another run: the lock file holds its pid, and it holds the lock.
        scratch.write(".out.lock", "4242\n")
        let fd = open(scratch.path + "/.out.lock", O_RDWR)
        #expect(fd >= 0)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        defer { close(fd) }

        let error = #expect(throws: EmitError.self) {
            try OutputPublisher(directory: target).publish(sampleReport(), options: OutputOptions())
        }
        #expect(error == .outputInUse(directory: target, pid: 4242))
        #expect(error?.description.contains("is in use by another onestop run (pid 4242)") == true)
        #expect(scratch.contents() == [".out.lock"])  // nothing written, no staging

        // Once released, the same publish goes through.
        flock(fd, LOCK_UN)
        try OutputPublisher(directory: target).publish(sampleReport(), options: OutputOptions())
        #expect(scratch.contents("out").contains("summary.json"))
    }

    @Test func parentThatIsAFileIsATypedError() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        scratch.write("plain-file", "x")
        let target = scratch.path + "/plain-file/out"
        let error = #expect(throws: EmitError.self) {
            try OutputPublisher(directory: target).publish(sampleReport(), options: OutputOptions())
        }
        #expect(error == .cannotCreateDirectory(path: scratch.path + "/plain-file", reason: "Not a directory"))
        #expect(error?.description == "cannot create directory '\(scratch.path)/plain-file': Not a directory")
    }

    @Test func targetThatIsAFileIsRefused() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        scratch.write("out", "not a directory")
        #expect(throws: EmitError.notADirectory(path: scratch.path + "/out")) {
            try OutputPublisher(directory: scratch.path + "/out").publish(sampleReport(), options: OutputOptions())
        }
        #expect(scratch.read("out") == "not a directory")
        #expect(scratch.contents() == [".out.lock", "out"])
    }

    @Test func failedWriteRemovesStagingAndKeepsTheOldSet() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        let target = scratch.path + "/out"
        try OutputPublisher(directory: target).publish(sampleReport(), options: OutputOptions())
        let old = scratch.contents("out")

        // The second file cannot be created (its name is longer than the file system allows).
        let files = [OutputFile(name: "progress.csv", contents: [0x61]),
                     OutputFile(name: String(repeating: "x", count: 300), contents: [0x62])]
        let error = #expect(throws: EmitError.self) { try OutputPublisher(directory: target).publish(files) }
        guard case .cannotWrite(let path, let reason)? = error else {
            Issue.record("expected cannotWrite, got \(String(describing: error))")
            return
        }
        #expect(path.hasPrefix(scratch.path + "/.out.staging-"))
        #expect(reason == "File name too long")
        #expect(scratch.contents() == [".out.lock", "out"])  // staging removed
        #expect(scratch.contents("out") == old)  // the previous set untouched
    }

    @Test(.enabled(if: geteuid() != 0, "root ignores directory permissions"))
    func readOnlyParentIsATypedError() throws {
        let scratch = ScratchDirectory()
        defer {
            chmod(scratch.path, 0o755)
            scratch.cleanUp()
        }
        chmod(scratch.path, 0o555)
        let error = #expect(throws: EmitError.self) {
            try OutputPublisher(directory: scratch.path + "/out").publish(sampleReport(), options: OutputOptions())
        }
        #expect(error?.description.contains("Permission denied") == true)
        #expect(error?.description.contains(scratch.path) == true)
    }

    @Test func leftoverStagingFromACrashedRunIsRemoved() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        try FileManager.default.createDirectory(atPath: scratch.path + "/.out.staging-999999",
                                                withIntermediateDirectories: false)
        scratch.write(".out.staging-999999/progress.csv", "half")
        try OutputPublisher(directory: scratch.path + "/out").publish(sampleReport(), options: OutputOptions())
        #expect(scratch.contents() == [".out.lock", "out"])
    }

    @Test func aKilledRunsLeftoverGivesTheUsersEntriesBack() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        let target = scratch.path + "/out"
        try OutputPublisher(directory: target).publish(sampleReport(), options: OutputOptions())
        // Killed between the swap and moving the user's entries back: the previous set and the
        // user's entries sit at the staging path.
        let leftover = scratch.path + "/.out.staging-999999"
        try FileManager.default.createDirectory(atPath: leftover + "/notes", withIntermediateDirectories: true)
        scratch.write(".out.staging-999999/progress.csv", "old set")
        scratch.write(".out.staging-999999/summary.json", "{}")
        scratch.write(".out.staging-999999/workbook.xlsx", "the user's")
        scratch.write(".out.staging-999999/notes/a.txt", "a note")

        try OutputPublisher(directory: target).publish(sampleReport(), options: OutputOptions())
        #expect(scratch.read("out/workbook.xlsx") == "the user's")
        #expect(scratch.read("out/notes/a.txt") == "a note")
        #expect(scratch.read("out/progress.csv") != "old set")
        #expect(scratch.contents() == [".out.lock", "out"])
    }

    @Test func aUsersEntryThatCannotGoBackStopsTheRunAndIsKept() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        let target = scratch.path + "/out"
        try OutputPublisher(directory: target).publish(sampleReport(), options: OutputOptions())
        scratch.write("out/notes.txt", "saved again since")
        let leftover = scratch.path + "/.out.staging-999999"
        try FileManager.default.createDirectory(atPath: leftover, withIntermediateDirectories: false)
        scratch.write(".out.staging-999999/notes.txt", "from before the kill")
        let set = scratch.contents("out")

        let error = #expect(throws: EmitError.self) {
            try OutputPublisher(directory: target).publish(sampleReport(), options: OutputOptions())
        }
        #expect(error == .userEntriesLeft(directory: target, holder: leftover, names: ["notes.txt"], reason: "File exists"))
        #expect(error?.description == "could not move 'notes.txt' back into the output directory '\(target)': "
            + "File exists; it is in '\(leftover)': move it back yourself, then run again")
        #expect(scratch.read(".out.staging-999999/notes.txt") == "from before the kill")
        #expect(scratch.read("out/notes.txt") == "saved again since")
        #expect(scratch.contents("out") == set, "nothing published")
    }

    @Test func renameWithoutReplacingNeverReplaces() {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        scratch.write("a", "a")
        scratch.write("b", "b")
        #expect(FileSystem.renameWithoutReplacing(scratch.path + "/a", scratch.path + "/b") == EEXIST)
        #expect(scratch.read("b") == "b")
        #expect(FileSystem.renameWithoutReplacing(scratch.path + "/a", scratch.path + "/c") == 0)
        #expect(scratch.contents() == ["b", "c"])
    }
}
