import Dispatch
import Foundation
import OneStopIngest
import OneStopModel
import OneStopNormalise

/// What reading the run's files yields: every file's report, the rejects and warnings of the
/// files read to their end, and the deduplicated versions of their records.
struct ReadOutcome: @unchecked Sendable {
    // @unchecked: the store is only read once the read stage has returned it.
    var reports: [FileReport]
    var rejects: [Reject]
    /// Files whose versions were ordered by modification time (R6), as outputs name them.
    var exportTimeFromModificationTime: [String]
    var recordsRead: Int
    /// The latest valid version of every (source, dossier id) (R5, R6).
    var store: DossierStore
    /// The newest export time among each source's files read to their end, by source index.
    var newestExportTime: [Int: Instant]
}

/// The read stage: export files → per-file results committed to one dossier store. Files are
/// parsed concurrently on `jobs` workers; a file counts only once read to its end (R8).
struct ReadStage: Sendable {
    var processors: [FileProcessor]
    var options: RunOptions

    /// Reads every input; with `options.strict`, workers stop taking work after the first failure.
    func read(_ inputs: [InputFile], progress: RunProgress) -> ReadOutcome {
        let collector = readAll(inputs, processors: processors, progress: progress)
        return ReadOutcome(
            reports: collector.reports, rejects: collector.rejects,
            exportTimeFromModificationTime: collector.exportTimeFromModificationTime,
            recordsRead: collector.recordsRead, store: collector.store, newestExportTime: collector.newestExportTime)
    }

    /// Parses files on `jobs` workers; each worker takes the next file and commits it when it is
    /// whole, so memory holds the distinct dossiers plus the files being read. With more than
    /// one job a large plain file is cut into pieces that workers take like files (plus one item
    /// that reads it whole for its hash); the worker that finishes its last part assembles and
    /// commits it. With `--strict`, workers stop taking work after the first failure.
    ///
    /// Work is handed out largest first (a piece counts as its size), so the last items are
    /// small ones and no worker is left finishing a large file while the others idle.
    private func readAll(_ inputs: [InputFile], processors: [FileProcessor], progress: RunProgress) -> RunCollector {
        // Per input: its items and the bytes one of them reads.
        var groups: [(items: [WorkItem], bytes: Int64)] = []
        var splits: [Int: FileSplit] = [:]
        for (index, input) in inputs.enumerated() {
            let size = fileSize(input.path)
            let pieces = Int((size + options.splitPieceBytes - 1) / options.splitPieceBytes)
            if options.jobs > 1, size >= options.splitMinimumBytes,
               let split = processors[input.source].reader.split(
                   path: input.path, pieces: pieces, minimumPieceBytes: options.splitPieceBytes / 2)
            {
                splits[index] = split
                // The hash first: the commit waits for it (it proves the pieces parsed the bytes
                // hashed), so it runs beside the pieces rather than after them.
                let items = (0..<split.pieceCount).map { WorkItem.piece(input: index, piece: $0) }
                groups.append(([.hash(input: index)] + items, size / Int64(split.pieceCount)))
            } else {
                groups.append(([.file(index)], size))
            }
        }
        let items = largestFirst(groups)
        let collector = RunCollector(items: items, splits: splits, stopAfterFailure: options.strict)
        let workers = max(1, min(options.jobs, items.count))
        // Hash, read and inflate on helper threads only when they have a core the workers leave idle.
        let helpers = workers < ProcessInfo.processInfo.activeProcessorCount
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let item = collector.next() {
                switch item {
                case .file(let index):
                    let input = inputs[index]
                    collector.commit(processors[input.source].process(
                        input, strings: collector.strings, helpers: helpers, progress: progress))
                    progress.fileDone()
                case .hash(let index):
                    if let parts = collector.hashed(index, hashSplitFile(collector.split(index)!)) {
                        assemble(index, parts, inputs: inputs, processors: processors, collector: collector,
                                 progress: progress)
                    }
                case .piece(let index, let piece):
                    let input = inputs[index]
                    let result = processors[input.source].processPiece(
                        input, split: collector.split(index)!, index: piece, strings: collector.strings,
                        progress: progress)
                    if let parts = collector.parsed(index, piece: piece, result) {
                        assemble(index, parts, inputs: inputs, processors: processors, collector: collector,
                                 progress: progress)
                    }
                }
            }
        }
        return collector
    }

    /// Commits a split file once all its pieces and its hash are in.
    private func assemble(
        _ index: Int, _ parts: SplitParts, inputs: [InputFile], processors: [FileProcessor],
        collector: RunCollector, progress: RunProgress
    ) {
        guard let split = collector.split(index) else { return }
        let input = inputs[index]
        collector.commit(
            processors[input.source].assemble(
                input, split: split, pieces: parts.pieces, hash: parts.hash, strings: collector.strings))
        progress.fileDone()
    }
}

/// Each input's work items, the inputs ordered by the bytes one of their items reads, largest
/// first; equal sizes keep the inputs' order. Within an input the order is kept (a split file's
/// hash after its pieces).
func largestFirst(_ groups: [(items: [WorkItem], bytes: Int64)]) -> [WorkItem] {
    groups.enumerated()
        .sorted { ($0.element.bytes, $1.offset) > ($1.element.bytes, $0.offset) }
        .flatMap(\.element.items)
}

/// Everything read of a split file: its pieces and its whole read.
typealias SplitParts = (pieces: [FileProcessor.Piece], hash: SplitFileHash)

/// One unit of parsing work: a whole file, one piece of a file read in pieces, or the hash of
/// such a file.
enum WorkItem: Sendable, Equatable {
    case file(Int)
    case piece(input: Int, piece: Int)
    case hash(input: Int)
}

/// Shared between parsing workers: the next work item to take, the parts of split files received
/// so far, and everything committed. Commit order does not matter: versions are ordered by
/// (export time, path, position) alone, lists are sorted later.
private final class RunCollector: @unchecked Sendable {
    private let lock = NSLock()
    private let items: [WorkItem]
    private let splits: [Int: FileSplit]
    /// Parts of split files received so far: pieces, hash, and how many parts are missing.
    private var pieces: [Int: [FileProcessor.Piece?]] = [:]
    private var hashes: [Int: SplitFileHash] = [:]
    private var missingParts: [Int: Int] = [:]
    private let stopAfterFailure: Bool
    private var nextIndex = 0
    private var stopped = false
    /// Codes and names of every file, interned once for the run.
    let strings = StringTable()
    private(set) var store: DossierStore
    private(set) var reports: [FileReport] = []
    private(set) var rejects: [Reject] = []
    private(set) var exportTimeFromModificationTime: [String] = []
    private(set) var newestExportTime: [Int: Instant] = [:]
    private(set) var recordsRead = 0

    init(items: [WorkItem], splits: [Int: FileSplit], stopAfterFailure: Bool) {
        self.items = items
        self.splits = splits
        self.stopAfterFailure = stopAfterFailure
        store = DossierStore(strings: strings)
        for (index, split) in splits {
            pieces[index] = Array(repeating: nil, count: split.pieceCount)
            missingParts[index] = split.pieceCount + 1
        }
    }

    func next() -> WorkItem? {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped, nextIndex < items.count else { return nil }
        nextIndex += 1
        return items[nextIndex - 1]
    }

    func split(_ index: Int) -> FileSplit? { splits[index] }

    /// Records a piece of split file `index`; returns all its parts once the last is in.
    func parsed(_ index: Int, piece: Int, _ result: FileProcessor.Piece) -> SplitParts? {
        lock.lock()
        defer { lock.unlock() }
        pieces[index]![piece] = result
        return partArrived(index)
    }

    /// Records the whole read of split file `index`; returns all its parts once the last is in.
    func hashed(_ index: Int, _ hash: SplitFileHash) -> SplitParts? {
        lock.lock()
        defer { lock.unlock() }
        hashes[index] = hash
        return partArrived(index)
    }

    private func partArrived(_ index: Int) -> SplitParts? {
        missingParts[index]! -= 1
        guard missingParts[index] == 0 else { return nil }
        defer {
            pieces[index] = nil
            hashes[index] = nil
        }
        return (pieces[index]!.map { $0! }, hashes[index]!)
    }

    /// Commits a file.
    func commit(_ result: FileResult) {
        lock.lock()
        defer { lock.unlock() }
        reports.append(result.report)
        if result.failed {
            if stopAfterFailure { stopped = true }
            return
        }
        if result.usedModificationTime {
            exportTimeFromModificationTime.append(result.report.path)
        }
        newestExportTime[result.input.source] = max(newestExportTime[result.input.source] ?? result.exportTime, result.exportTime)
        recordsRead += result.report.records
        rejects.append(contentsOf: result.rejects)
        if !result.versions.isEmpty {
            let file = store.registerFile(exportTime: result.exportTime, path: result.input.path)
            for batch in result.versions {
                store.commit(batch.versions, file: file, positionOffset: batch.positionOffset)
            }
        }
    }
}
