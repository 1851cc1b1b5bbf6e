import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 13: a run stopped by SIGKILL or SIGTERM at any moment of keeping itself in the history
/// leaves the history as it was — or, if the run got that far, with the whole new run — and
/// never half of one; the file stays a sound SQLite database.
@Suite("End to end: a run stopped while keeping its history", .serialized)
struct InterruptedHistoryTests {
    /// A history holding the demo's 2021 run, and the number of figures that run kept.
    final class Baseline: Sendable {
        let workspace = DemoWorkspace("history-interrupted")
        let copy: String
        let figures2021: Int

        init() throws {
            guard try workspace.run(HistoryTests.year2021).exitCode == 0 else {
                throw HostileRun.BaselineError(message: "the 2021 run failed")
            }
            copy = workspace.scratch.path + "/baseline.sqlite"
            try FileManager.default.copyItem(atPath: workspace.history, toPath: copy)
            try FileManager.default.copyItem(atPath: workspace.output, toPath: workspace.scratch.path + "/baseline-out")
            figures2021 = Int(try sqlite3(copy, "SELECT COUNT(*) FROM figures")[0])!
        }

        /// Puts the 2021 output set and the history holding it alone back.
        func restore() throws {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: workspace.history + suffix) }
            try FileManager.default.copyItem(atPath: copy, toPath: workspace.history)
            try FileManager.default.removeItem(atPath: workspace.output)
            try FileManager.default.copyItem(atPath: workspace.scratch.path + "/baseline-out", toPath: workspace.output)
        }
    }

    static let baseline = Result { try Baseline() }

    /// Starts the 2022 run with every table of the history write slowed down, waits until its
    /// output set is published (the history is written next), then sends `signal` after `delay` ms.
    static func interrupt(with signal: Int32, afterMilliseconds delay: Int, pause: Int = 120) throws -> ChildProcess.Outcome {
        let baseline = try Self.baseline.get()
        try baseline.restore()
        let child = try ChildProcess(
            ["run", repositoryRoot + "/Pipelines/demo.yaml", "--out", baseline.workspace.output, "--quiet"],
            environment: ["ONESTOP_TEST_PAUSE_IN_HISTORY_MS": String(pause)])
        let deadline = ContinuousClock.now + .seconds(60)
        var published = false
        while !published && ContinuousClock.now < deadline {
            published = (try? baseline.workspace.summary()["period"] as? [String: String])?["from"] == "2022-01-01"
            usleep(2_000)
        }
        #expect(published, "the 2022 run never published")
        usleep(UInt32(delay) * 1000)
        child.send(signal)
        return child.wait(timeout: .seconds(60))
    }

    /// The history holds the 2021 run alone, or it and the whole 2022 run; it passes SQLite's check.
    static func expectOldOrWhole(_ outcome: ChildProcess.Outcome) throws -> String {
        let baseline = try Self.baseline.get()
        let history = baseline.workspace.history
        #expect(try sqlite3(history, "PRAGMA integrity_check") == ["ok"])
        let runs = try sqlite3(history, "SELECT period_from FROM runs ORDER BY id")
        let figures = Int(try sqlite3(history, "SELECT COUNT(*) FROM figures")[0])!
        let files = Int(try sqlite3(history, "SELECT COUNT(*) FROM files")[0])!
        if runs == ["2021-01-01"] {
            #expect(figures == baseline.figures2021)
            #expect(files == 8)
            #expect(outcome.exitCode != 0, "the run ended well but is not in the history")
            return "old"
        }
        #expect(runs == ["2021-01-01", "2022-01-01"])
        let published = try FigureTable(path: baseline.workspace.output + "/figures.csv").rows.count
        #expect(figures == baseline.figures2021 + published)
        #expect(files == 16)
        #expect(try sqlite3(history, "SELECT COUNT(*) FROM rejects WHERE run_id = (SELECT id FROM runs WHERE period_from = '2022-01-01')")
            == [String(try FigureTable(path: baseline.workspace.output + "/rejects.csv").rows.count)])
        return "whole"
    }

    @Test("SIGKILL at points spread over the history write", arguments: [60, 130, 200, 270, 340, 410, 480, 560, 700, 1_200])
    func killed(afterMilliseconds delay: Int) throws {
        let outcome = try Self.interrupt(with: SIGKILL, afterMilliseconds: delay)
        #expect(!outcome.timedOut)
        let state = try Self.expectOldOrWhole(outcome)
        if outcome.exitCode == 0 { #expect(state == "whole") }
    }

    @Test("The two ends: killed as the write starts leaves the old history; not killed, the whole run is added")
    func bothEnds() throws {
        // Five pauses of 400 ms: the kill comes long before the commit.
        let killed = try Self.interrupt(with: SIGKILL, afterMilliseconds: 0, pause: 400)
        #expect(killed.signal == SIGKILL)
        #expect(try Self.expectOldOrWhole(killed) == "old")
        let finished = try Self.interrupt(with: 0, afterMilliseconds: 0)  // signal 0 only checks the process
        #expect(finished.exitCode == 0)
        #expect(try Self.expectOldOrWhole(finished) == "whole")
    }

    @Test("SIGTERM during the history write: ended by the signal, the history as it was, and it says so")
    func terminated() throws {
        // Five pauses of 400 ms: the signal comes well inside the transaction.
        let outcome = try Self.interrupt(with: SIGTERM, afterMilliseconds: 150, pause: 400)
        #expect(outcome.signal == SIGTERM)
        #expect(try Self.expectOldOrWhole(outcome) == "old")
        #expect(outcome.stderr.contains("after the new output set was published"))
        #expect(outcome.stderr.contains("onestop sink"))
    }

    @Test("Killed at random points: never half a run", arguments: Array(1...6))
    func killedAtRandom(round: Int) throws {
        var generator = SystemRandomNumberGenerator()
        let delay = Int.random(in: 0...900, using: &generator)
        let outcome = try Self.interrupt(with: SIGKILL, afterMilliseconds: delay)
        #expect(!outcome.timedOut)
        _ = try Self.expectOldOrWhole(outcome)
    }
}
