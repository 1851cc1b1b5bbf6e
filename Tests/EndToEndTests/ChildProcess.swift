import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The built `onestop` binary as a child process the test controls: it can be signalled while it
/// runs, is killed when it outlives its hang guard, and reports its own peak resident memory.
///
/// The peak is the child's `VmHWM` (`/proc/<pid>/status`), read every millisecond while it runs:
/// `wait4`'s `ru_maxrss` cannot be used, since Linux carries the spawning process's high-water
/// mark across `exec` (posix_spawn shares the test process's memory until then), so every child
/// of a test process that holds 200 MB would report 200 MB.
final class ChildProcess {
    struct Outcome {
        /// The exit code, when the child exited.
        var exitCode: Int32?
        /// The signal that ended the child, when one did.
        var signal: Int32?
        /// The hang guard fired and the child was killed.
        var timedOut: Bool
        /// Peak resident set size of the child, in bytes.
        var peakMemory: Int
        var stdout: String
        var stderr: String
    }

    let pid: pid_t
    private let scratch: URL
    private var finished: Outcome?

    /// Starts `onestop` with `arguments`; `environment` is added to the test's own. With
    /// `limits` (e.g. `ulimit -n 10`), `/bin/sh` sets them and then becomes `onestop`.
    init(_ arguments: [String], environment: [String: String] = [:], limits: String? = nil) throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("onestop-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, scratch.path + "/stdout", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, scratch.path + "/stderr", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // Nothing else of the test process's: descriptors other tests hold open at that moment
        // would count against the child's open-file limit.
        Self.closeFrom(3, in: &actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Default dispositions and an empty mask in the child, whatever the test runner set.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let binary = OneStopCommand.binary
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let launcher = limits.map { ["/bin/sh", "-c", "\($0) && exec \"$0\" \"$@\""] } ?? []
        let argv = (launcher + [binary] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let code = posix_spawn(&child, launcher.first ?? binary, &actions, &attributes, argv, envp)
        guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO) }
        pid = child
    }

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34), which Swift's Glibc module does
    /// not import: looked up at run time; without it the child inherits what the test holds.
    private static func closeFrom(_ first: Int32, in actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, first)
    }

    deinit {
        if finished == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
        try? FileManager.default.removeItem(at: scratch)
    }

    /// Sends `signal` to the child.
    func send(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits for the child to end; after `timeout` it is killed (a hang) and `timedOut` is set.
    @discardableResult
    func wait(timeout: Duration = .seconds(120)) -> Outcome {
        if let finished { return finished }
        let deadline = ContinuousClock.now + timeout
        var status: Int32 = 0
        var usage = rusage()
        var timedOut = false
        var peak = 0
        while true {
            peak = max(peak, Self.highWaterMark(of: pid) ?? 0)
            let result = wait4(pid, &status, WNOHANG, &usage)
            if result == pid { break }
            if result < 0 && errno != EINTR { break }
            if ContinuousClock.now > deadline, !timedOut {
                timedOut = true
                kill(pid, SIGKILL)
            }
            usleep(1_000)
        }
        // WIFEXITED / WTERMSIG are macros Swift does not import.
        let termination = status & 0x7F
        let outcome = Outcome(
            exitCode: termination == 0 ? (status >> 8) & 0xFF : nil,
            signal: termination != 0 && termination != 0x7F ? termination : nil,
            timedOut: timedOut,
            peakMemory: peak,
            stdout: (try? String(contentsOf: scratch.appendingPathComponent("stdout"), encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: scratch.appendingPathComponent("stderr"), encoding: .utf8)) ?? "")
        finished = outcome
        return outcome
    }

    /// `VmHWM` of the running `onestop` process, in bytes; nil before its `exec` (until then the
    /// child shares the test process's memory) or once it has exited.
    static func highWaterMark(of pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        var isOneStop = false
        var kilobytes: Int?
        for line in status.split(separator: "\n") {
            if line.hasPrefix("Name:") { isOneStop = line.dropFirst(5).trimmingCharacters(in: .whitespaces) == "onestop" }
            if line.hasPrefix("VmHWM:") {
                kilobytes = Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
            }
        }
        return isOneStop ? kilobytes.map { $0 * 1024 } : nil
    }

    /// Runs `onestop` to its end (or its hang guard) and returns what happened.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], limits: String? = nil,
        timeout: Duration = .seconds(120)
    ) throws -> Outcome {
        try ChildProcess(arguments, environment: environment, limits: limits).wait(timeout: timeout)
    }
}

/// A scratch folder for one end-to-end test, removed when the value goes away.
final class Scratch: Sendable {
    let path: String

    init(_ name: String) {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("onestop-\(name)-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `bytes` to `name` (folders created) and returns the full path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    /// Every regular file below `folder` (relative names), sorted; hidden ones included.
    func files(under folder: String) -> [String] {
        let root = path + "/" + folder
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var names: [String] = []
        while let name = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue {
                names.append(name)
            }
        }
        return names.sorted()
    }
}

/// Runs `command` with `/bin/sh -c` and returns its exit status (for `mount`, `gzip`, `head`).
@discardableResult
func shell(_ command: String) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}
