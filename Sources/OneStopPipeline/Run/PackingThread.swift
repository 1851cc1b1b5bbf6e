import Dispatch
import Foundation
import OneStopModel
import Synchronization

/// Normalises and packs one file's records on a helper thread while the worker parses on: the
/// worker only copies each record out of the reader's buffers into a `RecordBatch` (a few
/// hundred bytes), and a full batch crosses to the helper, which runs `pack` on its records in
/// document order. Used when the run leaves a core idle (fewer workers than cores): the parsing
/// thread then does little more than libxml2's own work.
///
/// Records are packed in the order they were read, so rejects, positions and versions are those
/// of packing in line. Memory is bounded: `batchCount` batches of `recordsPerBatch` records.
final class PackingThread: @unchecked Sendable {
    // @unchecked: a batch belongs to one side at a time, handed over under `queue`'s lock
    // (`filled` to the helper, `free` back to the worker); `pack` runs on the helper only, from
    // `init` until `finish()` has joined it; `current` and `thread` are the worker's.

    static let batchCount = 4
    static let recordsPerBatch = 256

    private let batches: [RecordBatch]
    /// Batches to pack (-1: no more), and batches free to fill.
    private let queue = Mutex<(filled: [Int], free: [Int])>(([], []))
    private let filledSignal = DispatchSemaphore(value: 0)
    private let freedSignal = DispatchSemaphore(value: 0)
    private let pack: (RawRecordView) -> Void
    private var thread: pthread_t?
    /// The batch the worker fills.
    private var current = 0

    /// Starts the helper; nil when no thread can be had (the caller then packs in line).
    init?(pack: @escaping (RawRecordView) -> Void) {
        self.pack = pack
        batches = (0..<Self.batchCount).map { _ in RecordBatch(recordCapacity: Self.recordsPerBatch) }
        queue.withLock { $0.free = Array(1..<Self.batchCount) }
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            let packing = Unmanaged<PackingThread>.fromOpaque(context!).takeRetainedValue()
            packing.packBatches()
            return nil
        }, context)
        guard started == 0 else {
            Unmanaged<PackingThread>.fromOpaque(context).release()
            return nil
        }
        self.thread = thread
    }

    /// Copies a record the reader lends (worker side).
    func add(_ record: RawRecordView) {
        let batch = batches[current]
        batch.append(record)
        if batch.isFull {
            hand(current)
            current = takeFreeBatch()
        }
    }

    /// Packs what is left and waits for the helper: every record added has been packed when it
    /// returns. Call once.
    func finish() {
        if batches[current].count > 0 { hand(current) }
        hand(-1)
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }

    private func hand(_ batch: Int) {
        queue.withLock { $0.filled.append(batch) }
        filledSignal.signal()
    }

    private func takeFreeBatch() -> Int {
        while true {
            if let batch = queue.withLock({ $0.free.popLast() }) { return batch }
            freedSignal.wait()
        }
    }

    /// The helper's loop: packs each batch handed over, in order, and gives it back.
    private func packBatches() {
        while true {
            filledSignal.wait()
            let index = queue.withLock { $0.filled.removeFirst() }
            if index < 0 { return }
            let batch = batches[index]
            for record in 0..<batch.count { pack(batch.view(at: record)) }
            batch.removeAll()
            queue.withLock { $0.free.append(index) }
            freedSignal.signal()
        }
    }
}
