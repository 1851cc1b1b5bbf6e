import Crypto
import Foundation
import OneStopIngest
import OneStopModel
import OneStopNormalise

/// What one export file yields once read to its end: its valid versions and its rejects, held
/// until the file is known to be whole, so a failed file contributes nothing (R8).
struct FileResult: @unchecked Sendable {
    // @unchecked: `versions` is built by the worker that read the file and only read after it
    // hands the result over (under the collector's lock).
    var input: InputFile
    var report: FileReport
    /// Valid versions, packed, with their positions in the file (R6): one batch, or one per
    /// piece of a file read in pieces with the records before it; empty for a failed file.
    var versions: [(versions: FileVersions, positionOffset: Int)]
    /// The export timestamp that orders this file's versions (R6).
    var exportTime: Instant
    var rejects: [Reject]
    var usedModificationTime: Bool

    var failed: Bool { report.status == .failed }
}

/// Reads and normalises one file; never throws: a file that cannot be read becomes a failed report.
struct FileProcessor: Sendable {
    var source: SourceConfiguration
    var reader: ExportReader
    var normaliser: RecordNormaliser

    /// Smallest file (bytes on disk) worth helper threads: below it, starting and joining two
    /// threads costs a good part of the parse (1,500 files of 36 KB: 0.75 s with helpers, 0.45 s
    /// without).
    var helperMinimumBytes: Int64 = 1 << 20

    /// - Parameter helpers: the run leaves a core idle, so for a file of at least
    ///   `helperMinimumBytes` a helper thread reads, inflates and hashes it ahead of the parser,
    ///   and another normalises and packs its records behind it (`PackingThread`).
    func process(_ input: InputFile, strings: StringTable, helpers: Bool, progress: RunProgress?)
        -> FileResult
    {
        let bytes = fileSize(input.path)
        let helped = helpers && bytes >= helperMinimumBytes
        let hasher = FileHasher()
        var rejects: [Reject] = []
        let versions = FileVersions(strings: strings)
        let packer = RecordPacker(normaliser: normaliser, strings: strings)
        var position = 0
        let pack: (RawRecordView) -> Void = { record in
            if let reject = versions.add(
                record, position: position, source: input.source, file: input.displayPath, packer: packer)
            {
                rejects.append(reject)
            }
            position += 1
        }
        // Packing reads `rejects` and `position` on the helper until `finish()` has joined it.
        let packing = helped ? PackingThread(pack: pack) : nil
        let report = FileReport(path: input.displayPath, source: source.name, bytes: bytes, sha256: "", status: .ok)
        do {
            let summary: ExportFileSummary
            do {
                defer { packing?.finish() }
                summary = try reader.readViews(
                    path: input.path,
                    readingAhead: helped,
                    observeRawBytes: { chunk in progress?.add(bytes: chunk.count) },
                    observeRawBytesWhereRead: { chunk in hasher.add(chunk) },
                    onRecord: { record in
                        if let packing { packing.add(record) } else { pack(record) }
                    })
            }
            progress?.add(records: summary.records)
            var whole = report
            whole.bytes = summary.bytesOnDisk
            return finished(
                input, report: whole, sha256: hasher.finish(), exportTimeText: summary.exportTime,
                modificationTime: summary.modificationTime, records: summary.records, versions: [(versions, 0)],
                rejects: rejects)
        } catch {
            return failed(input, report: report, error: error)
        }
    }

    /// `modificationTime`: the file's, as it was while read (the order of a file without an
    /// export time, R6).
    private func finished(
        _ input: InputFile, report: FileReport, sha256: String, exportTimeText: String?, modificationTime: Instant?,
        records: Int, versions: [(versions: FileVersions, positionOffset: Int)], rejects: [Reject]
    ) -> FileResult {
        var report = report
        var usedModificationTime = false
        let exportTime: Instant
        if let raw = exportTimeText, let instant = normaliser.dates.instant(from: raw) {
            exportTime = instant
        } else {
            exportTime = modificationTime ?? Instant(secondsSinceEpoch: 0)
            usedModificationTime = true
        }
        report.sha256 = sha256
        report.exportTime = normaliser.dates.clock.iso8601(exportTime)
        report.records = records
        report.rejected = rejects.count
        return FileResult(input: input, report: report, versions: versions, exportTime: exportTime,
                          rejects: rejects, usedModificationTime: usedModificationTime)
    }

    private func failed(_ input: InputFile, report: FileReport, error: IngestError) -> FileResult {
        var report = report
        report.status = .failed
        report.error = error.message
        report.line = error.line
        // A file that changed while read had no one version: no hash names it.
        if case .changedWhileReading = error {} else { report.sha256 = hashWholeFile(input.path) }
        return FileResult(input: input, report: report, versions: [], exportTime: Instant(secondsSinceEpoch: 0),
                          rejects: [], usedModificationTime: false)
    }

    // MARK: - One large file in pieces

    /// What one piece of a split file yielded; `outcome` nil when the piece could not be parsed.
    struct Piece: @unchecked Sendable {
        // @unchecked: built by one worker, read by the one that assembles the file afterwards.
        var outcome: PieceOutcome?
        var versions: FileVersions
        /// Lines as the piece counted them (`PieceUse.lineDelta` corrects them).
        var rejects: [Reject]
    }

    /// Reads and normalises piece `index` of a file read in pieces (`ExportReader.split`).
    func processPiece(_ input: InputFile, split: FileSplit, index: Int, strings: StringTable, progress: RunProgress?)
        -> Piece
    {
        var rejects: [Reject] = []
        let versions = FileVersions(strings: strings)
        let packer = RecordPacker(normaliser: normaliser, strings: strings)
        var position = 0
        let outcome = try? reader.readPiece(split, index) { record in
            if let reject = versions.add(
                record, position: position, source: input.source, file: input.displayPath, packer: packer)
            {
                rejects.append(reject)
            }
            position += 1
        }
        if let outcome {
            progress?.add(bytes: Int(outcome.bytesRead))
            progress?.add(records: outcome.records)
        }
        return Piece(outcome: outcome, versions: versions, rejects: rejects)
    }

    /// The file from its pieces and its whole read: what a sequential read would have given.
    /// When a piece it needs failed, or the whole read found other bytes than the pieces parsed
    /// (the file changed meanwhile), reads the file sequentially instead: it then counts as one
    /// version, or fails as changed while being read.
    func assemble(
        _ input: InputFile, split: FileSplit, pieces: [Piece], hash: SplitFileHash, strings: StringTable
    ) -> FileResult {
        let outcomes = pieces.map(\.outcome)
        guard let uses = split.assemble(outcomes), let checksums = hash.segmentChecksums,
              split.parsedSameBytes(outcomes, uses, as: checksums)
        else {
            return process(input, strings: strings, helpers: false, progress: nil)
        }
        let report = FileReport(
            path: input.displayPath, source: source.name, bytes: split.size, sha256: "", status: .ok)
        var rejects: [Reject] = []
        var versions: [(versions: FileVersions, positionOffset: Int)] = []
        var records = 0
        var exportTime: String?
        for use in uses {
            let piece = pieces[use.piece]
            versions.append((piece.versions, use.recordOffset))
            for var reject in piece.rejects {
                reject.line += use.lineDelta
                rejects.append(reject)
            }
            records += piece.outcome?.records ?? 0
            if exportTime == nil { exportTime = piece.outcome?.exportTime }
        }
        return finished(
            input, report: report, sha256: hash.sha256, exportTimeText: exportTime,
            modificationTime: Instant(secondsSinceEpoch: split.snapshot.modified), records: records,
            versions: versions, rejects: rejects)
    }
}

func fileSize(_ path: String) -> Int64 {
    var info = stat()
    return LosslessPath.withFileSystemPath(path, { stat($0, &info) }) == 0 ? Int64(info.st_size) : 0
}
