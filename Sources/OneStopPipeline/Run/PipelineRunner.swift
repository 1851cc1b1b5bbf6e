import Foundation
import Logging
import OneStopAggregate
import OneStopEmit
import OneStopIngest
import OneStopModel
import OneStopNormalise
import OneStopReport

/// The outcome of a run that published its output set.
public struct RunResult: Sendable {
    public var report: RunReport
    /// Where the output set was published.
    public var outputDirectory: String
    /// 0, or 65 when a file failed or the reject rate passed `maxRejectRate`.
    public var exitStatus: ExitStatus
    /// Why the exit status is not 0, one line each.
    public var problems: [String]
}

/// Runs a pipeline end to end: find files → parse and normalise them concurrently → deduplicate
/// → aggregate → publish the output set.
public struct PipelineRunner: Sendable {
    public var configuration: PipelineConfiguration
    public var options: RunOptions
    public var logger: Logger

    public init(configuration: PipelineConfiguration, options: RunOptions, logger: Logger) {
        self.configuration = configuration
        self.options = options
        self.logger = logger
    }

    public func run() throws(RunError) -> RunResult {
        var period = configuration.period
        if let from = options.from { period.from = from }
        if let to = options.to { period.to = to }
        guard period.from <= period.to else {
            throw .usage("the period starts (\(period.from)) after it ends (\(period.to))")
        }
        let inputs = try InputResolver.resolve(
            sources: configuration.sources, overrides: options.inputs, pipelineFile: configuration.file, logger: logger)
        guard !inputs.isEmpty else {
            let patterns = configuration.sources.flatMap(\.patterns).joined(separator: ", ")
            throw .noInput("no input files: no file matches \(patterns)")
        }
        // The output directory's lock, held from here to the publish: a second run on the same
        // directory is refused now, before it reads anything, rather than after its work.
        // Links resolved: publishing swaps the real directory, never a link to it.
        let directory = InputResolver.standardised(options.outputDirectory ?? configuration.output.directory)
        let publisher = OutputPublisher(directory: directory)
        let lock: OutputLock
        do {
            lock = try publisher.lock()
        } catch {
            throw .output("\(error)")
        }
        defer { lock.release() }
        logger.info("reading \(inputs.count) files from \(configuration.sources.count) sources")

        let processors = try makeProcessors()
        let progress = RunProgress(totalFiles: inputs.count, draws: options.showProgress)
        let collected = readAll(inputs, processors: processors, progress: progress)
        progress.finish()

        if options.strict, let failed = collected.reports.first(where: { $0.status == .failed }) {
            throw .strictFailure(path: failed.path, message: failed.error ?? "failed")
        }
        var accounting = RunAccounting()
        accounting.files = collected.reports.sorted { ($0.path, $0.source) < ($1.path, $1.source) }
        for report in accounting.files where report.status == .failed {
            logger.error("\(report.path): \(report.error ?? "failed"); the file is not counted")
        }
        accounting.recordsRead = collected.recordsRead
        let rejects = collected.rejects.sorted { ($0.file, $0.line) < ($1.file, $1.line) }
        var warnings = collected.warnings
        accounting.rejected = rejects.count
        for reject in rejects { accounting.rejectedByReason[reject.reason.description, default: 0] += 1 }
        let winners = collected.store.winners
        accounting.superseded = collected.store.superseded
        var kept = 0
        for index in 0..<winners.count where winners[index].status.isAccepted { kept += 1 }
        accounting.notAccepted = winners.count - kept
        accounting.kept = kept
        guard accounting.balances else {
            throw .internalInconsistency(
                "records read \(accounting.recordsRead) ≠ rejected \(accounting.rejected) + superseded \(accounting.superseded) + not accepted \(accounting.notAccepted) + kept \(accounting.kept)")
        }

        let settings = AggregationSettings(
            period: period, clock: configuration.clock, rules: configuration.rules, targets: configuration.targets,
            catalogue: configuration.catalogue,
            sources: configuration.sources.map { Source(name: $0.name, level: $0.level) },
            monthly: options.monthly ?? configuration.output.monthly, jobs: max(1, options.jobs))
        let aggregation = aggregate(winners, settings: settings)
        guard aggregation.identityFailures.isEmpty else {
            throw .internalInconsistency(
                "progress identity failed for \(aggregation.identityFailures.joined(separator: ", "))")
        }
        warnings.append(contentsOf: aggregation.warnings)
        warnings.sort()

        let report = RunReport(
            period: period, timezone: configuration.clock.identifier, accounting: accounting, warnings: warnings,
            aggregation: aggregation, rejects: rejects, rules: configuration.rules)
        let monthly = options.monthly ?? configuration.output.monthly
        do {
            let files = try ReportFiles.outputSet(
                report,
                outputOptions: OutputOptions(excel: options.excel ?? configuration.output.excel, monthly: monthly),
                options: ReportOptions(
                    workbook: options.xlsx ?? configuration.output.xlsx, monthly: monthly,
                    language: options.language ?? configuration.output.language, pipelineName: configuration.name))
            try publisher.publish(files, holding: lock)
        } catch {
            throw .output("\(error)")
        }

        var problems: [String] = []
        let failed = accounting.files.filter { $0.status == .failed }
        if !failed.isEmpty {
            problems.append("\(failed.count) file(s) could not be read to their end and were not counted: "
                + failed.map(\.path).joined(separator: ", "))
        }
        if let limit = configuration.rules.maxRejectRate, accounting.recordsRead > 0,
           Fraction(accounting.rejected, accounting.recordsRead).isAtLeast(limit) == true,
           accounting.rejected * limit.denominator != limit.numerator * accounting.recordsRead
        {
            problems.append("reject rate \(accounting.rejected)/\(accounting.recordsRead) is above maxRejectRate \(limit.formatted(places: 4) ?? "")")
        }
        return RunResult(report: report, outputDirectory: directory, exitStatus: problems.isEmpty ? .ok : .dataError,
                         problems: problems)
    }

    private func makeProcessors() throws(RunError) -> [FileProcessor] {
        var processors: [FileProcessor] = []
        for source in configuration.sources {
            do {
                let normaliser = try RecordNormaliser(dialect: source.dialect, clock: configuration.clock)
                processors.append(FileProcessor(source: source, reader: ExportReader(dialect: source.dialect),
                                                normaliser: normaliser))
            } catch {
                throw .configuration(ConfigurationError(file: configuration.file, line: nil,
                                                        message: "source \(source.name): \(error)"))
            }
        }
        return processors
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
    private(set) var warnings: [RunWarning] = []
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
            warnings.append(RunWarning(kind: .exportTimeFromModificationTime, subject: result.report.path))
        }
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

extension RunResult {
    /// The scorecard as a plain-text table, for standard output.
    public var scorecardTable: String { renderScorecardTable(report.aggregation.scorecard) }
}
