import Foundation
import Testing

/// A demo run into a scratch folder of its own: the output set in `out/`, the run history beside
/// it (`history.sqlite`), so no other test's runs share it.
struct DemoWorkspace {
    let scratch: Scratch
    var output: String { scratch.path + "/out" }
    var history: String { scratch.path + "/history.sqlite" }

    init(_ name: String) {
        scratch = Scratch(name)
    }

    /// `onestop run Pipelines/demo.yaml --out <scratch>/out --quiet` plus `extra`.
    func run(_ extra: [String] = [], environment: [String: String] = [:]) throws -> ChildProcess.Outcome {
        try ChildProcess.run(
            ["run", repositoryRoot + "/Pipelines/demo.yaml", "--out", output, "--quiet"] + extra, environment: environment)
    }

    func summary() throws -> [String: Any] {
        try readJSON(output + "/summary.json")
    }
}

/// Runs a command-line tool and returns its output lines; throws with its standard error when it fails.
func tool(_ arguments: [String], environment: [String: String] = [:]) throws -> [String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    var merged = ProcessInfo.processInfo.environment
    for (key, value) in environment { merged[key] = value }
    process.environment = merged
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("onestop-tool-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: scratch.path + ".out", contents: nil)
    _ = FileManager.default.createFile(atPath: scratch.path + ".err", contents: nil)
    defer {
        try? FileManager.default.removeItem(atPath: scratch.path + ".out")
        try? FileManager.default.removeItem(atPath: scratch.path + ".err")
    }
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path + ".out"))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path + ".err"))
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    let output = (try? String(contentsOfFile: scratch.path + ".out", encoding: .utf8)) ?? ""
    guard process.terminationStatus == 0 else {
        let errors = (try? String(contentsOfFile: scratch.path + ".err", encoding: .utf8)) ?? ""
        throw ToolFailure(message: "\(arguments[0]) exited \(process.terminationStatus): \(errors)")
    }
    return output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}

/// The `sqlite3` command-line tool on `file`: an independent reader of the run history
/// (`make test` installs it).
func sqlite3(_ file: String, _ sql: String) throws -> [String] {
    try tool(["sqlite3", "-batch", "-noheader", "-separator", "|", file, sql])
}

struct ToolFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// The change from numerator/denominator `before` to `after` in percentage points, rounded half
/// away from zero to 2 decimals — worked out here in integers, apart from onestop's code.
func percentagePoints(before: (Int, Int), after: (Int, Int)) -> Double? {
    guard before.1 > 0, after.1 > 0 else { return nil }
    let numerator = (after.0 * before.1 - before.0 * after.1) * 10_000
    let denominator = before.1 * after.1
    let hundredths = (2 * abs(numerator) + denominator) / (2 * denominator)
    return Double(numerator < 0 ? -hundredths : hundredths) / 100
}
