import Foundation
import Testing

/// Issue 11, item 8 and issue 12, item 10: `--version`; one error style (`error: …` on standard
/// error) whatever the layer and the subcommand; a missing pipeline is exit 66; the top-level
/// help lists every exit code; `inspect` and `generate` find their dialect from any directory,
/// and say where they looked when they cannot.
@Suite("End to end: the command line")
struct CommandLineTests {
    static let export = repositoryRoot + "/Fixtures/demo/phu_binh/phu_binh_20220801.xml"

    @Test("--version prints the version, exit 0")
    func version() throws {
        let result = try OneStopCommand.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.range(of: #"^onestop [0-9]+\.[0-9]+\.[0-9]+\n$"#, options: .regularExpression) != nil,
                "\(result.stdout)")
        #expect(result.stderr.isEmpty)
    }

    @Test("The help lists every exit code, 71, 73 and 75 included")
    func helpListsExitCodes() throws {
        let result = try OneStopCommand.run(["--help"])
        #expect(result.status == 0)
        let help = result.stdout.replacingOccurrences(of: "\n", with: " ")
        for code in ["0 done", "64 bad usage", "65 a file", "66 no input", "70 internal", "71 an operating-system limit",
                     "73 the output cannot be written", "75 a database could not be reached", "78 invalid pipeline"] {
            #expect(help.contains(code), "\(code)")
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var status: Int32
        var phrase: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(arguments: ["frobnicate"], status: 64, phrase: "error: Unexpected argument 'frobnicate'"),
        Case(arguments: ["run", "--bogus"], status: 64, phrase: "error: "),
        Case(arguments: ["run"], status: 64, phrase: "error: Missing expected argument '<pipeline>'"),
        Case(arguments: ["run", "Pipelines/demo.yaml", "--jobs", "0"], status: 64, phrase: "error: --jobs must be at least 1"),
        Case(arguments: ["run", "Pipelines/demo.yaml", "--from", "2022-13-01"], status: 64, phrase: "error: --from must be a date"),
        Case(arguments: ["run", "Pipelines/nope.yaml"], status: 66, phrase: "error: pipeline file Pipelines/nope.yaml does not exist"),
        Case(arguments: ["validate", "Pipelines/nope.yaml"], status: 66, phrase: "error: pipeline file Pipelines/nope.yaml does not exist"),
        Case(arguments: ["run", "Fixtures/pipelines/no-input.yaml"], status: 66, phrase: "error: no input files"),
        Case(arguments: ["run", "Fixtures/pipelines/invalid-level.yaml"], status: 78, phrase: "error: Fixtures/pipelines/invalid-level.yaml:"),
        Case(arguments: ["validate", "Fixtures/pipelines/invalid-level.yaml"], status: 78, phrase: "error: Fixtures/pipelines/invalid-level.yaml:"),
        Case(arguments: ["validate"], status: 64, phrase: "error: Missing expected argument '<pipeline>'"),
        Case(arguments: ["inspect", "Fixtures/demo/nope.xml", "--dialect", "dvcqg"], status: 66,
             phrase: "error: export file Fixtures/demo/nope.xml does not exist"),
        Case(arguments: ["inspect", export, "--dialect", "nope"], status: 66, phrase: "error: dialect 'nope' not found"),
        Case(arguments: ["inspect", export, "--dialect", "Fixtures/pipelines/dialects/broken.yaml"], status: 78,
             phrase: "error: Fixtures/pipelines/dialects/broken.yaml:"),
        Case(arguments: ["inspect", "Fixtures/broken/malformed.xml", "--dialect", "dvcqg"], status: 65,
             phrase: "error: Fixtures/broken/malformed.xml: not well-formed XML"),
        Case(arguments: ["inspect", export], status: 64, phrase: "error: Missing expected argument '--dialect <dialect>'"),
        Case(arguments: ["generate", "--out", "/tmp/x"], status: 64, phrase: "error: Missing expected argument '--records <records>'"),
        Case(arguments: ["generate", "--records", "10", "--dialect", "nope", "--out", "/tmp/onestop-never"], status: 66,
             phrase: "error: dialect 'nope' not found"),
        Case(arguments: ["generate", "--records", "100", "--out", repositoryRoot + "/Fixtures"], status: 73,
             phrase: "error: cannot write"),
    ]

    @Test("Every layer's error reads `error: …` on standard error, with its exit code", arguments: cases)
    func oneErrorStyle(_ test: Case) throws {
        let result = try OneStopCommand.run(test.arguments)
        #expect(result.status == test.status, "\(result.stderr)")
        #expect(result.stderr.hasPrefix(test.phrase), "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("Error") }, "the argument parser's own style: \(result.stderr)")
        #expect(!lines.contains { $0.range(of: #"^\d{4}-\d\d-\d\dT"#, options: .regularExpression) != nil },
                "a log timestamp: \(result.stderr)")
        #expect(lines.filter { $0.hasPrefix("error: ") }.count == 1, "one error line: \(result.stderr)")
    }

    @Test("inspect --dialect NAME from another directory: found above the binary, beside a pipeline, or in --dialects")
    func inspectFromAnyDirectory() throws {
        let scratch = Scratch("elsewhere")
        let shipped = try OneStopCommand.run(["inspect", Self.export, "--dialect", "igate"], in: scratch.path)
        #expect(shipped.status == 0, "\(shipped.stderr)")
        #expect(shipped.stdout.contains("records:     40"), "\(shipped.stdout)")

        // A pipeline with its own folder of dialects, one not shipped.
        let own = try read(repositoryRoot + "/Pipelines/dialects/igate.yaml")
            .replacingOccurrences(of: "dialect: igate", with: "dialect: mine")
        #expect(own.contains("dialect: mine"))
        try scratch.write("project/our-dialects/mine.yaml", own)
        try scratch.write("project/p.yaml", "pipeline: p\ndialects: our-dialects\ntimezone: Asia/Bangkok\n")
        let besidePipeline = try OneStopCommand.run(
            ["inspect", Self.export, "--dialect", "mine", "--pipeline", "project/p.yaml"], in: scratch.path)
        #expect(besidePipeline.status == 0, "\(besidePipeline.stderr)")
        #expect(besidePipeline.stdout.contains("dialect:     mine"))
        let inFolder = try OneStopCommand.run(
            ["inspect", Self.export, "--dialect", "mine", "--dialects", "project/our-dialects"], in: scratch.path)
        #expect(inFolder.status == 0, "\(inFolder.stderr)")

        let missing = try OneStopCommand.run(["inspect", Self.export, "--dialect", "mine"], in: scratch.path)
        #expect(missing.status == 66)
        #expect(missing.stderr.hasPrefix("error: dialect 'mine' not found: no mine.yaml in \(scratch.path)/Pipelines/dialects, "
            + "\(scratch.path)/dialects, \(repositoryRoot)/Pipelines/dialects; available there: dvcqg, igate;"),
                "\(missing.stderr)")
        let notBesideIt = try OneStopCommand.run(
            ["inspect", Self.export, "--dialect", "igate", "--pipeline", "project/p.yaml"], in: scratch.path)
        #expect(notBesideIt.status == 66)
        #expect(notBesideIt.stderr.contains("no igate.yaml in \(scratch.path)/project/our-dialects; available there: mine"),
                "\(notBesideIt.stderr)")
    }

    @Test("inspect takes the pipeline's time zone unless --timezone is given")
    func inspectTakesThePipelinesTimeZone() throws {
        let scratch = Scratch("zone")
        try scratch.write("p.yaml", "pipeline: p\ntimezone: Asia/Tokyo\ndialects: \(repositoryRoot)/Pipelines/dialects\n")
        let tokyo = try OneStopCommand.run(["inspect", Self.export, "--dialect", "igate", "--pipeline", scratch.path + "/p.yaml"])
        let hanoi = try OneStopCommand.run(["inspect", Self.export, "--dialect", "igate"])
        #expect(tokyo.status == 0 && hanoi.status == 0)
        #expect(tokyo.stdout.contains("+09:00") && !tokyo.stdout.contains("+07:00"), "\(tokyo.stdout)")
        #expect(hanoi.stdout.contains("+07:00"))
    }

    @Test("generate --dialect NAME from another directory")
    func generateFromAnyDirectory() throws {
        let scratch = Scratch("generate-elsewhere")
        let result = try OneStopCommand.run(
            ["generate", "--records", "50", "--dialect", "igate", "--out", "set", "--quiet"], in: scratch.path)
        #expect(result.status == 0, "\(result.stderr)")
        let pipeline = try read(scratch.path + "/set/pipeline.yaml")
        #expect(pipeline.contains("dialects: \"\(repositoryRoot)/Pipelines/dialects\""), "\(pipeline)")
        #expect(pipeline.contains("dialect: \"igate\""))
    }
}
