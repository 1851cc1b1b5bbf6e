import Dispatch

/// Splits `0..<count` into `chunks` contiguous ranges, runs `body` on each concurrently with
/// Dispatch and returns the results in chunk order (so merging them is deterministic).
func concurrentMapChunks<Result: Sendable>(
    count: Int, chunks: Int, _ body: @escaping @Sendable (Range<Int>) -> Result
) -> [Result] {
    let chunks = max(1, chunks)
    let slots = ResultSlots<Result>(count: chunks)
    DispatchQueue.concurrentPerform(iterations: chunks) { index in
        let lower = count * index / chunks
        let upper = count * (index + 1) / chunks
        slots.store(body(lower..<upper), at: index)
    }
    return slots.results()
}

/// Fixed slots that concurrent iterations fill, one slot per iteration.
///
/// `@unchecked Sendable` is sound here: each slot is written by exactly one iteration, slots do
/// not overlap in memory, and `concurrentPerform` returns only after every iteration finished,
/// which orders all writes before `results()` reads them.
private final class ResultSlots<Result>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Result?>
    private let count: Int

    init(count: Int) {
        self.count = count
        base = .allocate(capacity: count)
        base.initialize(repeating: nil, count: count)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    func store(_ result: Result, at index: Int) {
        base[index] = result
    }

    func results() -> [Result] {
        (0..<count).compactMap { base[$0] }
    }
}
