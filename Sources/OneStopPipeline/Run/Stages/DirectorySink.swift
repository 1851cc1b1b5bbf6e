import OneStopEmit

/// The sink stage for an output directory: takes the directory's lock when created (before the
/// run reads anything) and publishes the rendered files atomically under it.
struct DirectorySink: Sendable {
    let directory: String
    private let publisher: OutputPublisher
    private let lock: OutputLockBox

    init(directory: String) throws(RunError) {
        self.directory = directory
        publisher = OutputPublisher(directory: directory)
        do {
            lock = OutputLockBox(try publisher.lock())
        } catch {
            throw .output("\(error)")
        }
    }

    func publish(_ files: [OutputFile]) throws(RunError) {
        do {
            try publisher.publish(files, holding: lock.lock)
        } catch {
            throw .output("\(error)")
        }
    }

    func release() { lock.lock.release() }
}

/// The lock, shared by the copies of a sink; released once, by `release()` or when the process ends.
private final class OutputLockBox: @unchecked Sendable {
    // @unchecked: the lock is taken and released on the run's thread only.
    let lock: OutputLock
    init(_ lock: OutputLock) { self.lock = lock }
}
