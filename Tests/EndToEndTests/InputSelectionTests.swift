import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 12, items 1 and 2, through the built binary: no input is passed over in silence, and no
/// file belongs to two sources.
@Suite("End to end: which files a run reads")
struct InputSelectionTests {
    static let demo = repositoryRoot + "/Fixtures/demo"

    /// A pipeline in `scratch`: the demo catalogue and dialects, `sources` as YAML flow lines.
    static func writePipeline(_ scratch: Scratch, sources: [String]) throws {
        try scratch.write("p.yaml", """
            pipeline: selection
            period: { from: 2022-01-01, to: 2022-12-31 }
            timezone: Asia/Ho_Chi_Minh
            catalogue: \(demo)/catalogue.csv
            dialects: \(repositoryRoot)/Pipelines/dialects
            sources:
            \(sources.map { "  - " + $0 }.joined(separator: "\n"))
            rules: { maxRejectRate: none }
            output: { directory: out }
            """)
    }

    /// Copies a demo export to `bytes` (a path relative to `scratch`, any bytes but NUL).
    static func copyDemo(_ name: String, to bytes: [UInt8], in scratch: Scratch) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: demo + "/" + name))
        let path = Array(scratch.path.utf8) + [UInt8(ascii: "/")] + bytes
        let fd = (path.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer {
            open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        try #require(fd >= 0)
        _ = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    /// Runs `command` (a shell command line: it can pass arguments that are not UTF-8) in
    /// `scratch`, returning the exit status and what it wrote on standard error.
    static func shellRun(_ command: String, in scratch: Scratch) throws -> (status: Int32, stderr: String) {
        let status = try shell("cd '\(scratch.path)' && \(command) 2> stderr.txt")
        return (status, (try? String(contentsOfFile: scratch.path + "/stderr.txt", encoding: .utf8)) ?? "")
    }

    static func files(_ summary: String) throws -> [[String: Any]] {
        ((try readJSON(summary)["accounting"] as? [String: Any])?["files"] as? [[String: Any]]) ?? []
    }

    @Test("A file whose name is not UTF-8 is read, from the pipeline's pattern and from the command line, and shown with \\xNN")
    func nameThatIsNotUTF8() throws {
        let scratch = Scratch("latin-name")
        try Self.writePipeline(scratch, sources: ["{ name: tinh, level: province, dialect: dvcqg, files: [\"in/*.xml\"] }"])
        try FileManager.default.createDirectory(atPath: scratch.path + "/in", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: scratch.path + "/plain", withIntermediateDirectories: true)
        // "tinh_hà.xml" written by a system that names files in windows-1258: à is byte 0xE0.
        try Self.copyDemo("tinh/tinh_20220701.xml", to: Array("in/tinh_h".utf8) + [0xE0] + Array(".xml".utf8), in: scratch)
        try Self.copyDemo("tinh/tinh_20220701.xml", to: Array("plain/tinh_ha.xml".utf8), in: scratch)
        let binary = OneStopCommand.binary

        let globbed = try Self.shellRun("'\(binary)' run p.yaml --quiet", in: scratch)
        #expect(globbed.status == 0, "\(globbed.stderr)")
        let listed = try Self.files(scratch.path + "/out/summary.json")
        #expect(listed.compactMap { $0["path"] as? String } == ["tinh_h\\xE0.xml"])
        #expect(listed.first?["status"] as? String == "ok")

        let given = try Self.shellRun("'\(binary)' run p.yaml \"$(printf 'in/tinh_h\\340.xml')\" --out given --quiet", in: scratch)
        #expect(given.status == 0, "\(given.stderr)")
        #expect(try Self.files(scratch.path + "/given/summary.json").compactMap { $0["path"] as? String } == ["tinh_h\\xE0.xml"])

        let plain = try Self.shellRun("'\(binary)' run p.yaml plain/tinh_ha.xml --out plain-out --quiet", in: scratch)
        #expect(plain.status == 0)
        for table in ["progress.csv", "procedures.csv", "agencies.csv"] {
            #expect(try read(scratch.path + "/out/" + table) == read(scratch.path + "/plain-out/" + table), "\(table)")
        }
    }

    @Test("A folder selects what the patterns match (any case, through a linked archive folder); what it passes over is named")
    func folderSelectsWhatPatternsMatch() throws {
        let scratch = Scratch("folder")
        try Self.writePipeline(scratch, sources: [
            "{ name: tinh, level: province, dialect: dvcqg, files: [\"in/tinh_*.xml\", \"in/TINH_*.XML\"] }",
            "{ name: dai_tu, level: district, dialect: dvcqg, files: [\"in/dai_tu_*.xml\"] }",
        ])
        for folder in ["in", "archive/2021"] {
            try FileManager.default.createDirectory(atPath: scratch.path + "/" + folder, withIntermediateDirectories: true)
        }
        try Self.copyDemo("tinh/tinh_20220701.xml", to: Array("in/tinh_20220701.xml".utf8), in: scratch)
        try Self.copyDemo("tinh/tinh_20221001.xml", to: Array("in/TINH_20221001.XML".utf8), in: scratch)
        try Self.copyDemo("dai_tu/dai_tu_20220701.xml", to: Array("archive/2021/dai_tu_20220701.xml".utf8), in: scratch)
        #expect(symlink("../archive/2021", scratch.path + "/in/2021") == 0)
        // A link back up: the walk must not loop.
        #expect(symlink("..", scratch.path + "/archive/2021/up") == 0)
        try scratch.write("in/README.txt", "exports of the provincial centre")

        let result = try ChildProcess.run(["run", scratch.path + "/p.yaml", scratch.path + "/in", "--out", scratch.path + "/out"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let files = try Self.files(scratch.path + "/out/summary.json")
        #expect(files.compactMap { $0["path"] as? String } == ["2021/dai_tu_20220701.xml", "TINH_20221001.XML", "tinh_20220701.xml"])
        #expect(files.compactMap { $0["source"] as? String } == ["dai_tu", "tinh", "tinh"])
        let warnings = result.stderr.split(separator: "\n").filter { $0.contains("warning") }
        #expect(warnings.contains { $0.contains("in/README.txt") && $0.contains("matches no source's 'files' pattern: not read") },
                "\(result.stderr)")
        #expect(!result.stderr.contains("dai_tu_20220701.xml"), "the selected files are not warned about")
    }

    @Test("A folder a pattern matches is named; a link whose target is gone fails as an input")
    func patternMatchesAFolderAndADanglingLink() throws {
        let scratch = Scratch("folder-match")
        try Self.writePipeline(scratch, sources: ["{ name: tinh, level: province, dialect: dvcqg, files: [\"in/*\"] }"])
        try FileManager.default.createDirectory(atPath: scratch.path + "/in/2021.xml", withIntermediateDirectories: true)
        try Self.copyDemo("tinh/tinh_20220701.xml", to: Array("in/tinh_20220701.xml".utf8), in: scratch)
        #expect(symlink("gone/latest.xml", scratch.path + "/in/latest.xml") == 0)

        let result = try ChildProcess.run(["run", scratch.path + "/p.yaml"])
        #expect(result.exitCode == 65, "\(result.stderr)")
        #expect(result.stderr.contains("2021.xml matches") && result.stderr.contains("but is a folder"), "\(result.stderr)")
        let files = try Self.files(scratch.path + "/out/summary.json")
        let latest = try #require(files.first { $0["path"] as? String == "latest.xml" })
        #expect(latest["status"] as? String == "failed")
        #expect((latest["error"] as? String)?.hasPrefix("cannot open file: No such file or directory") == true)
        #expect(files.first { $0["path"] as? String == "tinh_20220701.xml" }?["status"] as? String == "ok")
    }

    @Test("78: a file two sources' patterns match, by its name or through a link, names the file and both sources")
    func fileOfTwoSources() throws {
        let scratch = Scratch("two-sources")
        try FileManager.default.createDirectory(atPath: scratch.path + "/in", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: scratch.path + "/huyen", withIntermediateDirectories: true)
        try Self.copyDemo("tinh/tinh_20220701.xml", to: Array("in/tinh_20220701.xml".utf8), in: scratch)

        try Self.writePipeline(scratch, sources: [
            "{ name: tinh, level: province, dialect: dvcqg, files: [\"in/tinh_*.xml\"] }",
            "{ name: all, level: district, dialect: dvcqg, files: [\"in/*.xml\"] }",
        ])
        for arguments in [[String](), [scratch.path + "/in/tinh_20220701.xml"], [scratch.path + "/in"]] {
            let result = try ChildProcess.run(["run", scratch.path + "/p.yaml"] + arguments)
            #expect(result.exitCode == 78, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("p.yaml: \(scratch.path)/in/tinh_20220701.xml is matched by the patterns of two sources, "
                + "'tinh' (\(scratch.path)/in/tinh_*.xml) and 'all' (\(scratch.path)/in/*.xml)"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: scratch.path + "/out"), "nothing is written")
        }

        // The same file under another name, in another source's folder.
        #expect(symlink("../in/tinh_20220701.xml", scratch.path + "/huyen/latest.xml") == 0)
        try Self.writePipeline(scratch, sources: [
            "{ name: tinh, level: province, dialect: dvcqg, files: [\"in/*.xml\"] }",
            "{ name: huyen, level: district, dialect: dvcqg, files: [\"huyen/*.xml\"] }",
        ])
        let linked = try ChildProcess.run(["run", scratch.path + "/p.yaml"])
        #expect(linked.exitCode == 78, "\(linked.stderr)")
        #expect(linked.stderr.contains("in/tinh_20220701.xml (also reached as \(scratch.path)/huyen/latest.xml)"), "\(linked.stderr)")
        #expect(linked.stderr.contains("'tinh'") && linked.stderr.contains("'huyen'"))
    }
}
