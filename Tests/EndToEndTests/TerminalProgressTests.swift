import Foundation
import Testing

/// Progress on standard error only when it is a terminal (docs/contract.md §6); `script` gives the binary one.
@Suite("End to end: progress on a terminal")
struct TerminalProgressTests {
    static let scriptAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/script")

    func underTerminal(_ arguments: String) throws -> CommandResult {
        try OneStopCommand.run(["-qec", "\(OneStopCommand.binary) \(arguments)", "/dev/null"], executable: "/usr/bin/script")
    }

    @Test("A terminal shows files, MB/s and records", .enabled(if: scriptAvailable))
    func showsProgress() throws {
        let output = OneStopCommand.temporaryOutput("tty")
        let result = try underTerminal("run Pipelines/demo.yaml --out \(output)")
        #expect(result.status == 0)
        #expect(result.stdout.contains("8/8 files ·"))
        #expect(result.stdout.contains("MB/s"))
        #expect(result.stdout.contains("records"))
    }

    @Test("--quiet shows nothing, even on a terminal", .enabled(if: scriptAvailable))
    func quiet() throws {
        let output = OneStopCommand.temporaryOutput("tty-quiet")
        let result = try underTerminal("run Pipelines/demo.yaml --quiet --out \(output)")
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    @Test("Not a terminal (cron): no progress line")
    func cron() throws {
        let result = try OneStopCommand.run(["run", "Pipelines/demo.yaml", "--out", OneStopCommand.temporaryOutput("cron")])
        #expect(result.status == 0)
        #expect(!result.stderr.contains("files ·"))
        #expect(!result.stdout.contains("files ·"))
    }
}
