import Dispatch
import Synchronization

/// Runs `count` independent pieces of work on at most `jobs` threads, each taking the next
/// piece, and returns their results in order. The first error wins; pieces not yet started
/// are skipped once one failed.
enum ParallelWork {
    static func map<Result: Sendable>(
        count: Int, jobs: Int, _ body: @Sendable (Int) throws(GenerationError) -> Result
    ) throws(GenerationError) -> [Result] {
        let next = Mutex(0)
        let results = Mutex([Result?](repeating: nil, count: count))
        let failure = Mutex<GenerationError?>(nil)
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, count))) { _ in
            while true {
                let index = next.withLock { value -> Int in
                    defer { value += 1 }
                    return value
                }
                guard index < count, failure.withLock({ $0 == nil }) else { return }
                do throws(GenerationError) {
                    let result = try body(index)
                    results.withLock { $0[index] = result }
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { $0.map { $0! } }
    }
}
