import Foundation
import OneStopModel
import Testing
@testable import OneStopPipeline

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

@Suite("Dialect files")
struct DialectFileTests {
    @Test func shippedDvcqgDialectLoads() throws {
        let dialect = try DialectFile.load(path: repositoryRoot + "/Pipelines/dialects/dvcqg.yaml")
        #expect(dialect.recordPath == ["DanhSachHoSo", "HoSo"])
        #expect(dialect.exportTime == FieldPath(elements: ["DanhSachHoSo"], attribute: "NgayXuat"))
        #expect(dialect.fields[.due] == FieldPath(elements: ["NgayHenTra"]))
        #expect(dialect.supplements?.path == ["DanhSachHoSoBoSung", "HoSoBoSung"])
        #expect(dialect.supplements?.fields[.newDue] == FieldPath(elements: ["NgayHenTraMoi"]))
        #expect(dialect.statusCodes["7"] == .withdrawn)
        #expect(dialect.channelCodes["3"] == .postal)
        #expect(dialect.defaults[.channel] == "1")
        #expect(dialect.dateFormats.first == "yyyyMMddHHmmss")
    }

    @Test func shippedIgateDialectLoads() throws {
        let dialect = try DialectFile.load(path: repositoryRoot + "/Pipelines/dialects/igate.yaml")
        #expect(dialect.recordPath == ["BaoCao", "DuLieu", "hoSo"])
        #expect(dialect.fields[.dossierID] == FieldPath(elements: [], attribute: "ma"))
        #expect(dialect.fields[.received] == FieldPath(elements: ["thoiGian"], attribute: "tiepNhan"))
        #expect(dialect.statusCodes["DA_TRA_KQ"] == .returned)
        #expect(dialect.flagCodes["CO"] == true)
        #expect(dialect.sourceName(of: .dossierID) == "ma")
    }

    func error(_ yaml: String) -> ConfigurationError? {
        do {
            _ = try DialectFile.parse(yaml: yaml, file: "x.yaml")
            return nil
        } catch {
            return error
        }
    }

    let minimal = """
        dialect: t
        record: R/r
        fields:
          dossierId: id
          procedureCode: p
          status: s
          received: d
        codes:
          status: { "1": submitted }
        dateFormats: [iso8601]
        """

    @Test func minimalDialectIsValid() {
        #expect(error(minimal) == nil)
    }

    @Test("Unknown keys are errors with file, line and the allowed keys")
    func unknownKey() throws {
        let found = try #require(error(minimal + "\nrecrod: R/r\n"))
        #expect(found.file == "x.yaml")
        #expect(found.line == 11)
        #expect(found.message.contains("unknown key 'recrod'"))
        #expect(found.message.contains("allowed: dialect, description, record"))
        let field = try #require(error(minimal.replacingOccurrences(of: "  received: d", with: "  recieved: d")))
        #expect(field.line == 7)
        #expect(field.message.contains("dossierId, procedureCode"))
    }

    @Test func badCanonicalValueListsAllowedValues() throws {
        let found = try #require(error(minimal.replacingOccurrences(of: "submitted", with: "sent")))
        #expect(found.line == 9)
        #expect(found.message.contains("'sent'"))
        #expect(found.message.contains("withdrawn"))
    }

    @Test func badDateFormatIsReported() throws {
        let found = try #require(error(minimal.replacingOccurrences(of: "[iso8601]", with: "[yyyy-MMM-dd]")))
        #expect(found.message.contains("MMM"))
    }

    @Test func badPathIsReported() throws {
        let found = try #require(error(minimal.replacingOccurrences(of: "record: R/r", with: "record: R//r")))
        #expect(found.line == 2)
    }

    @Test func personalDataMustNotBeMapped() throws {
        let found = try #require(error(minimal + "\npersonalData: [id]\n"))
        #expect(found.message.contains("personal data"))
    }

    @Test func requiredFieldsAreChecked() throws {
        let found = try #require(error(minimal.replacingOccurrences(of: "  procedureCode: p\n", with: "")))
        #expect(found.message.contains("procedureCode"))
    }
}

@Suite("Catalogue file (docs/contract.md §2.2, R22)")
struct CatalogueFileTests {
    let header = "code,name,field,level,online,postal\n"

    @Test func readsRowsAndNormalisesCodes() throws {
        let catalogue = try CatalogueFile.parse(
            csv: "\u{FEFF}" + header + " 1.004227 ,\"Cấp giấy phép, xây dựng\",xd,district,full,yes\n2.1,B,KD,province,none,no\n",
            file: "c.csv")
        #expect(catalogue.entries.count == 2)
        let entry = try #require(catalogue["1.004227"])
        #expect(entry.name == "Cấp giấy phép, xây dựng")
        #expect(entry.field == "XD")
        #expect(entry.level == .district)
        #expect(entry.online == .full)
        #expect(entry.postal)
        #expect(catalogue["2.1"]?.postal == false)
    }

    @Test("R22: a duplicate code names both rows")
    func duplicateCode() {
        #expect {
            try CatalogueFile.parse(csv: header + "1.1,A,X,district,none,no\n2.2,B,X,district,none,no\n1.1 ,C,X,province,full,yes\n", file: "c.csv")
        } throws: { error in
            let error = error as! ConfigurationError
            return error.line == 4 && error.message.contains("row 4") && error.message.contains("row 2")
        }
    }

    @Test("R22: a bad row is named with what is allowed", arguments: [
        ("1.1,A,X,county,none,no\n", "level"), ("1.1,A,X,district,some,no\n", "online"),
        ("1.1,A,X,district,none,maybe\n", "postal"), ("1.1,A,X,district,none\n", "columns"),
        (",A,X,district,none,no\n", "code"),
    ])
    func badRow(row: String, word: String) {
        #expect {
            try CatalogueFile.parse(csv: header + row, file: "c.csv")
        } throws: { error in
            let error = error as! ConfigurationError
            return error.line == 2 && error.message.contains(word)
        }
    }

    @Test func wrongHeader() {
        #expect(throws: ConfigurationError.self) {
            try CatalogueFile.parse(csv: "code,name,level\n", file: "c.csv")
        }
    }
}

@Suite("Pipeline files (docs/contract.md §2.3)")
struct PipelineFileTests {
    func pipeline(_ body: String) throws(ConfigurationError) -> PipelineConfiguration {
        try PipelineFile.parse(yaml: body, file: "p.yaml", folder: repositoryRoot + "/Pipelines")
    }

    let valid = """
        pipeline: t
        period: { from: 2022-01-01, to: 2022-12-31 }
        timezone: Asia/Ho_Chi_Minh
        catalogue: ../Fixtures/demo/catalogue.csv
        sources:
          - { name: tinh, level: province, dialect: dvcqg, files: "../Fixtures/demo/tinh/*.xml" }
        targets: { on_time_rate: 0.999, online_dossier_share: 55%, digitisation_rate: 1 }
        digitisationEffective: { province: 2022-06-01 }
        rules: { onTimeGranularity: instant, multipleSupplementsAreLate: false, maxRejectRate: none }
        output: { directory: ../out/t, monthly: true }
        """

    @Test func validPipelineLoads() throws {
        let configuration = try pipeline(valid)
        #expect(configuration.period.from == LocalDate(year: 2022, month: 1, day: 1))
        #expect(configuration.sources.map(\.name) == ["tinh"])
        #expect(configuration.sources[0].patterns == [repositoryRoot + "/Fixtures/demo/tinh/*.xml"])
        #expect(configuration.targets.values[.onTimeRate] == Fraction(999, 1000))
        #expect(configuration.targets.values[.onlineDossierShare] == Fraction(55, 100))
        #expect(configuration.targets.values[.digitisationRate] == Fraction(1, 1))
        #expect(configuration.targets.digitisationEffective[.province] == LocalDate(year: 2022, month: 6, day: 1))
        #expect(configuration.rules.onTimeGranularity == .instant)
        #expect(configuration.rules.multipleSupplementsAreLate == false)
        #expect(configuration.rules.maxRejectRate == nil)
        #expect(configuration.output.directory == repositoryRoot + "/out/t")
        #expect(configuration.output.monthly)
    }

    @Test("Every malformed key names the line and what is allowed", arguments: [
        ("level: province", "level: county", 6, "province, district, commune"),
        ("timezone: Asia/Ho_Chi_Minh", "timezone: Mars/Olympus", 3, "IANA"),
        ("to: 2022-12-31", "to: 31/12/2022", 2, "YYYY-MM-DD"),
        ("on_time_rate: 0.999", "on_time_rate: high", 7, "decimal"),
        ("onTimeGranularity: instant", "onTimeGranularity: hour", 9, "day, instant"),
        ("output: {", "outptu: {", 10, "unknown key 'outptu'"),
        ("dialect: dvcqg", "dialect: nosuch", 6, "not found"),
        ("monthly: true", "monthly: often", 10, "true, false"),
    ])
    func malformed(old: String, new: String, line: Int, phrase: String) {
        #expect {
            try pipeline(valid.replacingOccurrences(of: old, with: new))
        } throws: { error in
            let error = error as! ConfigurationError
            return error.line == line && error.message.contains(phrase) && error.file == "p.yaml"
        }
    }

    @Test func duplicateSourceNames() {
        let twice = valid.replacingOccurrences(
            of: "targets:", with: "  - { name: tinh, level: district, dialect: igate, files: x }\ntargets:")
        #expect(throws: ConfigurationError.self) { try pipeline(twice) }
    }

    @Test func shippedPipelinesValidate() throws {
        for name in ["demo.yaml", "acceptance-2022.yaml"] {
            let configuration = try PipelineFile.load(path: repositoryRoot + "/Pipelines/" + name)
            #expect(!configuration.sources.isEmpty)
        }
    }
}
