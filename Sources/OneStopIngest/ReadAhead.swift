import Dispatch
import Synchronization
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Runs a `ChunkSource` on a helper thread, up to `slotCount` events ahead of the parser: the
/// parsing thread then spends no time in `read(2)` or zlib. Worth it only when a core would
/// otherwise idle (the run decides; see `ExportReader.readViews`).
///
/// Events come out in the source's order and end with the source's last event (`.end`,
/// `.corrupt`, `.truncated`) or its error, so a read ahead fails exactly where, and as, a read
/// in line would. Memory is bounded: `slotCount` buffers of `readSize` bytes.
final class ReadAhead: @unchecked Sendable {
    // @unchecked: each slot's bytes belong to one side at a time, handed over under `queue`'s
    // lock (`items` to the parser, `free` back to the helper); `source` is touched by the helper
    // only, from `init` until `stop()` has joined it; `thread` and `lent` by the parser only.

    /// An event as it crosses threads: bytes by slot and count.
    private enum Produced: Sendable {
        case plain(slot: Int, count: Int)
        case compressed(slot: Int, count: Int)
        case inflated(slot: Int, count: Int)
        case corrupt(String)
        case truncated
        case end
        case failure(IngestError)
    }

    private static let slotCount = 4

    private let source: ChunkSource
    private let observeRawBytes: (@Sendable (UnsafeRawBufferPointer) -> Void)?
    private let region: UnsafeMutableRawBufferPointer
    private let slots: [UnsafeMutableRawBufferPointer]
    private let queue = Mutex<(items: [Produced], free: [Int])>(([], []))
    private let filled = DispatchSemaphore(value: 0)
    private let freed = DispatchSemaphore(value: 0)
    private let cancelled = Atomic<Bool>(false)
    private var thread: pthread_t?
    /// The slot of the event last handed out, returned on the next call.
    private var lent: Int?

    /// Starts the helper on `source`, which nothing else may then read until `stop()`;
    /// `observeRawBytes` sees every byte read from disk, in order, on the helper, before the
    /// parser gets them. Throws when the buffers or the thread cannot be had; `source` is then
    /// untouched.
    init(
        _ source: ChunkSource, readSize: Int, observeRawBytes: (@Sendable (UnsafeRawBufferPointer) -> Void)? = nil
    ) throws(IngestError) {
        self.source = source
        self.observeRawBytes = observeRawBytes
        // One mapping, unmapped at the end: from malloc, a megabyte per file came and went
        // between the run's other allocations and left the heap fragmented (+7 MB peak RSS
        // over set A in `make bench`).
        let bytes = Self.slotCount * readSize
        let region = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let region, region != MAP_FAILED else {
            throw .readFailed(reason: "cannot map read-ahead buffers: \(String(cString: strerror(errno)))")
        }
        let buffers = UnsafeMutableRawBufferPointer(start: region, count: bytes)
        self.region = buffers
        slots = (0..<Self.slotCount).map {
            UnsafeMutableRawBufferPointer(rebasing: buffers[$0 * readSize ..< ($0 + 1) * readSize])
        }
        queue.withLock { $0.free = Array(0..<Self.slotCount) }
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            let reader = Unmanaged<ReadAhead>.fromOpaque(context!).takeRetainedValue()
            reader.produce()
            return nil
        }, context)
        guard started == 0 else {  // pthread_create returns its error; errno is not set
            Unmanaged<ReadAhead>.fromOpaque(context).release()
            throw .readFailed(reason: "cannot start a reading thread: \(String(cString: strerror(started)))")
        }
        self.thread = thread
    }

    deinit {
        munmap(region.baseAddress, region.count)
    }

    /// The next event; its bytes stay valid until the next call or `stop()`.
    func next() throws(IngestError) -> ChunkEvent {
        if let lent { give(back: lent) }
        lent = nil
        filled.wait()
        let produced = queue.withLock { $0.items.removeFirst() }
        switch produced {
        case .plain(let slot, let count):
            lent = slot
            return .plain(UnsafeRawBufferPointer(rebasing: slots[slot][..<count]))
        case .compressed(let slot, let count):
            lent = slot
            return .compressed(UnsafeRawBufferPointer(rebasing: slots[slot][..<count]))
        case .inflated(let slot, let count):
            lent = slot
            return .inflated(UnsafeRawBufferPointer(rebasing: slots[slot][..<count]))
        case .corrupt(let message):
            return .corrupt(message)
        case .truncated:
            return .truncated
        case .end:
            return .end
        case .failure(let error):
            throw error
        }
    }

    /// Stops the helper and waits for it; call once, when the parse is done or has failed.
    func stop() {
        cancelled.store(true, ordering: .relaxed)
        freed.signal()  // wakes the helper if it waits for a buffer
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }

    private func give(back slot: Int) {
        queue.withLock { $0.free.append(slot) }
        freed.signal()
    }

    /// The helper's loop: one event per free buffer until the source's last event.
    private func produce() {
        while true {
            guard let slot = takeFreeSlot() else { return }
            let produced: Produced
            do {
                switch try source.next(into: slots[slot]) {
                case .plain(let bytes):
                    observeRawBytes?(bytes)
                    produced = .plain(slot: slot, count: bytes.count)
                case .compressed(let bytes):
                    observeRawBytes?(bytes)
                    // They are in the source's own buffer, which the next read overwrites.
                    slots[slot].copyMemory(from: bytes)
                    produced = .compressed(slot: slot, count: bytes.count)
                case .inflated(let bytes):
                    produced = .inflated(slot: slot, count: bytes.count)
                case .corrupt(let message):
                    produced = .corrupt(message)
                case .truncated:
                    produced = .truncated
                case .end:
                    produced = .end
                }
            } catch {
                produced = .failure(error)
            }
            queue.withLock { $0.items.append(produced) }
            filled.signal()
            switch produced {
            case .plain, .compressed, .inflated: continue
            case .corrupt, .truncated, .end, .failure: return
            }
        }
    }

    /// A buffer to fill, waiting for the parser to return one; nil once stopped.
    private func takeFreeSlot() -> Int? {
        while true {
            if cancelled.load(ordering: .relaxed) { return nil }
            if let slot = queue.withLock({ $0.free.popLast() }) { return slot }
            freed.wait()
        }
    }
}
