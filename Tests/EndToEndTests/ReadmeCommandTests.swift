import Foundation
import Testing

/// Issue 11, item 8: the README's examples name files that exist and do what they say. Every
/// command line of a ```sh block of README.md that starts with `onestop` or `.build/debug/onestop`
/// and reads the repository's `Fixtures/` or `Pipelines/` runs with the built binary, from the
/// repository root, and must exit 0 — or the code its comment states (`# exits 65`). A run
/// writes into a temporary folder (`--out` replaced or added), never into the repository.
/// Lines naming a placeholder (`/path/to/…`) are templates, not examples, and are left out.
@Suite("End to end: README commands")
struct ReadmeCommandTests {
    struct Command: Sendable, CustomTestStringConvertible {
        var line: String
        var arguments: [String]
        var expectedStatus: Int32
        var testDescription: String { line }
    }

    static let commands: [Command] = {
        guard let readme = try? String(contentsOfFile: repositoryRoot + "/README.md", encoding: .utf8) else { return [] }
        var commands: [Command] = []
        var inShell = false
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") {
                inShell = line == "```sh"
                continue
            }
            guard inShell else { continue }
            let parts = line.split(separator: "#", maxSplits: 1).map(String.init)
            var words = (parts.first ?? "").split(separator: " ").map(String.init)
            guard let program = words.first, program == "onestop" || program == ".build/debug/onestop" else { continue }
            words.removeFirst()
            guard words.contains(where: { $0.hasPrefix("Fixtures/") || $0.hasPrefix("Pipelines/") }),
                  !words.contains(where: { $0.contains("/path/to/") })
            else { continue }
            let comment = parts.count > 1 ? parts[1] : ""
            let stated = comment.range(of: #"exits? [0-9]+"#, options: .regularExpression)
                .flatMap { Int32(comment[$0].split(separator: " ").last ?? "") }
            commands.append(Command(line: line.trimmingCharacters(in: .whitespaces), arguments: words,
                                    expectedStatus: stated ?? 0))
        }
        return commands
    }()

    @Test("The README's examples are found")
    func examplesFound() {
        // The quick-start block's run, validate and inspect, and the reports section's two runs.
        #expect(Self.commands.count >= 6, "\(Self.commands.map(\.line))")
        #expect(Self.commands.contains { $0.arguments.first == "inspect" })
        #expect(Self.commands.contains { $0.arguments.first == "validate" })
    }

    @Test("Each README example runs as documented", arguments: commands)
    func runs(_ command: Command) throws {
        let scratch = Scratch("readme")
        var arguments = command.arguments
        if let out = arguments.firstIndex(of: "--out"), out + 1 < arguments.count {
            arguments[out + 1] = scratch.path + "/out"
        } else if arguments.first == "run" {
            arguments += ["--out", scratch.path + "/out"]
        }
        let result = try OneStopCommand.run(arguments)
        #expect(result.status == command.expectedStatus, "\(command.line): \(result.stderr)")
        if arguments.first == "run", command.expectedStatus == 0 {
            #expect(FileManager.default.fileExists(atPath: scratch.path + "/out/summary.json"))
        }
    }
}
