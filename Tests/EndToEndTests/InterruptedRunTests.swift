import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 4, item 4: SIGTERM or SIGKILL at any moment of a run leaves the previous output set
/// whole (never files of two runs mixed); SIGTERM also removes the staging directory and ends
/// the process by the signal; a leftover from SIGKILL goes with the next run; two runs on the
/// same output directory at once — the second is refused (exit 73) while the first holds it.
@Suite("End to end: interrupted and concurrent runs", .serialized)
struct InterruptedRunTests {
    /// A workspace with a generated input big enough that reading it takes about a second, the
    /// pipeline over it, and the two complete output sets it can produce: "old" (the first half
    /// of 2022) and "new" (the whole year), which differ in every file.
    final class Workspace: Sendable {
        let scratch = Scratch("interrupted")
        var pipeline: String { scratch.path + "/pipeline.yaml" }
        var output: String { scratch.path + "/work/out" }
        var parent: String { scratch.path + "/work" }
        let old: [String: Data]
        let new: [String: Data]
        static let oldPeriod = ["--to", "2022-06-30"]

        init() throws {
            for file in 0..<8 {
                var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<DanhSachHoSo MaDonVi=\"000.00.12.H55\" NgayXuat=\"2022120\(file + 1)020000\">\n"
                let padding = String(repeating: "x", count: 200)
                for index in 0..<4_000 {
                    let month = 1 + index % 12
                    let day = 1 + (index * 7 + file) % 28
                    let date = "2022" + (month < 10 ? "0" : "") + "\(month)" + (day < 10 ? "0" : "") + "\(day)"
                    text += """
                          <HoSo>
                            <MaHoSo>GEN-\(file)-\(index)</MaHoSo>
                            <MaTTHC>1.00422\(index % 3)</MaTTHC>
                            <DonViXuLy>000.00.1\(index % 5).H55</DonViXuLy>
                            <KenhThucHien>\(1 + index % 3)</KenhThucHien>
                            <ChuHoSo>Nguyễn Văn A</ChuHoSo>
                            <ThongTinKhac>\(padding)</ThongTinKhac>
                            <NgayTiepNhan>\(date)083000</NgayTiepNhan>
                            <NgayHenTra>\(date)170000</NgayHenTra>
                            <TrangThaiHoSo>\(index % 2 == 0 ? 4 : 10)</TrangThaiHoSo>
                            <NgayTra>\(date)160000</NgayTra>
                          </HoSo>

                        """
                }
                try scratch.write("in/export-\(file).xml", text + "</DanhSachHoSo>\n")
            }
            try scratch.write("pipeline.yaml", """
                pipeline: interrupted
                period: { from: 2022-01-01, to: 2022-12-31 }
                timezone: Asia/Ho_Chi_Minh
                catalogue: \(repositoryRoot)/Fixtures/demo/catalogue.csv
                dialects: \(repositoryRoot)/Pipelines/dialects
                sources:
                  - { name: tinh, level: province, dialect: dvcqg, files: "\(scratch.path)/in/*.xml" }
                output: { directory: \(scratch.path)/work/out, monthly: true }
                """)
            old = try Self.reference(scratch.path, "reference-old", Self.oldPeriod)
            new = try Self.reference(scratch.path, "reference-new", [])
        }

        /// A complete run into `<folder>/<name>`, and what it wrote.
        static func reference(_ folder: String, _ name: String, _ extra: [String]) throws -> [String: Data] {
            let output = folder + "/" + name
            let outcome = try ChildProcess.run(["run", folder + "/pipeline.yaml", "--out", output, "--quiet"] + extra)
            guard outcome.exitCode == 0 else {
                throw HostileRun.BaselineError(message: "reference run \(name): \(outcome.stderr)")
            }
            return try snapshot(output)
        }

        /// Every file of a folder with its bytes.
        static func snapshot(_ folder: String) throws -> [String: Data] {
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
                files[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
            }
            return files
        }

        /// Puts the old set in the output directory, as the previous run left it (a copy of the
        /// reference run's output: the same bytes, without spending a run on it).
        func publishOld() throws {
            try? FileManager.default.removeItem(atPath: parent)
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: scratch.path + "/reference-old", toPath: output)
            #expect(try Self.snapshot(output) == old)
        }

        /// The output directory holds the old set or the new set, whole.
        func outputIsOneWholeSet() throws -> String {
            let now = try Self.snapshot(output)
            if now == old { return "old" }
            if now == new { return "new" }
            let mixed = now.keys.sorted().map { name in
                "\(name): \(now[name] == old[name] ? "old" : now[name] == new[name] ? "new" : "neither")"
            }
            Issue.record("the output directory mixes runs: \(mixed.joined(separator: ", "))")
            return "mixed"
        }

        /// Hidden staging directories beside the output directory.
        var stagingDirectories: [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []).filter { $0.hasPrefix(".out.staging-") }
        }

        /// Waits (up to 30 s) until `condition` holds.
        func waitFor(_ what: String, _ condition: () -> Bool) -> Bool {
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                if condition() { return true }
                usleep(2_000)
            }
            Issue.record("timed out waiting for \(what)")
            return false
        }
    }

    static let workspace = Result { try Workspace() }

    @Test("The two sets differ in every file, so a mix would show")
    func referenceSetsDiffer() throws {
        let workspace = try Self.workspace.get()
        #expect(Set(workspace.old.keys) == ["agencies.csv", "agency_scorecard.csv", "figures.csv", "monthly.csv", "procedures.csv", "progress.csv", "rejects.csv", "report.html", "summary.json"])
        #expect(Set(workspace.old.keys) == Set(workspace.new.keys))
        for name in workspace.old.keys where name != "rejects.csv" {
            #expect(workspace.old[name] != workspace.new[name], "\(name)")
        }
    }

    @Test("SIGTERM or SIGKILL while reading: the old set stays whole", arguments: [
        (SIGTERM, 50), (SIGKILL, 50), (SIGTERM, 200), (SIGKILL, 200), (SIGTERM, 500), (SIGKILL, 500),
    ])
    func interruptedWhileReading(signal: Int32, afterMilliseconds delay: Int) throws {
        let workspace = try Self.workspace.get()
        try workspace.publishOld()
        let child = try ChildProcess(["run", workspace.pipeline, "--quiet"])
        // The delay counts from when the run handles termination signals, not from the spawn: on
        // a loaded machine starting alone can take 200 ms.
        guard workspace.waitFor("the signal handling", { Self.handlesSIGTERM(child.pid) }) else { return }
        usleep(UInt32(delay) * 1000)
        child.send(signal)
        let outcome = child.wait(timeout: .seconds(60))
        #expect(!outcome.timedOut)
        if outcome.exitCode == 0 {
            // The run was faster than the signal: then it published the new set, whole.
            #expect(try workspace.outputIsOneWholeSet() == "new")
        } else if try workspace.outputIsOneWholeSet() == "new" {
            // Published, then ended while keeping itself in the run history: the new set is whole,
            // and SIGTERM says the history keeps nothing of the run.
            #expect(outcome.signal == signal)
            if signal == SIGTERM {
                #expect(outcome.stderr.contains("interrupted by SIGTERM after the new output set was published; it is complete"),
                        "\(outcome.stderr)")
            }
        } else {
            #expect(outcome.signal == signal, "ended by \(String(describing: outcome.signal)), exit \(String(describing: outcome.exitCode))")
            #expect(try workspace.outputIsOneWholeSet() == "old")
            if signal == SIGTERM {
                #expect(workspace.stagingDirectories.isEmpty)
                #expect(outcome.stderr.contains("interrupted by SIGTERM before writing the output set; the output directory is unchanged"),
                        "\(outcome.stderr)")
            }
        }
    }

    /// Whether SIGTERM no longer has its default action in the process — ignored or caught
    /// (`SigIgn`, `SigCgt` in `/proc/<pid>/status`): `TerminationSignals.install` has run.
    static func handlesSIGTERM(_ pid: pid_t) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
        var masks: UInt64 = 0
        for line in status.split(separator: "\n") where line.hasPrefix("SigIgn:") || line.hasPrefix("SigCgt:") {
            masks |= UInt64(line.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) ?? 0
        }
        return masks & (1 << (UInt64(SIGTERM) - 1)) != 0
    }

    @Test("SIGTERM half-way through publishing: the staging directory is removed, the old set stays whole")
    func terminatedWhilePublishing() throws {
        let workspace = try Self.workspace.get()
        try workspace.publishOld()
        let child = try ChildProcess(["run", workspace.pipeline], environment: ["ONESTOP_TEST_PAUSE_IN_PUBLISH_MS": "300"])
        // Two files are in the staging directory: the publish is half-way.
        guard workspace.waitFor("the staging directory", {
            workspace.stagingDirectories.contains { name in
                ((try? FileManager.default.contentsOfDirectory(atPath: workspace.parent + "/" + name)) ?? []).count >= 2
            }
        }) else { return }
        child.send(SIGTERM)
        let outcome = child.wait(timeout: .seconds(60))
        #expect(outcome.signal == SIGTERM, "exit \(String(describing: outcome.exitCode)): \(outcome.stderr)")
        #expect(outcome.stderr.contains("interrupted by SIGTERM while writing the output set; removed \(workspace.parent)/.out.staging-\(child.pid), the output directory is unchanged"),
                "\(outcome.stderr)")
        #expect(workspace.stagingDirectories.isEmpty)
        #expect(try workspace.outputIsOneWholeSet() == "old")
        #expect(!outcome.stdout.contains("wrote"))
    }

    @Test("SIGKILL half-way through publishing: the old set stays whole; the next run removes the leftover")
    func killedWhilePublishing() throws {
        let workspace = try Self.workspace.get()
        try workspace.publishOld()
        let child = try ChildProcess(["run", workspace.pipeline], environment: ["ONESTOP_TEST_PAUSE_IN_PUBLISH_MS": "300"])
        guard workspace.waitFor("the staging directory", {
            workspace.stagingDirectories.contains { name in
                ((try? FileManager.default.contentsOfDirectory(atPath: workspace.parent + "/" + name)) ?? []).count >= 2
            }
        }) else { return }
        child.send(SIGKILL)
        let outcome = child.wait(timeout: .seconds(60))
        #expect(outcome.signal == SIGKILL)
        #expect(try workspace.outputIsOneWholeSet() == "old")
        #expect(workspace.stagingDirectories == [".out.staging-\(child.pid)"])  // nothing could clean up

        let next = try ChildProcess.run(["run", workspace.pipeline, "--quiet"])
        #expect(next.exitCode == 0, "\(next.stderr)")
        #expect(try workspace.outputIsOneWholeSet() == "new")
        #expect(workspace.stagingDirectories.isEmpty)
        // Beside the output: its lock and the run history (kept whole or not at all, HistoryTests' matter).
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.parent).sorted()
                == [".out.lock", "history.sqlite", "out"])
    }

    @Test("A second run while the first publishes is refused at once (exit 73, naming the first); the first completes")
    func concurrentRunIsRefused() throws {
        let workspace = try Self.workspace.get()
        try workspace.publishOld()
        // The pause keeps the first run in its publish for seconds; the lock is held from its start.
        let first = try ChildProcess(["run", workspace.pipeline, "--quiet"], environment: ["ONESTOP_TEST_PAUSE_IN_PUBLISH_MS": "200"])
        let lockFile = workspace.parent + "/.out.lock"
        guard workspace.waitFor("the first run's lock", {
            (try? String(contentsOfFile: lockFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                == "\(first.pid)"
        }) else { return }
        let second = try ChildProcess.run(["run", workspace.pipeline, "--quiet"] + Workspace.oldPeriod, timeout: .seconds(60))
        #expect(second.exitCode == 73)
        #expect(second.stderr.contains("output directory '\(workspace.output)' is in use by another onestop run (pid \(first.pid))"),
                "\(second.stderr)")
        let outcome = first.wait(timeout: .seconds(60))
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(try workspace.outputIsOneWholeSet() == "new")
        #expect(workspace.stagingDirectories.isEmpty)
    }

    @Test("A second run while the first is reading its input is refused (the lock covers the whole run)")
    func refusedWhileTheFirstIsReading() throws {
        let workspace = try Self.workspace.get()
        try workspace.publishOld()
        let first = try ChildProcess(["run", workspace.pipeline, "--quiet", "--jobs", "1"])
        let lockFile = workspace.parent + "/.out.lock"
        guard workspace.waitFor("the first run's lock", {
            (try? String(contentsOfFile: lockFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                == "\(first.pid)"
        }) else { return }
        let second = try ChildProcess.run(["run", workspace.pipeline, "--quiet"], timeout: .seconds(60))
        // Not publishing yet: no staging directory, and the old set still in place.
        let setInPlace = try Workspace.snapshot(workspace.output)
        let stillReading = workspace.stagingDirectories.isEmpty && setInPlace == workspace.old
        let outcome = first.wait(timeout: .seconds(60))
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(stillReading, "the first run finished reading before the second started; the input is too small")
        #expect(second.exitCode == 73, "\(second.stderr)")
        #expect(second.stderr.contains("in use by another onestop run (pid \(first.pid))"))
    }
}
