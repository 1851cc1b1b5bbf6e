import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One run of the built binary over the demo's two plain `tinh` exports (files that must still
/// count) plus whatever a test puts in `<scratch>/in/` as the source `hostile`.
struct HostileRun {
    let scratch: Scratch
    let outcome: ChildProcess.Outcome
    var output: String { scratch.path + "/out" }

    /// The files every run reads besides the hostile ones.
    static let goodFiles = ["tinh_20220701.xml", "tinh_20221001.xml"]

    /// A pipeline over the good files and `<folder>/in/*` (dialect `dialect`), writing `<folder>/out`.
    static func pipeline(folder: String, dialect: String) -> String {
        """
        pipeline: hostile
        period: { from: 2022-01-01, to: 2022-12-31 }
        timezone: Asia/Ho_Chi_Minh
        catalogue: \(repositoryRoot)/Fixtures/demo/catalogue.csv
        dialects: \(repositoryRoot)/Pipelines/dialects
        sources:
          - name: tinh
            level: province
            dialect: dvcqg
            files: [\(goodFiles.map { "\"\(repositoryRoot)/Fixtures/demo/tinh/\($0)\"" }.joined(separator: ", "))]
          - name: hostile
            level: district
            dialect: \(dialect)
            files: ["\(folder)/in/*"]
            optional: true
        rules: { maxRejectRate: none }
        output: { directory: \(folder)/out }
        """
    }

    /// Writes the pipeline, lets `prepare` fill `in/`, runs `onestop run` with a hang guard.
    init(
        _ name: String, dialect: String = "dvcqg", timeout: Duration = .seconds(90),
        prepare: (Scratch) throws -> Void
    ) throws {
        scratch = Scratch(name)
        try FileManager.default.createDirectory(atPath: scratch.path + "/in", withIntermediateDirectories: true)
        try scratch.write("pipeline.yaml", Self.pipeline(folder: scratch.path, dialect: dialect))
        try prepare(scratch)
        outcome = try ChildProcess.run(
            ["run", scratch.path + "/pipeline.yaml", "--jobs", "2", "--quiet"], timeout: timeout)
    }

    /// `summary.json` of the run.
    func summary() throws -> [String: Any] {
        try readJSON(output + "/summary.json")
    }

    /// The `accounting.files` entry of the file whose path ends with `name`.
    func fileReport(_ name: String) throws -> [String: Any] {
        let files = (try summary()["accounting"] as? [String: Any])?["files"] as? [[String: Any]] ?? []
        return try #require(files.first { ($0["path"] as? String)?.hasSuffix("/" + name) == true },
                            "summary.json lists \(name)")
    }

    /// Every byte the run wrote (outputs, stdout, stderr), as text, to search for leaked content.
    func everythingWritten() -> String {
        var text = outcome.stdout + outcome.stderr
        for name in scratch.files(under: "out") {
            text += (try? String(contentsOfFile: output + "/" + name, encoding: .utf8)) ?? ""
        }
        return text
    }

    /// Checks the run failed `name` with a message containing `phrase`, exited 65, and that the
    /// good files still counted exactly as in a run without the hostile file.
    func expectFailedFile(_ name: String, phrase: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(!outcome.timedOut, "the run hung", sourceLocation: sourceLocation)
        #expect(outcome.signal == nil, "the run crashed with signal \(outcome.signal ?? 0)", sourceLocation: sourceLocation)
        #expect(outcome.exitCode == 65, "exit \(String(describing: outcome.exitCode)): \(outcome.stderr)",
                sourceLocation: sourceLocation)
        let report = try fileReport(name)
        #expect(report["status"] as? String == "failed", sourceLocation: sourceLocation)
        #expect((report["records"] as? NSNumber)?.intValue == 0, sourceLocation: sourceLocation)
        let error = report["error"] as? String ?? ""
        #expect(error.contains(phrase), "error: \(error)", sourceLocation: sourceLocation)
        #expect(!error.contains("\n"), sourceLocation: sourceLocation)
        #expect(outcome.stderr.contains(name), "stderr names the file: \(outcome.stderr)", sourceLocation: sourceLocation)
        try expectGoodFilesCounted(sourceLocation: sourceLocation)
    }

    /// The good files are `ok` and the figures equal those of the good files alone.
    func expectGoodFilesCounted(sourceLocation: SourceLocation = #_sourceLocation) throws {
        for name in Self.goodFiles {
            let report = try fileReport(name)
            #expect(report["status"] as? String == "ok", "\(name)", sourceLocation: sourceLocation)
        }
        let baseline = try HostileRun.baseline.get()
        for file in ["progress.csv", "agencies.csv"] {
            #expect(try read(output + "/" + file) == baseline[file], "\(file) as without the hostile file",
                    sourceLocation: sourceLocation)
        }
    }

    /// Peak memory bound for these small runs: docs/contract.md §7's fixed 64 MB (the few hundred dossiers
    /// add under 100 KB), plus half again for the debug build the tests run. Measured peaks are
    /// 34–48 MB; buffering a 100 MB text node or a 50 MB attribute would pass it.
    static let memoryBound = 96 * 1024 * 1024

    /// progress.csv and agencies.csv of the good files alone.
    static let baseline: Result<[String: String], any Error> = Result {
        let run = try HostileRun("baseline") { _ in }
        guard run.outcome.exitCode == 0 else {
            throw BaselineError(message: "baseline run exited \(String(describing: run.outcome.exitCode)): \(run.outcome.stderr)")
        }
        var files: [String: String] = [:]
        for file in ["progress.csv", "agencies.csv"] { files[file] = try read(run.output + "/" + file) }
        return files
    }

    struct BaselineError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

/// A dvcqg export document with `records` inside its root element.
func dvcqgExport(_ records: String, prolog: String = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") -> String {
    prolog + "<DanhSachHoSo MaDonVi=\"000.00.12.H55\" NgayXuat=\"20221201020000\">\n" + records + "</DanhSachHoSo>\n"
}

/// One complete, valid dvcqg record (in scope for 2022, not in the demo catalogue unless `code` is).
func dvcqgRecord(id: String, code: String = "9.000001", name: String = "Thủ tục thử", extra: String = "") -> String {
    """
      <HoSo>
        <MaHoSo>\(id)</MaHoSo>
        <MaTTHC>\(code)</MaTTHC>
        <TenTTHC>\(name)</TenTTHC>
        <DonViXuLy>000.00.99.H55</DonViXuLy>
        <KenhThucHien>2</KenhThucHien>
        <ChuHoSo>Nguyễn Văn Riêng Tư</ChuHoSo>
        <NgayTiepNhan>20221115083000</NgayTiepNhan>
        <NgayHenTra>20221125170000</NgayHenTra>
        <TrangThaiHoSo>4</TrangThaiHoSo>\(extra)
      </HoSo>

    """
}

/// Writes a large file piece by piece: `head`, then `repeat` written `count` times, then `tail`.
func writeLarge(_ path: String, head: String, repeat piece: [UInt8], count: Int, tail: String) throws {
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.write(contentsOf: Data(head.utf8))
    let block = Data(piece)
    for _ in 0..<count { try handle.write(contentsOf: block) }
    try handle.write(contentsOf: Data(tail.utf8))
}

/// A TCP listener on 127.0.0.1 (an ephemeral port) that only records whether anyone connected:
/// an entity or DTD URL pointing at it proves the parser never touched the network.
final class LocalListener {
    private let socketFD: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        socketFD = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit {
        close(socketFD)
    }

    /// Connections that arrived (and were not yet counted).
    func connections() -> Int {
        var count = 0
        while true {
            let client = accept(socketFD, nil, nil)
            guard client >= 0 else { break }
            close(client)
            count += 1
        }
        return count
    }

    var url: String { "http://127.0.0.1:\(port)" }
}
