import OneStopPipeline
import Testing
@testable import OneStopReport

/// The pipeline keys the report adds: `output.xlsx` and `output.language`.
@Suite struct ReportConfigurationTests {
    func parse(_ output: String) throws -> PipelineConfiguration {
        let yaml = """
            pipeline: t
            period: { from: 2022-01-01, to: 2022-12-31 }
            timezone: Asia/Ho_Chi_Minh
            catalogue: Fixtures/demo/catalogue.csv
            dialects: Pipelines/dialects
            sources: [{ name: tinh, level: province, dialect: dvcqg, files: ["x/*.xml"] }]
            \(output)
            """
        return try PipelineFile.parse(yaml: yaml, file: "t.yaml", folder: repositoryRoot)
    }

    @Test func defaults() throws {
        let output = try parse("").output
        #expect(output.xlsx == false)
        #expect(output.language == .vi)
    }

    @Test func keys() throws {
        let output = try parse("output: { xlsx: true, language: en }").output
        #expect(output.xlsx == true)
        #expect(output.language == .en)
    }

    @Test func unknownLanguageIsAConfigurationError() throws {
        let error = try #require(throws: ConfigurationError.self) { try parse("output: { language: fr }") }
        #expect("\(error)".contains("output.language"))
    }
}
