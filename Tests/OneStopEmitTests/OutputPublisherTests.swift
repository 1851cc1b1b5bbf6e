import Foundation
import OneStopAggregate
import OneStopModel
import Testing
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
        scratch.write("out/notes-from-last-run.txt", "old")
        let before = try #require(inode(of: target))

        var second = sampleReport()
        second.timezone = "Asia/Bangkok"
        try OutputPublisher(directory: target).publish(second, options: OutputOptions(monthly: false))

        // The directory itself was swapped: new inode, old files (monthly.csv, the note) gone.
        #expect(inode(of: target) != before)
        #expect(scratch.contents("out") == Self.setNames.filter { $0 != "monthly.csv" })
        #expect(scratch.read("out/summary.json")?.contains("Asia/Bangkok") == true)
        #expect(scratch.contents() == [".out.lock", "out"])
    }

    @Test func fallsBackToFileRenamesWhenDirectoriesCannotBeSwapped() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        let target = scratch.path + "/out"
        try OutputPublisher(directory: target).publish(sampleReport(), options: OutputOptions(monthly: true))
        let before = try #require(inode(of: target))

        var second = sampleReport()
        second.timezone = "Asia/Bangkok"
        let noExchange = OutputPublisher(directory: target) { _, _ in ENOSYS }
        try noExchange.publish(second, options: OutputOptions(monthly: false))

        #expect(inode(of: target) == before)  // same directory, files renamed into it
        #expect(scratch.contents("out") == Self.setNames.filter { $0 != "monthly.csv" })
        #expect(scratch.read("out/summary.json")?.contains("Asia/Bangkok") == true)
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
}
