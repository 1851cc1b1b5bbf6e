import Foundation
import Testing

/// `make bench-smoke`, from `swift test`: the bench harness (Bench/bench.py, Bench/rawparse.c)
/// generates tiny sets with the built `onestop`, measures every command once and prints its
/// tables, checks and profile summary. No timing is asserted: only that everything ran, counted
/// right and printed each line, and that the shards' merge gave the single run's bytes.
@Suite("Bench harness smoke")
struct BenchSmokeTests {
    static var onestopBinary: String? {
        if let path = ProcessInfo.processInfo.environment["ONESTOP_BIN"] { return path }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("onestop").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        let fallback = repositoryRoot + "/.build/debug/onestop"
        return FileManager.default.isExecutableFile(atPath: fallback) ? fallback : nil
    }

    static var python: String? {
        ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
            .map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: python != nil && onestopBinary != nil, "needs python3 and the built onestop"))
    func harnessRunsOnTinyData() throws {
        let data = temporaryFolder("bench")
        defer { try? FileManager.default.removeItem(atPath: data) }
        let scratch = temporaryFolder("bench-out")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let stdoutPath = scratch + "/stdout"
        let stderrPath = scratch + "/stderr"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python!)
        process.arguments = [
            repositoryRoot + "/Bench/bench.py", "--smoke", "--onestop", Self.onestopBinary!, "--data", data,
        ]
        process.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let output = try String(contentsOfFile: stdoutPath, encoding: .utf8)
        let errors = try String(contentsOfFile: stderrPath, encoding: .utf8)

        #expect(process.terminationStatus == 0, "bench.py failed:\n\(errors)")
        #expect(output.contains("| command | input | time s | CPU s | MB/s | records/s | peak RSS MB | × raw SAX2 ×N |"))
        for run in ["onestop run --jobs 1", "onestop run --jobs 2"] {
            for input in ["A", "A.gz", "short", "long", "B", "S"] {
                #expect(output.contains("| \(run) | \(input) |"), "no row for \(run) on \(input)")
            }
        }
        // The province-year runs with every core only.
        #expect(output.split(separator: "\n").contains { $0.hasPrefix("| onestop run --jobs ") && $0.contains(" | P | ") })
        #expect(output.contains("| raw SAX2 ×2 (Bench/rawparse.c --jobs 2) | A |"))
        // Issue 14's lines: the parallel floor and CPU for every set, the province-year.
        for input in ["A", "A.gz", "short", "long", "B"] {
            #expect(output.contains("floor, \(input), --jobs 2: "), "no floor line for \(input)")
            #expect(output.contains("CPU, \(input), --jobs 2: "), "no CPU line for \(input)")
        }
        #expect(output.contains("floor, P, --jobs "))
        #expect(output.contains("CPU, P, --jobs "))
        #expect(output.contains("floor, A, --jobs 1: "))
        #expect(output.contains("province-year, P ("))
        #expect(output.contains("A --dossiers, --jobs 2: "))
        #expect(output.contains("records with distinct agency and procedure codes, one file"))
        #expect(output.contains("flat memory, --jobs 1"))
        #expect(output.contains("info  A.gz: --jobs 2 / --jobs 1 = "))
        // Set A's four sources in four shards and their merge, which must equal the single run.
        #expect(output.contains("| onestop 4 shards (--jobs 2) + merge | A |"))
        #expect(output.contains("info  A: 4 shards + merge: slowest shard "))
        #expect(output.contains("merged output byte-identical to the single run's: yes"))
        #expect(output.contains("Profile summary:"))
        #expect(!errors.contains("error:"), "\(errors)")
    }
}
