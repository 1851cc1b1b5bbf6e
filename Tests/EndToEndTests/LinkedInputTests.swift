import Foundation
import Testing

/// Exports kept behind links (`latest.xml → 2022-11-25.xml`, a dated archive folder linked into
/// the pipeline's): the name given is the name that counts.
@Suite("Inputs named through links")
struct LinkedInputTests {
    let folder: String
    let fileManager = FileManager.default

    init() throws {
        folder = OneStopCommand.temporaryOutput("links")
        try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// Writes `links.yaml`: the demo catalogue and dialects, sources `dai_tu` and `tinh` reading
    /// the given patterns.
    func writePipeline(daiTu: String, tinh: String) throws {
        try """
            pipeline: links
            period: { from: 2022-01-01, to: 2022-12-31 }
            timezone: Asia/Ho_Chi_Minh
            catalogue: \(repositoryRoot)/Fixtures/demo/catalogue.csv
            dialects: \(repositoryRoot)/Pipelines/dialects
            sources:
              - { name: dai_tu, level: district, dialect: dvcqg, files: ["\(daiTu)"] }
              - { name: tinh, level: province, dialect: dvcqg, files: ["\(tinh)"], optional: true }
            """.write(toFile: folder + "/links.yaml", atomically: true, encoding: .utf8)
    }

    /// Runs `links.yaml` in `folder` writing `out` there; the files of its `summary.json`.
    func run(_ arguments: [String], out: String) throws -> [[String: Any]] {
        let result = try OneStopCommand.run(["run", "links.yaml"] + arguments + ["--out", out, "--quiet"], in: folder)
        #expect(result.status == 0, "\(out): \(result.stderr)")
        let summary = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: folder + "/" + out + "/summary.json"))) as? [String: Any]
        return (summary?["accounting"] as? [String: Any])?["files"] as? [[String: Any]] ?? []
    }

    func copyDemoExport(to path: String) throws {
        try fileManager.createDirectory(
            atPath: (folder + "/" + path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try fileManager.copyItem(
            atPath: repositoryRoot + "/Fixtures/demo/dai_tu/dai_tu_20220701.xml", toPath: folder + "/" + path)
    }

    @Test("A linked export keeps its link's name: its source is found by it, outputs show it, and a file named twice is read once")
    func linkNamesCount() throws {
        defer { try? fileManager.removeItem(atPath: folder) }
        // Two sources told apart by file name only.
        try writePipeline(daiTu: folder + "/in/dai_tu_*.xml", tinh: folder + "/in/tinh_*.xml")
        // The target's own name matches neither source; the links' names match `dai_tu`.
        try copyDemoExport(to: "store/export.xml")
        try copyDemoExport(to: "plain/dai_tu_20220701.xml")
        try fileManager.createDirectory(atPath: folder + "/in", withIntermediateDirectories: true)
        #expect(symlink(folder + "/store/export.xml", folder + "/in/dai_tu_20220701.xml") == 0)
        #expect(symlink("../store/export.xml", folder + "/in/dai_tu_latest.xml") == 0)
        #expect(link(folder + "/store/export.xml", folder + "/in/dai_tu_hardlink.xml") == 0)

        // The pipeline's own patterns find three names of one file: read once, under the first.
        let globbed = try run([], out: "globbed")
        #expect(globbed.compactMap { $0["path"] as? String } == ["dai_tu_20220701.xml"])
        #expect(globbed.first?["source"] as? String == "dai_tu")
        // Given on the command line, a link is assigned to a source by its own name.
        let given = try run([folder + "/in/dai_tu_latest.xml"], out: "given")
        #expect(given.compactMap { $0["path"] as? String } == ["dai_tu_latest.xml"])
        #expect(given.first?["source"] as? String == "dai_tu")
        // The same figures as the file read under its own name.
        _ = try run([folder + "/plain/dai_tu_20220701.xml"], out: "plain-out")
        for table in ["progress.csv", "procedures.csv", "agencies.csv", "rejects.csv"] {
            let plain = try read(folder + "/plain-out/" + table)
            #expect(try read(folder + "/globbed/" + table) == plain, "\(table)")
        }
    }

    @Test("A source folder reached through a linked folder: inputs given on the command line match the pipeline's patterns")
    func linkedFolder() throws {
        defer { try? fileManager.removeItem(atPath: folder) }
        // Both sources' patterns end in `*.xml`: only the folder tells them apart.
        try writePipeline(daiTu: "in/dai_tu/*.xml", tinh: "in/tinh/*.xml")
        try copyDemoExport(to: "real/dai_tu/export.xml")
        try fileManager.createDirectory(atPath: folder + "/real/tinh", withIntermediateDirectories: true)
        #expect(symlink("real", folder + "/in") == 0)

        let files = try run(["in/dai_tu/export.xml"], out: "out")
        #expect(files.first?["source"] as? String == "dai_tu")
        #expect(files.count == 1)

        // The output directory is the exception: a link to it is followed, and stays a link.
        try fileManager.createDirectory(atPath: folder + "/published", withIntermediateDirectories: true)
        #expect(symlink("published", folder + "/latest") == 0)
        _ = try run([], out: "latest")
        #expect((try? fileManager.destinationOfSymbolicLink(atPath: folder + "/latest")) == "published")
        #expect(fileManager.fileExists(atPath: folder + "/published/summary.json"))
    }
}
