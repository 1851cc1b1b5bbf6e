import Dispatch
import Foundation

/// Runs async work to its end from synchronous code (the run is synchronous; postgres-nio is
/// async). The caller's thread waits; the work runs on Swift's concurrency pool and NIO's event
/// loop, never on the waiting thread.
enum Blocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                outcome.set(.success(try await body()))
            } catch {
                outcome.set(.failure(error))
            }
            done.signal()
        }
        done.wait()
        return try outcome.get()
    }

    private final class Outcome<T: Sendable>: @unchecked Sendable {
        // @unchecked: set once before the semaphore is signalled, read after it is waited for.
        private let lock = NSLock()
        private var result: Result<T, any Error>?

        func set(_ value: Result<T, any Error>) {
            lock.lock()
            result = value
            lock.unlock()
        }

        func get() throws -> T {
            lock.lock()
            defer { lock.unlock() }
            return try result!.get()
        }
    }
}
