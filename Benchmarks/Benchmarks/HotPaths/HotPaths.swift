// Micro-benchmarks of the per-record hot paths of `onestop run` (`make bench-micro`):
// date parsing, record normalisation and aggregation, on synthetic dvcqg-like records.
// `make bench` measures the whole run; these show where its time goes.
import Benchmark
import Foundation
import OneStopAggregate
import OneStopModel
import OneStopNormalise
import OneStopPipeline

/// The repository root: this file is Benchmarks/Benchmarks/HotPaths/HotPaths.swift.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

/// `count` records as a dvcqg export carries them: statuses, channels, dates, supplements,
/// attachments in realistic proportions (fixed, not random: runs compare).
func makeRecords(_ count: Int) -> [RawRecord] {
    let procedures = ["1.004227", "1.009994", "2.000488", "1.001612", "2.002226", "1.001193"]
    let statuses = ["2", "4", "5", "9", "10", "10", "10", "10", "7", "3"]
    func stamp(_ day: Int, _ hour: Int, _ minute: Int) -> String {
        let month = 1 + day / 28 % 12
        let dayOfMonth = 1 + day % 28
        return String(format: "2022%02d%02d%02d%02d00", month, dayOfMonth, hour, minute)
    }
    var records: [RawRecord] = []
    records.reserveCapacity(count)
    for index in 0..<count {
        var record = RawRecord(line: 3 + 30 * index)
        let day = index % 330
        record[.dossierID] = "000.00.12.H55-2211\(15 + index % 10)-\(String(format: "%06d", index))"
        record[.procedureCode] = procedures[index % procedures.count]
        record[.procedureName] = "Cấp giấy phép xây dựng"
        record[.field] = "XD"
        record[.agency] = "000.00.12.H55"
        record[.channel] = ["1", "2", "2", "3"][index % 4]
        record[.returnMethod] = index % 7 == 0 ? "1" : "0"
        let status = statuses[index % statuses.count]
        record[.status] = status
        record[.received] = stamp(day, 8 + index % 8, index % 60)
        record[.due] = stamp(day + 10, 17, 0)
        if ["7", "9", "10"].contains(status) { record[.finished] = stamp(day + 4 + index % 9, 10, 30) }
        if status == "10" { record[.returned] = stamp(day + 6 + index % 9, 9, 0) }
        record[.digitised] = index % 3 == 0 ? "1" : "0"
        if index % 11 == 0 { record.supplements = [[stamp(day + 2, 9, 0), stamp(day + 3, 15, 0), nil]] }
        record.attachments = [["1"], ["0"]]
        records.append(record)
    }
    return records
}


/// `records` laid out once as the reader lends them (`RawRecordView`), so a benchmark of the
/// run's path measures the normaliser and not the copying `RawRecord.withView` does per call.
final class LaidOutRecords {
    let count: Int
    private let bytes: UnsafeMutablePointer<UInt8>
    private let ranges: UnsafeMutablePointer<RawValueRange>
    private var layout: [(line: Int, fields: Int, supplements: Int, supplementCount: Int, attachments: Int,
                          attachmentCount: Int)] = []

    init(_ records: [RawRecord]) {
        var data: [UInt8] = []
        var allRanges: [RawValueRange] = []
        func range(_ value: String?) -> RawValueRange {
            guard let value else { return .absent }
            let start = data.count
            data.append(contentsOf: value.utf8)
            return RawValueRange(start: start, count: data.count - start)
        }
        for record in records {
            let fields = allRanges.count
            allRanges += record.values.map(range)
            let supplements = allRanges.count
            for entry in record.supplements { allRanges += SupplementField.allCases.map { range(entry[$0.rawValue]) } }
            let attachments = allRanges.count
            for entry in record.attachments { allRanges += AttachmentField.allCases.map { range(entry[$0.rawValue]) } }
            layout.append((record.line, fields, supplements, record.supplements.count, attachments,
                           record.attachments.count))
        }
        count = records.count
        bytes = .allocate(capacity: max(data.count, 1))
        bytes.initialize(from: data, count: data.count)
        ranges = .allocate(capacity: max(allRanges.count, 1))
        ranges.initialize(from: allRanges, count: allRanges.count)
    }

    deinit {
        bytes.deallocate()
        ranges.deallocate()
    }

    func view(_ index: Int) -> RawRecordView {
        let entry = layout[index]
        return RawRecordView(
            line: entry.line, bytes: bytes, fields: ranges + entry.fields, supplements: ranges + entry.supplements,
            supplementCount: entry.supplementCount, attachments: ranges + entry.attachments,
            attachmentCount: entry.attachmentCount)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 3, maxDuration: .seconds(3))

    let clock = LocalClock(identifier: "Asia/Ho_Chi_Minh")!
    let dvcqg = try! DialectFile.load(path: repositoryRoot + "/Pipelines/dialects/dvcqg.yaml")
    let normaliser = try! RecordNormaliser(dialect: dvcqg, clock: clock)
    let records = makeRecords(10_000)
    let dates = records.flatMap { [$0[.received]!, $0[.due]!] }
    let slashDates = dates.map { text -> String in
        let bytes = Array(text)
        return "\(String(bytes[6..<8]))/\(String(bytes[4..<6]))/\(String(bytes[0..<4])) "
            + "\(String(bytes[8..<10])):\(String(bytes[10..<12])):\(String(bytes[12..<14]))"
    }

    Benchmark("DateParser.instant yyyyMMddHHmmss", configuration: .init(scalingFactor: .kilo)) { benchmark in
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(normaliser.dates.instant(from: dates[index % dates.count]))
            index &+= 1
        }
    }

    Benchmark("DateParser.instant dd/MM/yyyy HH:mm:ss", configuration: .init(scalingFactor: .kilo)) { benchmark in
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(normaliser.dates.instant(from: slashDates[index % slashDates.count]))
            index &+= 1
        }
    }

    // The run's path: the reader's borrowed view → RecordPacker → a file's DossierTable (a new
    // table every 10 000 records, as a file of that size would have).
    let laidOut = LaidOutRecords(records)
    Benchmark("RecordPacker.normalise dvcqg (the run's path)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let strings = StringTable()
        let packer = RecordPacker(normaliser: normaliser, strings: strings)
        var table = DossierTable(strings: strings)
        var index = 0
        for _ in benchmark.scaledIterations {
            if index == laidOut.count {
                index = 0
                table = DossierTable(strings: strings)
            }
            blackHole(packer.normalise(laidOut.view(index), source: 0, file: "src01/x.xml", into: table))
            index &+= 1
        }
    }

    let dossiers = makeRecords(100_000).compactMap { record -> Dossier? in
        if case .dossier(let dossier) = normaliser.normalise(record, source: 0, file: "x.xml"), dossier.status.isAccepted {
            return dossier
        }
        return nil
    }
    let catalogue = Catalogue(entries: [
        CatalogueEntry(code: "1.004227", name: "Cấp giấy phép môi trường", field: "MT", level: .province, online: .full, postal: true),
        CatalogueEntry(code: "2.000488", name: "Cấp Phiếu lý lịch tư pháp", field: "TP", level: .province, online: .partial, postal: false),
    ])
    for jobs in [1, 2] {
        let settings = AggregationSettings(
            period: Period(from: LocalDate(year: 2022, month: 1, day: 1)!, to: LocalDate(year: 2022, month: 12, day: 31)!),
            clock: clock, catalogue: catalogue, sources: [Source(name: "src01", level: .province)], monthly: true,
            jobs: jobs)
        Benchmark("aggregate \(dossiers.count) dossiers, jobs \(jobs)", configuration: .init(maxDuration: .seconds(5))) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(aggregate(dossiers, settings: settings))
            }
        }
    }
}
