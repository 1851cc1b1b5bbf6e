import Foundation
import Testing

/// Issue 12, item 8: names and values from files, echoed on standard error or standard output,
/// cannot forge a message: a new line that reads like onestop's own, an escape sequence that
/// erases a line or moves the cursor, a carriage return that overwrites one, a direction override
/// that reverses the text around it. Each shows as a visible escape (`\n`, `\u{1B}`, `\u{202E}`).
@Suite("End to end: messages cannot be forged")
struct ForgedMessageTests {
    /// Characters that must never reach a terminal raw from a file's name or content.
    static let forbidden: [Unicode.Scalar] = ["\u{1B}", "\r", "\u{9B}", "\u{202E}", "\u{2066}", "\u{85}", "\u{2028}"]

    static func expectNoRawControls(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for scalar in forbidden {
            #expect(!text.unicodeScalars.contains(scalar), "U+\(String(scalar.value, radix: 16)) reached the terminal: \(text.debugDescription)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test("A failed export's name with a line break, ESC, CR and RLO is shown escaped on one line")
    func failedFileName() throws {
        let name = "x.xml\nall files read OK\r\u{1B}[2K\u{202E}lmx.xml"
        let run = try HostileRun("forged-name") { scratch in
            try scratch.write("in/" + name, "<DanhSachHoSo><HoSo>cut off")
        }
        #expect(run.outcome.exitCode == 65)
        let stderr = run.outcome.stderr
        Self.expectNoRawControls(stderr)
        #expect(stderr.contains(#"x.xml\nall files read OK\r\u{1B}[2K\u{202E}lmx.xml"#), "\(stderr)")
        let lines = stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines { #expect(line.hasPrefix("error: "), "one style, one line per message: \(line)") }
        #expect(!lines.contains { $0.hasPrefix("all files") })
    }

    @Test("inspect shows ids and values from the export escaped, one record line each")
    func inspectedValues() throws {
        let scratch = Scratch("forged-inspect")
        let file = try scratch.write("export.xml", dvcqgExport(
            dvcqgRecord(id: "A-1&#10;all records OK&#13;&#155;[2J&#x202E;", name: "Tên")
                + dvcqgRecord(id: "B-2", extra: "\n    <NgayKetThucXuLy>2022&#155;2J&#x2066;</NgayKetThucXuLy>")))
        let result = try OneStopCommand.run(["inspect", file, "--dialect", "dvcqg"])
        #expect(result.status == 0, "\(result.stderr)")
        Self.expectNoRawControls(result.stdout)
        // Dossier ids are codes: upper-cased.
        #expect(result.stdout.contains(#"A-1\nALL RECORDS OK\r\u{9B}[2J\u{202E}"#), "\(result.stdout)")
        #expect(result.stdout.contains(#"unparseable date: '2022\u{9B}2J\u{2066}'"#), "\(result.stdout)")
        #expect(!result.stdout.split(separator: "\n").contains { $0.uppercased().hasPrefix("ALL RECORDS") })
    }

    @Test("A configuration value is echoed escaped")
    func configurationValue() throws {
        let scratch = Scratch("forged-config")
        let pipeline = MalformedConfigurationExitTests.validPipeline(scratch.path)
            .replacingOccurrences(of: "level: province", with: #"level: "county\e[2K\rdone""#)
        try scratch.write("p.yaml", pipeline)
        for command in ["validate", "run"] {
            let result = try OneStopCommand.run([command, scratch.path + "/p.yaml"])
            #expect(result.status == 78, "\(command): \(result.stderr)")
            Self.expectNoRawControls(result.stderr)
            #expect(result.stderr.hasPrefix("error: \(scratch.path)/p.yaml:"), "\(command): \(result.stderr)")
            #expect(result.stderr.contains(#"level is 'county\u{1B}[2K\rdone'"#), "\(command): \(result.stderr)")
        }
    }
}
