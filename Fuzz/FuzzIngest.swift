// libFuzzer entry point over ingest + normalise + deduplication (not part of `swift build`: it
// needs the fuzzer runtime). Built by Fuzz/build.sh, run by `make fuzz`; see Fuzz/README.md.
//
// Each input is written to a file (ExportReader reads paths, like the real run) and read with
// both shipped dialects, three times: in the usual 256 KiB chunks, in small chunks of a size
// picked from the input's hash (so chunk and gzip member boundaries fall everywhere), and in
// those chunks read ahead on a helper thread — every read must give the same records. Every
// record goes down two normalisation paths: the production one (the reader's view →
// RecordPacker → FileVersions, then DossierStore once the file is whole) and a reference
// (ReferenceNormaliser, the test suite's plain restatement of the rules on Strings →
// Deduplicator). They must agree record by record (kept or rejected, the same reject, the same
// packed dossier) and on the winners; the reader's outcome is checked against invariants a
// crash alone would not reveal.

import Foundation
@testable import OneStopIngest
import OneStopModel
import OneStopNormalise

#if canImport(Glibc)
import Glibc
#endif

/// What one dialect is read and normalised with.
private struct Case {
    var reader: ExportReader
    var normaliser: RecordNormaliser
    var reference: ReferenceNormaliser
}

/// State built once per process: the readers, normalisers and the scratch file.
private struct Harness: @unchecked Sendable {
    let cases: [Case]
    let path: String

    init() {
        guard let clock = LocalClock(identifier: "Asia/Ho_Chi_Minh") else { preconditionFailure("no tz data") }
        cases = [FuzzDialects.dvcqg, FuzzDialects.igate].map { dialect in
            do {
                return Case(reader: ExportReader(dialect: dialect),
                            normaliser: try RecordNormaliser(dialect: dialect, clock: clock),
                            reference: try ReferenceNormaliser(dialect: dialect, clock: clock))
            } catch {
                preconditionFailure("fuzz dialect \(dialect.name) does not compile: \(error)")
            }
        }
        let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        path = "\(folder)/onestop-fuzz-\(getpid()).xml"
    }
}

nonisolated(unsafe) private var harness: Harness?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if harness == nil { harness = Harness() }
    guard let harness else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard write(file: harness.path, bytes) else { return 0 }
    // FNV-1a of the input: the same input always gets the same chunk size.
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    let readSizes = [4096, 509, 61, 7]
    let small = readSizes[Int(hash % UInt64(readSizes.count))]
    // Lines are counted in the text the parser sees; for a plain file every line ends in a 0x0A
    // byte (in UTF-16 too), so their count bounds every line number reported.
    let isGzip = size >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    let maxLine = isGzip ? Int.max : bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    for normalising in harness.cases {
        var reader = normalising.reader
        let whole = read(reader, normalising, path: harness.path, size: size, maxLine: maxLine)
        // The same file read in small chunks: exactly the same outcome (chunk boundaries are an
        // artefact of reading; a record must not change or vanish with them).
        reader.readSize = small
        let chunked = read(reader, normalising, path: harness.path, size: size, maxLine: maxLine)
        precondition(whole.failed == chunked.failed,
                     "\(reader.readSize)-byte chunks: \(chunked.failure ?? "ok") vs whole: \(whole.failure ?? "ok")")
        if !whole.failed {
            precondition(whole.summary == chunked.summary, "summary differs with \(small)-byte chunks")
            precondition(whole.records == chunked.records, "records differ with \(small)-byte chunks")
        }
        // Read ahead on a helper thread, in the same chunks: the very same outcome, failure
        // message and all (the events cross threads in order).
        let ahead = read(reader, normalising, path: harness.path, size: size, maxLine: maxLine, readingAhead: true)
        precondition(ahead.failure == chunked.failure,
                     "reading ahead: \(ahead.failure ?? "ok") vs in line: \(chunked.failure ?? "ok")")
        precondition(ahead.summary == chunked.summary, "summary differs when reading ahead")
        precondition(ahead.records == chunked.records, "records differ when reading ahead")
    }
    return 0
}

/// What one read produced.
private struct Outcome {
    var records: [RawRecord] = []
    var summary: ExportFileSummary?
    var failure: String?
    var failed: Bool { failure != nil }
}

private func read(
    _ reader: ExportReader, _ normalising: Case, path: String, size: Int, maxLine: Int,
    readingAhead: Bool = false
) -> Outcome {
    var outcome = Outcome()
    var observed = 0
    // The reference path: whole records, ReferenceNormaliser, Deduplicator.
    var deduplicator = Deduplicator()
    var accepted = 0
    // The production path (FileProcessor.process): one packer and one FileVersions per file.
    let strings = StringTable()
    let normaliser = normalising.normaliser
    let packer = RecordPacker(normaliser: normaliser, strings: strings)
    let versions = FileVersions(strings: strings)
    do {
        let summary = try reader.readViews(
            path: path,
            readingAhead: readingAhead,
            observeRawBytes: { observed += $0.count },
            onRecord: { view in
                let record = view.makeRecord()
                let position = outcome.records.count
                outcome.records.append(record)
                precondition(record.line >= 1 && record.line <= maxLine, "record line \(record.line) of \(maxLine)")
                let before = versions.count
                let fast = versions.add(view, position: position, source: 0, file: "fuzz.xml", packer: packer)
                switch normalising.reference.normalise(record, source: 0, file: "fuzz.xml") {
                case .dossier(let dossier):
                    accepted += 1
                    precondition(fast == nil, "line \(record.line): the reference keeps the record, the run "
                        + "rejects it: \(fast.map { "\($0.field): \($0.reason)" } ?? "")")
                    precondition(versions.count == before + 1, "line \(record.line): kept, but not added")
                    let table = versions.table
                    precondition(table[before] == PackedDossier(dossier, strings: strings),
                                 "line \(record.line): the run packs \(table[before]), the reference \(dossier)")
                    precondition(table.id(at: before) == dossier.id,
                                 "line \(record.line): id \(table.id(at: before)) vs \(dossier.id)")
                    precondition(table.waits(at: before) == dossier.supplements.map(\.wait),
                                 "line \(record.line): the supplement requests differ")
                    deduplicator.offer(dossier, order: VersionOrder(
                        exportTime: Instant(secondsSinceEpoch: 0), path: "fuzz.xml", position: position))
                case .rejected(let reject):
                    precondition(!reject.field.isEmpty, "a reject without its field")
                    precondition(reject.line == record.line, "a reject on another line than its record")
                    precondition(fast == reject, "line \(record.line): the reference rejects it (\(reject.field): "
                        + "\(reject.reason)), the run \(fast.map { "\($0.field): \($0.reason)" } ?? "keeps it")")
                    precondition(versions.count == before, "line \(record.line): rejected, but added")
                }
            })
        precondition(summary.records == outcome.records.count,
                     "summary counts \(summary.records), delivered \(outcome.records.count)")
        precondition(summary.bytesOnDisk == Int64(size), "bytesOnDisk \(summary.bytesOnDisk) ≠ \(size)")
        precondition(observed == size, "observed \(observed) ≠ \(size)")
        precondition(versions.count == accepted, "the run kept \(versions.count), the reference \(accepted)")
        if let exportTime = summary.exportTime { _ = normaliser.dates.instant(from: exportTime) }
        // The file is whole: commit it as a run does (R8) and compare the winners (R5–R7).
        let store = DossierStore(strings: strings)
        store.commit(versions, file: store.registerFile(exportTime: Instant(secondsSinceEpoch: 0), path: "fuzz.xml"))
        compareWinners(store, deduplicator, strings: strings)
        outcome.summary = summary
    } catch {
        // A failed file: its message must be a single printable line with a sane line number.
        let message = error.message
        precondition(!message.isEmpty, "an empty error message")
        precondition(!message.contains("\n"), "a multi-line error message: \(message)")
        if let line = error.line { precondition(line >= 0 && line <= maxLine, "error line \(line) of \(maxLine)") }
        outcome.failure = message
    }
    return outcome
}

/// The store keeps the same winners as the deduplicator: as many, as many superseded, and for
/// each (source, dossier id) the same version, packed.
private func compareWinners(_ store: DossierStore, _ deduplicator: Deduplicator, strings: StringTable) {
    let expected = deduplicator.winners()
    precondition(store.count == expected.count, "DossierStore keeps \(store.count), Deduplicator \(expected.count)")
    precondition(store.superseded == deduplicator.superseded,
                 "superseded: DossierStore \(store.superseded), Deduplicator \(deduplicator.superseded)")
    let winners = store.winners
    let order = (0..<winners.count).map { (source: winners[$0].source, id: winners.id(at: $0), index: $0) }
        .sorted { ($0.source, $0.id) < ($1.source, $1.id) }
    for (kept, reference) in zip(order, expected) {
        precondition(kept.source == reference.source && kept.id == reference.id,
                     "winner (\(kept.source), \(kept.id)) vs (\(reference.source), \(reference.id))")
        precondition(winners[kept.index] == PackedDossier(reference, strings: strings),
                     "winner \(kept.id): DossierStore keeps another version than Deduplicator")
        precondition(winners.waits(at: kept.index) == reference.supplements.map(\.wait),
                     "winner \(kept.id): the supplement requests differ")
    }
}

private func write(file path: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var offset = 0
    while offset < bytes.count {
        let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if written <= 0 { return false }
        offset += written
    }
    return true
}
