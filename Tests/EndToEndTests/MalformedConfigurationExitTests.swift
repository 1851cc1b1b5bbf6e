import Foundation
import Testing

/// Issue 4, item 5, through the binary: a malformed pipeline, dialect or catalogue stops `run`
/// and `validate` with exit 78 and `file:line: what is wrong; allowed: …` on standard error.
@Suite("End to end: malformed configuration exits 78 with file, line and what is allowed")
struct MalformedConfigurationExitTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// Edits the valid pipeline text; may write other files into the folder.
        var pipeline: @Sendable (String) -> String
        var files: @Sendable (Scratch) throws -> Void = { _ in }
        /// `<file>:<line>:`, relative to the scratch folder.
        var location: String
        var phrases: [String]
        var testDescription: String { name }
    }

    static func validPipeline(_ folder: String, dialects: String = "\(repositoryRoot)/Pipelines/dialects",
                              catalogue: String = "\(repositoryRoot)/Fixtures/demo/catalogue.csv") -> String {
        """
        pipeline: t
        period: { from: 2022-01-01, to: 2022-12-31 }
        timezone: Asia/Ho_Chi_Minh
        catalogue: \(catalogue)
        dialects: \(dialects)
        sources:
          - name: tinh
            level: province
            dialect: dvcqg
            files: "\(repositoryRoot)/Fixtures/demo/tinh/*.xml"
        output:
          directory: \(folder)/out
        """
    }

    static let cases: [Case] = [
        Case(name: "an unknown key in a source", pipeline: { $0.replacingOccurrences(of: "    dialect: dvcqg", with: "    dialect: dvcqg\n    glob: x") },
             location: "p.yaml:10:", phrases: ["unknown key 'glob' in a source; allowed: name, level, dialect, files"]),
        Case(name: "a pipeline name that is a path", pipeline: { $0.replacingOccurrences(of: "pipeline: t", with: "pipeline: ../../t") },
             location: "p.yaml:1:", phrases: ["pipeline is '../../t'; write a name for the run"]),
        Case(name: "an empty output directory", pipeline: { text in
                 text.replacingOccurrences(of: #"directory: \S+"#, with: #"directory: """#, options: .regularExpression)
             },
             location: "p.yaml:12:", phrases: ["output.directory is empty"]),
        Case(name: "a dialect default its code map does not have",
             pipeline: { $0.replacingOccurrences(of: "dialects: \(repositoryRoot)/Pipelines/dialects", with: "dialects: dialects") },
             files: { scratch in
                 let shipped = try String(contentsOfFile: repositoryRoot + "/Pipelines/dialects/dvcqg.yaml", encoding: .utf8)
                 let broken = shipped.replacingOccurrences(of: "  channel: \"1\"\n", with: "  channel: \"4\"\n")
                 #expect(broken != shipped)
                 try scratch.write("dialects/dvcqg.yaml", broken)
             },
             location: "dialects/dvcqg.yaml:", phrases: ["defaults.channel is '4', which codes.channel does not map; allowed: 1, 2, 3"]),
        Case(name: "a catalogue saved in windows-1258",
             pipeline: { $0.replacingOccurrences(of: "\(repositoryRoot)/Fixtures/demo/catalogue.csv", with: "catalogue.csv") },
             files: { scratch in
                 try scratch.write("catalogue.csv", Array("code,name,field,level,online,postal\n1.1,Gi".utf8) + [0xE2, 0xFD]
                     + Array("y phép,XD,province,full,yes\n".utf8))
             },
             location: "catalogue.csv:2:", phrases: ["column 7: byte 0xE2 is not UTF-8", "CSV UTF-8"]),
    ]

    @Test("run and validate exit 78 and say where and what", arguments: cases)
    func malformed(_ test: Case) throws {
        let scratch = Scratch("config")
        try test.files(scratch)
        let valid = Self.validPipeline(scratch.path)
        let edited = test.pipeline(valid)
        #expect(edited != valid)
        try scratch.write("p.yaml", edited)
        for command in ["validate", "run"] {
            let outcome = try ChildProcess.run([command, scratch.path + "/p.yaml"], timeout: .seconds(60))
            #expect(outcome.exitCode == 78, "\(command): \(outcome.stderr)")
            #expect(outcome.stderr.contains(scratch.path + "/" + test.location), "\(command): \(outcome.stderr)")
            for phrase in test.phrases { #expect(outcome.stderr.contains(phrase), "\(command): \(outcome.stderr)") }
            #expect(!FileManager.default.fileExists(atPath: scratch.path + "/out"))
        }
    }
}
