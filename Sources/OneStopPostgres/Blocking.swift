import Dispatch
import Foundation

/// Runs async work to its end from synchronous code (the run is synchronous; postgres-nio is
/// async). The caller's thread waits; the work runs on a thread of its own (`WorkThread`), so the
/// wait never holds up the work, even when the caller is itself a thread of Swift's concurrency
/// pool (as tests are). The work may end the wait early (`Outcome.fail`), for an operation that
/// would never complete.
enum Blocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable (Outcome<T>) async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        let thread = WorkThread()
        Task(executorPreference: thread) {
            do {
                outcome.set(.success(try await body(outcome)))
            } catch {
                outcome.set(.failure(error))
            }
        }
        defer { thread.stop() }
        return try outcome.wait()
    }

    /// The result of the work: the first one set counts.
    final class Outcome<T: Sendable>: @unchecked Sendable {
        // @unchecked: every access holds `lock`.
        private let lock = NSLock()
        private let done = DispatchSemaphore(value: 0)
        private var result: Result<T, any Error>?

        func set(_ value: Result<T, any Error>) {
            lock.lock()
            defer { lock.unlock() }
            guard result == nil else { return }
            result = value
            done.signal()
        }

        /// Ends the wait with `error`, unless the work has ended already.
        func fail(_ error: any Error) {
            set(.failure(error))
        }

        fileprivate func wait() throws -> T {
            done.wait()
            lock.lock()
            defer { lock.unlock() }
            return try result!.get()
        }
    }
}

/// A task executor that runs its jobs, one at a time, on one thread of its own.
final class WorkThread: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` and `stopped` are used under `condition` only.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopped = false

    init() {
        let thread = Thread { [self] in loop() }
        thread.name = "onestop-postgres"
        thread.start()
    }

    func enqueue(_ job: UnownedJob) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread end once its queue is empty (a job enqueued later is still run).
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
