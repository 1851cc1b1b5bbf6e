import Foundation
import OneStopModel

/// `onestop generate`: writes a deterministic, realistic set of nightly exports in one dialect,
/// with its procedure catalogue and a ready-to-run pipeline file, so that anyone can rebuild
/// the benchmark data (docs/contract.md §7) or a test set of any size.
///
/// Layout of the output folder:
/// - `srcNN/srcNN_yyyyMMdd_K.xml` (or `.xml.gz`): the exports of system `srcNN`, one per night;
/// - `catalogue.csv`: the procedure catalogue (docs/contract.md §2.2);
/// - `pipeline.yaml`: a pipeline over the set, with relative paths;
/// - `generated.json`: what was written (records, bad records, distinct dossiers, bytes), last.
///
/// Files are written in parallel and streamed; equal settings give byte-identical files,
/// whatever the number of jobs.
public struct ExportGenerator: Sendable {
    public let settings: GenerationSettings
    /// The folder of dialect files the pipeline names (absolute), and the dialect's file name
    /// there without `.yaml`.
    public let dialectsFolder: String
    public let dialectName: String

    public init(settings: GenerationSettings, dialectsFolder: String, dialectName: String) {
        self.settings = settings
        self.dialectsFolder = dialectsFolder
        self.dialectName = dialectName
    }

    /// The version written into `generated.json`; bump it when the output changes for equal settings.
    public static let version = "onestop-generate 2"

    /// Writes the set into `folder`, which must be missing or empty.
    public func generate(into folder: String) throws(GenerationError) -> GenerationReport {
        try settings.validate()
        try ExportGenerator.prepare(folder: folder)

        let settings = self.settings
        let catalogue = ProcedureCatalogue()
        let fields = Array(Set(catalogue.procedures.map(\.field))).sorted()
        let writer = try ExportWriter(
            dialect: settings.dialect, catalogue: catalogue, seed: settings.seed, year: settings.year,
            badRecordRate: settings.badRecordRate)
        let sources = (0..<settings.sources).map { index in
            GeneratedSource(
                index: index, sources: settings.sources,
                dossiers: ExportGenerator.share(settings.dossiers, index, settings.sources),
                nights: settings.nights, year: settings.year, fields: fields)
        }
        let plans = try ParallelWork.map(count: sources.count, jobs: settings.jobs) { (index) throws(GenerationError) in
            try ExportPlan(
                source: sources[index], records: ExportGenerator.share(settings.records, index, settings.sources),
                seed: settings.seed, catalogue: catalogue, year: settings.year)
        }

        for source in sources {
            try ExportGenerator.makeFolder((folder as NSString).appendingPathComponent(source.name))
        }
        let width = String(settings.nights).count
        let tasks = sources.flatMap { source in (0..<settings.nights).map { (source: source.index, night: $0) } }
        let suffix = settings.gzip ? ".xml.gz" : ".xml"
        let files = try ParallelWork.map(count: tasks.count, jobs: settings.jobs) { (index) throws(GenerationError) in
            let (sourceIndex, night) = tasks[index]
            let source = sources[sourceIndex]
            let (y, m, d) = source.exportTimes[night].date
            let stamp = String(format: "%04d%02d%02d", y, m, d)
            let number = String(repeating: "0", count: width - String(night + 1).count) + String(night + 1)
            let relative = "\(source.name)/\(source.name)_\(stamp)_\(number)\(suffix)"
            let path = (folder as NSString).appendingPathComponent(relative)
            let sink: OutputSink = settings.gzip ? try GzipSink(path: path) : try FileSink(path: path)
            return try writer.write(
                source: source, night: night, dossiers: plans[sourceIndex].nights[night], sink: sink, relativePath: relative)
        }

        let report = GenerationReport(
            generator: ExportGenerator.version, dialect: dialectName, seed: settings.seed, year: settings.year,
            sources: settings.sources, nights: settings.nights, gzip: settings.gzip, dossiers: settings.dossiers,
            records: files.reduce(0) { $0 + $1.records }, badRecords: files.reduce(0) { $0 + $1.badRecords },
            xmlBytes: files.reduce(0) { $0 + $1.xmlBytes }, bytesOnDisk: files.reduce(0) { $0 + $1.bytesOnDisk },
            files: files)
        try ExportGenerator.save(catalogue.csv, to: folder, name: "catalogue.csv")
        try ExportGenerator.save(
            PipelineFileText.render(
                settings: settings, sources: sources, dialectsFolder: dialectsFolder, dialectName: dialectName,
                records: report.records),
            to: folder, name: "pipeline.yaml")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            let data = try encoder.encode(report)
            try ExportGenerator.save(String(decoding: data, as: UTF8.self) + "\n", to: folder, name: "generated.json")
        } catch let error as GenerationError {
            throw error
        } catch {
            throw .cannotWrite(path: "generated.json", reason: "\(error)")
        }
        return report
    }

    /// The `index`-th of `parts` near-equal shares of `total`.
    static func share(_ total: Int, _ index: Int, _ parts: Int) -> Int {
        (index + 1) * total / parts - index * total / parts
    }

    private static func prepare(folder: String) throws(GenerationError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .cannotWrite(path: folder, reason: "it is not a folder") }
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            guard contents.isEmpty else {
                throw .cannotWrite(path: folder, reason: "the folder is not empty (the generator never overwrites a set)")
            }
        }
        try makeFolder(folder)
    }

    private static func makeFolder(_ path: String) throws(GenerationError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: path, reason: error.localizedDescription)
        }
    }

    private static func save(_ text: String, to folder: String, name: String) throws(GenerationError) {
        let path = (folder as NSString).appendingPathComponent(name)
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}
