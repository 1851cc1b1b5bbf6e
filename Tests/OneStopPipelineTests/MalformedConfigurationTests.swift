import Foundation
import OneStopModel
import Testing
@testable import OneStopPipeline

/// Issue 4, item 5: every key of a pipeline or dialect file, malformed, reports the file, the
/// line and what is allowed; unknown keys are errors; a bad catalogue names its row or line.
@Suite("Malformed configuration: every key")
struct MalformedConfigurationTests {
    /// One key per line, so each case knows its line.
    static let pipeline = """
        pipeline: t
        description: a test pipeline
        period:
          from: 2022-01-01
          to: 2022-12-31
        timezone: Asia/Ho_Chi_Minh
        catalogue: ../Fixtures/demo/catalogue.csv
        dialects: dialects
        sources:
          - name: tinh
            level: province
            dialect: dvcqg
            files: "../Fixtures/demo/tinh/*.xml"
        targets:
          online_procedure_coverage: 0.5
          online_dossier_share: 55%
          postal_procedure_coverage: 1/2
          on_time_rate: 0.999
          digitisation_rate: 1
        digitisationEffective:
          province: 2022-06-01
          district: 2022-12-01
          commune: 2023-01-01
        rules:
          onTimeGranularity: day
          multipleSupplementsAreLate: true
          maxRejectRate: 0.05
        output:
          directory: ../out/t
          monthly: true
          excel: false
        """

    static func loadPipeline(_ yaml: String) throws(ConfigurationError) -> PipelineConfiguration {
        try PipelineFile.parse(yaml: yaml, file: "p.yaml", folder: repositoryRoot + "/Pipelines")
    }

    @Test func theBasePipelineIsValid() throws {
        let configuration = try Self.loadPipeline(Self.pipeline)
        #expect(configuration.targets.digitisationEffective.count == 3)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var old: String
        var new: String
        var line: Int
        var phrases: [String]
        var testDescription: String { "'\(old)' → '\(new)'" }

        init(_ old: String, _ new: String, line: Int, _ phrases: String...) {
            self.old = old
            self.new = new
            self.line = line
            self.phrases = phrases
        }
    }

    static let pipelineCases: [Case] = [
        Case("pipeline: t", "pipeline: [t]", line: 1, "pipeline must be a single value"),
        Case("pipeline: t", "pipeline: \"\"", line: 1, "pipeline is ''", "non-empty text without '/'"),
        Case("pipeline: t", "pipeline: ../../etc", line: 1, "non-empty text without '/'"),
        Case("description: a test pipeline", "description: { a: b }", line: 2, "description (free text) must be a single value"),
        Case("period:\n  from: 2022-01-01\n  to: 2022-12-31", "period: 2022", line: 3, "period must be a mapping"),
        Case("  from: 2022-01-01", "  from: 2022-1-1", line: 4, "period.from is '2022-1-1'", "YYYY-MM-DD"),
        Case("  to: 2022-12-31", "  to: 2021-12-31", line: 5, "period.from (2022-01-01) is after period.to"),
        Case("  to: 2022-12-31", "  to: 2022-12-31\n  till: 2023-01-01", line: 6, "unknown key 'till' in period", "allowed: from, to"),
        Case("timezone: Asia/Ho_Chi_Minh", "timezone: Mars/Olympus", line: 6, "not an IANA zone name", "Asia/Ho_Chi_Minh"),
        Case("catalogue: ../Fixtures/demo/catalogue.csv", "catalogue: nowhere.csv", line: 7, "does not exist"),
        Case("catalogue: ../Fixtures/demo/catalogue.csv", "catalogue: ../Fixtures", line: 7, "is a folder", "catalogue CSV file"),
        Case("dialects: dialects", "dialects: nowhere", line: 12, "dialect 'dvcqg' not found", "allowed: none"),
        Case("sources:\n  - name: tinh\n    level: province\n    dialect: dvcqg\n    files: \"../Fixtures/demo/tinh/*.xml\"",
             "sources: []", line: 9, "sources must list at least one source"),
        Case("  - name: tinh", "  - name: ti:nh", line: 10, "non-empty text without ':'"),
        Case("    level: province", "    level: county", line: 11, "level is 'county'", "allowed: province, district, commune"),
        Case("    dialect: dvcqg", "    dialect: dvcqq", line: 12, "dialect 'dvcqq' not found", "allowed: dvcqg, igate"),
        Case("    files: \"../Fixtures/demo/tinh/*.xml\"", "    files: []", line: 13, "files must list at least one glob pattern"),
        Case("    files: \"../Fixtures/demo/tinh/*.xml\"", "    files: { a: b }", line: 13, "files must be a value or a list of values"),
        Case("    files: \"../Fixtures/demo/tinh/*.xml\"", "    files: x\n    format: xml", line: 14,
             "unknown key 'format' in a source", "allowed: name, level, dialect, files"),
        Case("  online_procedure_coverage: 0.5", "  online_procedure_coverage: half", line: 15,
             "targets.online_procedure_coverage is 'half'", "a decimal (0.999), a percentage (99.9%) or n/d"),
        Case("  online_dossier_share: 55%", "  online_dossier_share: 155%", line: 16, "between 0 and 1"),
        Case("  postal_procedure_coverage: 1/2", "  postal_procedure_coverage: 1/0", line: 17, "between 0 and 1"),
        Case("  on_time_rate: 0.999", "  on_time_rate: -0.5", line: 18, "between 0 and 1"),
        Case("  digitisation_rate: 1", "  digitisation_rate: all", line: 19, "between 0 and 1"),
        Case("  on_time_rate: 0.999", "  on_time: 0.999", line: 18, "unknown key 'on_time' in targets",
             "allowed: online_procedure_coverage, online_dossier_share, postal_procedure_coverage, on_time_rate, digitisation_rate"),
        Case("  province: 2022-06-01", "  province: June", line: 21, "digitisationEffective.province is 'June'", "YYYY-MM-DD"),
        Case("  district: 2022-12-01", "  huyen: 2022-12-01", line: 22, "unknown key 'huyen' in digitisationEffective",
             "allowed: province, district, commune"),
        Case("  commune: 2023-01-01", "  commune: 2023-02-30", line: 23, "YYYY-MM-DD"),
        Case("  onTimeGranularity: day", "  onTimeGranularity: hour", line: 25, "allowed: day, instant"),
        Case("  multipleSupplementsAreLate: true", "  multipleSupplementsAreLate: sometimes", line: 26, "allowed: true, false, yes, no"),
        Case("  maxRejectRate: 0.05", "  maxRejectRate: 5", line: 27, "rules.maxRejectRate is '5'", "or 'none'"),
        Case("  maxRejectRate: 0.05", "  maxRejectRate: 0.05\n  strict: true", line: 28, "unknown key 'strict' in rules",
             "allowed: onTimeGranularity, multipleSupplementsAreLate, maxRejectRate"),
        Case("  directory: ../out/t", "  directory: \"\"", line: 29, "output.directory is empty"),
        Case("  directory: ../out/t", "  directory: [a, b]", line: 29, "output.directory must be a single value"),
        Case("  monthly: true", "  monthly: often", line: 30, "output.monthly is 'often'", "allowed: true, false, yes, no"),
        Case("  excel: false", "  excel: 2007", line: 31, "output.excel is '2007'", "allowed: true, false, yes, no"),
        Case("  excel: false", "  excel: false\n  format: xlsx", line: 32, "unknown key 'format' in output",
             "allowed: directory, monthly, excel"),
        Case("dialects: dialects", "dialect: dialects", line: 8, "unknown key 'dialect' in a pipeline file",
             "allowed: pipeline, description, period, timezone, catalogue, agencies, dialects, sources, targets, digitisationEffective, rules, freshness, report, output"),
        Case("timezone: Asia/Ho_Chi_Minh", "timezone: Asia/Ho_Chi_Minh\ntimezone: UTC", line: 6, "key 'timezone' appears twice"),
    ]

    @Test("Each malformed pipeline key: file, line, what is allowed", arguments: pipelineCases)
    func malformedPipelineKey(_ test: Case) throws {
        #expect(Self.pipeline.contains(test.old), "the base has '\(test.old)'")
        let error = try #require(throws: ConfigurationError.self) {
            try Self.loadPipeline(Self.pipeline.replacingOccurrences(of: test.old, with: test.new))
        }
        #expect(error.file == "p.yaml")
        #expect(error.line == test.line, "\(error)")
        for phrase in test.phrases { #expect(error.message.contains(phrase), "\(error)") }
    }

    /// One key per line, so each case knows its line.
    static let dialect = """
        dialect: t
        description: a test dialect
        record: R/r
        exportTime: R/@at
        fields:
          dossierId: id
          procedureCode: p
          status: s
          received: d
          channel: "@kenh"
          due: "@han"
        supplements:
          each: bs
          fields:
            requested: "@req"
        attachments:
          each: files/f
          fields:
            digitised: "@ok"
        codes:
          status: { "1": submitted, "4": processing }
          channel: { tt: in_person, on: online }
          flag: { co: true, khong: false }
        defaults:
          channel: tt
          due: 31/12/2022
        dateFormats: [dd/MM/yyyy, iso8601]
        personalData: [name]
        """

    static func loadDialect(_ yaml: String) throws(ConfigurationError) -> Dialect {
        try DialectFile.parse(yaml: yaml, file: "d.yaml")
    }

    @Test func theBaseDialectIsValid() throws {
        let dialect = try Self.loadDialect(Self.dialect)
        #expect(dialect.defaults[.due] == "31/12/2022")
    }

    static let dialectCases: [Case] = [
        Case("dialect: t", "dialect: [t]", line: 1, "dialect must be a single value"),
        Case("description: a test dialect", "description: [a, b]", line: 2, "description (free text) must be a single value"),
        Case("record: R/r", "record: R//r", line: 3, "record is 'R//r'", "a path is element names separated by '/'"),
        Case("record: R/r", "record: R/@r", line: 3, "record must be a path of elements, without @attribute"),
        Case("exportTime: R/@at", "exportTime: X/@at", line: 4, "exportTime must start at the root element 'R'"),
        Case("  dossierId: id", "  dossierID: id", line: 6, "unknown key 'dossierID' in fields",
             "allowed: dossierId, procedureCode, procedureName, field, agency, channel, returnMethod, status, received, due, finished, returned, digitised"),
        Case("  received: d", "  received: d/@", line: 9, "fields.received is 'd/@'", "a path is"),
        Case("  status: s\n", "", line: 6, "fields needs 'status'"),
        Case("  each: bs", "  every: bs", line: 13, "unknown key 'every' in supplements", "allowed: each, fields"),
        Case("    requested: \"@req\"", "    asked: \"@req\"", line: 15, "unknown key 'asked' in supplements.fields",
             "allowed: requested, answered, newDue"),
        Case("    digitised: \"@ok\"", "    scanned: \"@ok\"", line: 19, "unknown key 'scanned' in attachments.fields",
             "allowed: digitised"),
        Case("\"4\": processing", "\"4\": working", line: 21, "codes.status.4 is 'working'",
             "allowed: submitted, accepted, refused, processing, supplement_requested, fee_requested, withdrawn, stopped, finished, returned, 1"),
        Case("on: online", "on: web", line: 22, "codes.channel.on is 'web'", "allowed: in_person, online, postal"),
        Case("on: online", "TT: online", line: 22, "codes.channel: code 'TT' is listed twice"),
        Case("co: true", "co: maybe", line: 23, "codes.flag.co is 'maybe'", "allowed: true, false, 1, 0"),
        Case("  flag: { co: true, khong: false }", "  flags: { co: true }", line: 23, "unknown key 'flags' in codes",
             "allowed: channel, returnMethod, status, flag"),
        Case("  channel: tt", "  channel: truc_tiep", line: 25, "defaults.channel is 'truc_tiep', which codes.channel does not map",
             "allowed: ON, TT"),
        Case("  due: 31/12/2022", "  due: 2022.12.31", line: 26, "defaults.due is '2022.12.31', which none of dateFormats reads",
             "allowed: a date in one of dd/MM/yyyy, iso8601"),
        Case("  due: 31/12/2022", "  due: 31/12/2022\n  colour: red", line: 27, "unknown key 'colour' in defaults", "allowed: dossierId"),
        Case("dateFormats: [dd/MM/yyyy, iso8601]", "dateFormats: [dd/MMM/yyyy]", line: 27, "MMM"),
        Case("dateFormats: [dd/MM/yyyy, iso8601]", "dateFormats: []", line: 27, "dateFormats must list at least one format"),
        Case("personalData: [name]", "personalData: [id]", line: 28, "'id' is personal data and must not be mapped"),
        Case("record: R/r", "recordPath: R/r", line: 3, "unknown key 'recordPath' in a dialect file",
             "allowed: dialect, description, record, exportTime, fields, supplements, attachments, codes, defaults, dateFormats, personalData"),
    ]

    @Test("Each malformed dialect key: file, line, what is allowed", arguments: dialectCases)
    func malformedDialectKey(_ test: Case) throws {
        #expect(Self.dialect.contains(test.old), "the base has '\(test.old)'")
        let error = try #require(throws: ConfigurationError.self) {
            try Self.loadDialect(Self.dialect.replacingOccurrences(of: test.old, with: test.new))
        }
        #expect(error.file == "d.yaml")
        #expect(error.line == test.line, "\(error)")
        for phrase in test.phrases { #expect(error.message.contains(phrase), "\(error)") }
    }

    // MARK: - Files that are not UTF-8 text

    static func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onestop-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("A catalogue saved in windows-1258: the line and column of the first byte that is not UTF-8, and how to fix it")
    func legacyEncodedCatalogue() throws {
        // "Cấp" in windows-1258 is C, 0xE2 (â), 0xEC (combining acute), p.
        let bytes = Array("code,name,field,level,online,postal\n1.1,A,XD,province,full,yes\n1.2,C".utf8)
            + [0xE2, 0xEC] + Array("p phép,XD,province,full,yes\n".utf8)
        let path = try Self.temporaryFile("catalogue.csv", bytes)
        let error = try #require(throws: ConfigurationError.self) { try CatalogueFile.load(path: path) }
        #expect(error.line == 3)
        #expect(error.description == "\(path):3: column 6: byte 0xE2 is not UTF-8 (a legacy encoding such as windows-1258?); "
            + "the catalogue must be UTF-8: in Excel, Save As → \"CSV UTF-8 (Comma delimited)\"")
    }

    @Test("A catalogue saved as UTF-16 (Excel's \"Unicode text\") is named as such")
    func utf16Catalogue() throws {
        let text = "code,name,field,level,online,postal\n1.1,Cấp phép,XD,province,full,yes\n"
        let path = try Self.temporaryFile("catalogue.csv", [0xFF, 0xFE] + text.utf16.flatMap {
            [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)]
        })
        let error = try #require(throws: ConfigurationError.self) { try CatalogueFile.load(path: path) }
        #expect(error.line == 1)
        #expect(error.message.contains("the catalogue is UTF-16 text; it must be UTF-8"))
    }

    @Test("A pipeline or dialect file that is not UTF-8 names its line; a folder or a named pipe is named as one")
    func pipelineNotUTF8() throws {
        let path = try Self.temporaryFile("p.yaml", Array("pipeline: t\ndescription: Th".utf8) + [0xE1] + Array("i\n".utf8))
        let error = try #require(throws: ConfigurationError.self) { try PipelineFile.load(path: path) }
        #expect(error.line == 2)
        #expect(error.message.contains("column 16: byte 0xE1 is not UTF-8"))
        let dialect = try Self.temporaryFile("d.yaml", Array("dialect: t\n\n\n# ".utf8) + [0xC3, 0x28])
        let dialectError = try #require(throws: ConfigurationError.self) { try DialectFile.load(path: dialect) }
        #expect(dialectError.line == 4)
        let folder = (path as NSString).deletingLastPathComponent
        let folderError = try #require(throws: ConfigurationError.self) { try PipelineFile.load(path: folder) }
        #expect(folderError.message == "cannot read the pipeline file: it is a directory, not a file")
        let fifo = folder + "/catalogue.csv"
        #expect(mkfifo(fifo, 0o600) == 0)
        let fifoError = try #require(throws: ConfigurationError.self) { try CatalogueFile.load(path: fifo) }
        #expect(fifoError.message == "cannot read the catalogue: it is a named pipe, device or socket, not a file")
    }

    @Test("UTF-8 validation: overlong forms, surrogates and cut sequences are invalid; every scalar is fine")
    func utf8Validation() {
        #expect(ConfigurationText.firstInvalidUTF8(Array("Thái Nguyên – 🇻🇳\n".utf8)) == nil)
        #expect(ConfigurationText.firstInvalidUTF8([0x61, 0xC0, 0x80])?.column == 2)  // overlong NUL
        #expect(ConfigurationText.firstInvalidUTF8([0xED, 0xA0, 0x80])?.column == 1)  // a surrogate
        #expect(ConfigurationText.firstInvalidUTF8([0x0A, 0x61, 0xE1, 0xBA])?.line == 2)  // cut at the end
        #expect(ConfigurationText.firstInvalidUTF8([0xF4, 0x90, 0x80, 0x80])?.byte == 0xF4)  // past U+10FFFF
    }
}
