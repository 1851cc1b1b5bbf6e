import COneStopSystem
import OneStopModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Publishes a run's output set into one directory so that a reader — a spreadsheet linked to
/// the CSVs — sees the previous complete set or the new complete set, never a mix; and so that
/// nothing in the directory that onestop did not write is ever deleted.
///
/// 1. Lock `<parent>/.<name>.lock` (`flock`, exclusive, non-blocking); a second run on the same
///    directory fails at once with `EmitError.outputInUse`, naming the holder's pid. A run takes
///    the lock when it starts (`lock()`) and publishes holding it, so two runs never overlap.
/// 2. Refuse an existing output directory that is not empty and not an earlier output set (no
///    `summary.json`): a folder of other files (`--out .`, `--out ~`) is not onestop's to
///    publish into. Then clear staging directories that earlier runs left behind (the lock
///    proves no run uses them), moving back anything of the user's a killed run left there.
/// 3. Write every file into the staging directory `<parent>/.<name>.staging-<pid>`, `summary.json`
///    last, each flushed to disk.
/// 4. Publish in one step: swap the staging directory with the existing output directory
///    (`renameat2(RENAME_EXCHANGE)`), move the user's entries — every name that is not one of
///    onestop's (`OutputDocument.fileNames`): a workbook saved beside the CSVs, a folder of notes —
///    from the previous directory into the new one, then delete what is left, the previous set.
///    Onestop's names the new set does not write (`monthly.csv` without `--monthly`) go with it.
///    The new directory takes the previous one's permissions. Without a directory yet, staging
///    is renamed into place. Where the file system cannot swap (ENOSYS, EINVAL), fall back to
///    renaming file by file: the old `summary.json` first, the new one last — so a
///    `summary.json` present always describes a complete set — and old set files the new set
///    lacks are removed; the user's entries are not touched.
///
/// A user's entry is absent from the output directory only between the swap and its move back,
/// within one publishing step; a run killed (SIGKILL) in between leaves it in the staging
/// directory, and the next run moves it back before anything else. One that is a mount point
/// cannot be moved at all: such a directory is refused before the run reads anything.
///
/// On any failure before the swap the staging directory is removed and the output directory is
/// left as it was. Each step runs under `PublishGuard`, so a termination signal removes the
/// staging directory and never interrupts a step half-way.
///
/// For tests only: with `ONESTOP_TEST_PAUSE_IN_PUBLISH_MS=n` in the environment, publishing
/// sleeps n ms after each file written into the staging directory, so that a test can interrupt
/// a publish half-way, or start a second run while the first one holds the lock.
public struct OutputPublisher: Sendable {
    /// Swaps two paths atomically; returns 0, or the errno value.
    typealias Exchange = @Sendable (_ from: String, _ to: String) -> Int32

    /// The output directory.
    public let directory: String
    let exchange: Exchange

    public init(directory: String) {
        self.init(directory: directory) { from, to in
            onestop_exchange_paths(from, to) == 0 ? 0 : errno
        }
    }

    init(directory: String, exchange: @escaping Exchange) {
        self.directory = directory
        self.exchange = exchange
    }

    /// Takes the output directory's lock, creating the folders above the output directory, and
    /// checks the directory may be replaced (`checkReplaceable`) and holds no mount point among
    /// the user's entries. A run takes it before reading
    /// anything and publishes holding it, so a second run on the same directory is refused at
    /// once (`EmitError.outputInUse`) instead of after its work.
    public func lock() throws(EmitError) -> OutputLock {
        let (parent, name) = try location()
        let target = "\(parent)/\(name)"
        try checkReplaceable(target)  // before leaving a lock file beside it
        _ = try userEntries(of: target, excluding: Set(OutputDocument.fileNames))
        try FileSystem.makeDirectories(parent)
        return try OutputLock(path: "\(parent)/.\(name).lock", directory: directory)
    }

    /// Publishing swaps a new directory in for the output directory, so an existing one must be
    /// empty or an earlier output set (it holds `summary.json`); anything else — `--out .`, a home
    /// folder, a folder of documents — is refused, not published into.
    private func checkReplaceable(_ target: String) throws(EmitError) {
        guard FileSystem.kind(of: target).kind == .directory else { return }
        let entries = FileSystem.entries(of: target).sorted()
        guard !entries.isEmpty, !entries.contains("summary.json") else { return }
        throw .notAnOutputSet(path: directory, sample: Array(entries.prefix(3)) + (entries.count > 3 ? ["…"] : []))
    }

    /// Publishes rendered files, written in the order given (put `summary.json` last).
    public func publish(_ files: [OutputFile], holding held: OutputLock? = nil) throws(EmitError) {
        let (parent, name) = try location()
        let lock: OutputLock
        if let held { lock = held } else { lock = try self.lock() }
        defer { if held == nil { lock.release() } }

        let stagingPrefix = ".\(name).staging-"
        let target = "\(parent)/\(name)"
        let own = Set(OutputDocument.fileNames + files.map(\.name))
        for entry in FileSystem.entries(of: parent).sorted() where entry.hasPrefix(stagingPrefix) {
            try clearLeftover("\(parent)/\(entry)", target: target, own: own)
        }
        let staging = "\(parent)/\(stagingPrefix)\(getpid())"
        try PublishGuard.step { () throws(EmitError) in
            guard mkdir(staging, 0o755) == 0 else {
                throw .cannotCreateDirectory(path: staging, reason: FileSystem.describe(errno))
            }
            PublishGuard.setStaging(staging)
        }
        var notMovedBack: [(name: String, reason: String)] = []
        do throws(EmitError) {
            for file in files {
                try PublishGuard.step { () throws(EmitError) in
                    try FileSystem.writeFile(file, to: "\(staging)/\(file.name)")
                }
                if let pause = Self.testPause { usleep(pause * 1000) }
            }
            FileSystem.syncDirectory(staging)
            try PublishGuard.step { () throws(EmitError) in
                notMovedBack = try moveIntoPlace(staging: staging, target: target, files: files, own: own)
                PublishGuard.setPublished()
                PublishGuard.setStaging(nil)
            }
            FileSystem.syncDirectory(parent)
        } catch {
            PublishGuard.step {
                FileSystem.removeTree(staging)
                PublishGuard.setStaging(nil)
            }
            throw error
        }
        if let first = notMovedBack.first {
            throw .userEntriesLeft(directory: target, holder: staging, names: notMovedBack.map(\.name), reason: first.reason)
        }
    }

    /// Removes a staging directory an earlier run left behind (killed, or crashed), after moving
    /// the user's entries it holds — a run killed between the swap and moving them back — into
    /// the output directory. When one cannot be moved, nothing is removed and the run stops.
    private func clearLeftover(_ leftover: String, target: String, own: Set<String>) throws(EmitError) {
        let userEntries = FileSystem.entries(of: leftover).filter { !own.contains($0) }.sorted()
        if !userEntries.isEmpty {
            guard FileSystem.kind(of: target).kind == .directory else {
                throw .userEntriesLeft(directory: target, holder: leftover, names: userEntries,
                                       reason: "the output directory does not exist")
            }
            let failures = moveBack(userEntries, from: leftover, into: target)
            if let first = failures.first {
                throw .userEntriesLeft(directory: target, holder: leftover, names: failures.map(\.name), reason: first.reason)
            }
        }
        FileSystem.removeTree(leftover)
    }

    /// Moves `names` from `source` into `target`, never replacing anything there; returns those
    /// that could not be moved, with the system's reason.
    private func moveBack(_ names: [String], from source: String, into target: String) -> [(name: String, reason: String)] {
        var failures: [(name: String, reason: String)] = []
        for name in names {
            let code = FileSystem.renameWithoutReplacing("\(source)/\(name)", "\(target)/\(name)")
            if code != 0 { failures.append((name, FileSystem.describe(code))) }
        }
        return failures
    }

    /// The entries of an existing output directory that are not onestop's (`own`), sorted. Throws
    /// when one is a mount point: it could not be moved into the new directory.
    private func userEntries(of target: String, excluding own: Set<String>) throws(EmitError) -> [String] {
        guard let device = FileSystem.device(of: target) else { return [] }
        let names = FileSystem.entries(of: target).filter { !own.contains($0) }.sorted()
        for name in names where FileSystem.device(of: "\(target)/\(name)").map({ $0 != device }) == true {
            throw .userMountPoint(directory: directory, entry: name)
        }
        return names
    }

    /// `ONESTOP_TEST_PAUSE_IN_PUBLISH_MS` (see the type's documentation), in milliseconds.
    static let testPause: UInt32? = getenv("ONESTOP_TEST_PAUSE_IN_PUBLISH_MS").flatMap { UInt32(String(cString: $0)) }

    /// The output directory's parent and name, following a symbolic link to a directory.
    private func location() throws(EmitError) -> (parent: String, name: String) {
        var path = directory
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        if FileSystem.kind(of: path).kind == .symbolicLink, let resolved = realpath(path, nil) {
            path = String(cString: resolved)
            free(resolved)
        }
        let slash = path.lastIndex(of: "/")
        let name = String(slash.map { path[path.index(after: $0)...] } ?? path[...])
        guard !name.isEmpty, name != ".", name != ".." else {
            throw .cannotCreateDirectory(path: directory, reason: "not a usable output directory name")
        }
        let parent = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        return (parent, name)
    }

    /// Puts the staged set in place; returns the user's entries that could not be moved back
    /// from the previous directory (then left at the staging path). Throws only before the swap.
    private func moveIntoPlace(
        staging: String, target: String, files: [OutputFile], own: Set<String>
    ) throws(EmitError) -> [(name: String, reason: String)] {
        switch FileSystem.kind(of: target) {
        case (.missing, _):
            guard rename(staging, target) == 0 else {
                throw .cannotPublish(path: target, reason: FileSystem.describe(errno))
            }
        case (.directory, _):
            try checkReplaceable(target)
            _ = try userEntries(of: target, excluding: own)
            FileSystem.copyPermissions(from: target, to: staging)
            let code = exchange(staging, target)
            if code == 0 {
                // The staging path now holds the previous directory: the user's entries go
                // back (listed again, in case one was saved since), then the previous set goes.
                let left = moveBack(
                    FileSystem.entries(of: staging).filter { !own.contains($0) }.sorted(), from: staging, into: target)
                if left.isEmpty { FileSystem.removeTree(staging) }
                return left
            } else if code == ENOSYS || code == EINVAL {
                try renameFileByFile(staging: staging, target: target, files: files)
                FileSystem.removeTree(staging)
            } else if code == EBUSY || code == EXDEV {
                // The directory is a mount point: it cannot be swapped, only its contents.
                throw .cannotPublish(
                    path: target,
                    reason: FileSystem.describe(code) + " (it is a mount point: onestop replaces the whole output "
                        + "directory, so choose a folder inside the mount as the output directory)")
            } else {
                throw .cannotPublish(path: target, reason: FileSystem.describe(code))
            }
        case (.symbolicLink, _), (.other, 0):
            throw .notADirectory(path: target)
        case (.other, let code):
            throw .cannotPublish(path: target, reason: FileSystem.describe(code))
        }
        return []
    }

    /// The fallback where directories cannot be swapped (see the type's documentation).
    private func renameFileByFile(staging: String, target: String, files: [OutputFile]) throws(EmitError) {
        let newNames = Set(files.map(\.name))
        let summary = "summary.json"
        if unlink("\(target)/\(summary)") != 0 && errno != ENOENT {
            throw .cannotPublish(path: "\(target)/\(summary)", reason: FileSystem.describe(errno))
        }
        for file in files.filter({ $0.name != summary }) + files.filter({ $0.name == summary }) {
            guard rename("\(staging)/\(file.name)", "\(target)/\(file.name)") == 0 else {
                throw .cannotPublish(path: "\(target)/\(file.name)", reason: FileSystem.describe(errno))
            }
        }
        for stale in OutputDocument.fileNames where !newNames.contains(stale) {
            _ = unlink("\(target)/\(stale)")
        }
    }
}

/// The lock file that keeps two runs on the same output directory from overlapping. It holds
/// the owner's pid so the refusal can name it. The file stays; only the lock goes — when
/// released, when the value goes away, or when the process ends, however it ends.
public final class OutputLock {
    private let fd: Int32
    private var held = true

    init(path: String, directory: String) throws(EmitError) {
        // Stored properties are set only on success: a class whose init throws after they are
        // all set runs its deinit, which would close the descriptor a second time.
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .cannotLock(path: path, reason: FileSystem.describe(errno)) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = OutputLock.readPID(descriptor)
            close(descriptor)
            if code == EWOULDBLOCK { throw .outputInUse(directory: directory, pid: holder) }
            throw .cannotLock(path: path, reason: FileSystem.describe(code))
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        fd = descriptor
    }

    /// Gives the lock back (again: nothing).
    public func release() {
        guard held else { return }
        held = false
        _ = flock(fd, LOCK_UN)
        close(fd)
    }

    deinit {
        release()
    }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer.prefix(count), as: UTF8.self).trimmingWhitespace())
    }
}
