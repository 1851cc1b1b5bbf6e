#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps publishing and termination signals apart, so that a run stopped by SIGTERM, SIGINT or
/// SIGHUP leaves no staging directory and never half a step: every step of `OutputPublisher`
/// (create the staging directory, write one file, swap it into place and drop the old set) runs
/// under one process-wide lock, and `terminate()` — called by the command's signal handler —
/// takes that lock, removes this process's staging directory and never gives the lock back.
///
/// A SIGKILL cannot be handled: the staging directory (hidden, beside the output directory)
/// stays until the next run on that directory removes it; the output directory itself is
/// untouched either way, since the swap is one `renameat2` call.
public enum PublishGuard {
    /// What a termination found.
    public enum Interruption: Sendable, Equatable {
        /// No output set was being written: nothing to clean up.
        case notPublishing
        /// A staging directory was being written; it is removed, the output directory unchanged.
        case stagingRemoved(path: String)
        /// The new set was already swapped in; it stays (it is complete).
        case alreadyPublished
    }

    private struct State {
        var staging: String?
        var published = false
    }

    private final class Locked: @unchecked Sendable {
        let mutex: UnsafeMutablePointer<pthread_mutex_t>
        var state = State()

        init() {
            mutex = .allocate(capacity: 1)
            pthread_mutex_init(mutex, nil)
        }
    }

    private static let shared = Locked()

    /// Runs one publishing step. Once `terminate()` has run, the step waits forever: the process
    /// is about to end by its signal, and no step may start after the cleanup.
    static func step<Value, Failure: Error>(_ body: () throws(Failure) -> Value) throws(Failure) -> Value {
        pthread_mutex_lock(shared.mutex)
        defer { pthread_mutex_unlock(shared.mutex) }
        return try body()
    }

    /// Inside `step`: the staging directory now exists (or, with nil, no longer does).
    static func setStaging(_ path: String?) {
        shared.state.staging = path
        if path != nil { shared.state.published = false }
    }

    /// Inside `step`: the new set is in place; the staging path holds the old one until removed.
    static func setPublished() {
        shared.state.published = true
    }

    /// For a termination signal handler: waits for the publishing step in progress, removes the
    /// staging directory if one is being written, and blocks every later step. The caller must
    /// end the process next.
    public static func terminate() -> Interruption {
        pthread_mutex_lock(shared.mutex)
        // Never unlocked: no publishing step may start after this.
        let state = shared.state
        if let staging = state.staging {
            FileSystem.removeTree(staging)
            shared.state.staging = nil
            return state.published ? .alreadyPublished : .stagingRemoved(path: staging)
        }
        return state.published ? .alreadyPublished : .notPublishing
    }
}
