import Foundation
import Logging
import OneStopModel
import OneStopPipeline
@testable import OneStopGenerate

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

let shippedDialects = repositoryRoot + "/Pipelines/dialects"

/// A fresh temporary folder path (not created), removed by the caller.
func temporaryFolder(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("onestop-gen-\(name)-\(UUID().uuidString)").path
}

/// Generates a set into a new temporary folder; returns the folder and the report.
func generate(
    dialectPath: String, records: Int, sources: Int = 3, seed: UInt64 = 11, nights: Int = 6, dossiers: Int? = nil,
    gzip: Bool = false, badRate: Double = 0.002, jobs: Int = 2, into folder: String? = nil
) throws -> (folder: String, report: GenerationReport) {
    let dialect = try DialectFile.load(path: dialectPath)
    let folder = folder ?? temporaryFolder("set")
    let settings = GenerationSettings(
        records: records, sources: sources, seed: seed, dialect: dialect, gzip: gzip, nights: nights,
        dossiers: dossiers, badRecordRate: badRate, jobs: jobs)
    let name = ((dialectPath as NSString).lastPathComponent as NSString).deletingPathExtension
    let report = try ExportGenerator(
        settings: settings, dialectsFolder: (dialectPath as NSString).deletingLastPathComponent, dialectName: name
    ).generate(into: folder)
    return (folder, report)
}

/// Runs the generated `pipeline.yaml` in-process into a temporary output folder.
func runPipeline(in folder: String, jobs: Int = 2) throws -> RunResult {
    let configuration = try PipelineFile.load(path: folder + "/pipeline.yaml")
    var logger = Logger(label: "onestop-generate-tests")
    logger.logLevel = .critical
    let options = RunOptions(outputDirectory: folder + "/out", jobs: jobs)
    return try PipelineRunner(configuration: configuration, options: options, logger: logger).run()
}

/// Every file below `folder`, relative path → bytes.
func contents(of folder: String) throws -> [String: Data] {
    var result: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: folder)
    while let relative = enumerator?.nextObject() as? String {
        var isDirectory: ObjCBool = false
        let path = folder + "/" + relative
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            result[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
        }
    }
    return result
}
