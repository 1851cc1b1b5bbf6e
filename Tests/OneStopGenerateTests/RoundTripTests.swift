import Foundation
import OneStopModel
import OneStopPipeline
import Testing
@testable import OneStopGenerate

/// Generated data round-trips: `onestop run` over a generated set reads every record written,
/// rejects exactly the records made unparseable on purpose, and keeps one version per dossier.
@Suite("Generated sets round-trip through onestop run")
struct RoundTripTests {
    /// A third system, to show the generator follows any dialect file: namespace prefixes,
    /// the export time as the text of a header element, attributes and text on one element,
    /// a quoted literal in a date format without seconds, no `field`, no attachments.
    static let thirdDialect = """
        dialect: third
        record: ns:Export/Items/ns:Item
        exportTime: ns:Export/Header/Created
        fields:
          dossierId: "@id"
          procedureCode: Procedure/@code
          procedureName: Procedure
          agency: Office
          channel: Channel
          returnMethod: Return/@via
          status: State
          received: Dates/@received
          due: Dates/@due
          finished: Dates/@closed
          returned: Dates/Returned
          digitised: "@scanned"
        supplements:
          each: Requests/Request
          fields: { requested: "@at", answered: "@answered", newDue: NewDue }
        codes:
          channel: { desk: in_person, web: online, post: postal }
          returnMethod: { desk: in_person, post: postal }
          status: { new: 1, ok: 2, "no": 3, work: 4, wait: 5, fee: 6, drop: 7, stop: 8, done: 9, out: 10 }
          flag: { "y": true, "n": false }
        dateFormats: ["yyyy-MM-dd'T'HH:mm", iso8601]
        """

    /// Dates written as days only (`d/M/yyyy`): a due day means its end (R4).
    static let dayOnlyDialect = """
        dialect: dayonly
        record: Root/R
        fields:
          dossierId: Id
          procedureCode: P
          status: S
          received: Rc
          due: Du
          returned: Rt
        codes:
          status: { "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "8": 8, "9": 9, "10": 10 }
        dateFormats: [d/M/yyyy]
        """

    static func dialectPath(_ name: String) throws -> String {
        switch name {
        case "dvcqg", "igate":
            return shippedDialects + "/\(name).yaml"
        default:
            let folder = temporaryFolder("dialects")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let path = folder + "/\(name).yaml"
            try (name == "third" ? thirdDialect : dayOnlyDialect).write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    @Test(arguments: ["dvcqg", "igate", "third", "dayonly"], [false, true])
    func accountingBalances(dialect: String, gzip: Bool) throws {
        let path = try Self.dialectPath(dialect)
        let (folder, report) = try generate(dialectPath: path, records: 1_500, dossiers: 500, gzip: gzip, badRate: 0.01)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        #expect(report.records == 1_500)
        #expect(report.files.count == 3 * 6)
        #expect(report.badRecords > 0)
        let result = try runPipeline(in: folder)
        let accounting = result.report.accounting
        #expect(result.exitStatus == .ok)
        #expect(accounting.files.allSatisfy { $0.status == .ok })
        #expect(accounting.recordsRead == report.records)
        #expect(accounting.rejected == report.badRecords)
        #expect(accounting.rejectedByReason.keys.allSatisfy { $0.contains("unparseable date") })
        #expect(accounting.balances)
        // One winner per dossier, unless every version of a dossier was a bad one.
        #expect(accounting.notAccepted + accounting.kept <= report.dossiers)
        #expect(accounting.notAccepted + accounting.kept >= report.dossiers - report.badRecords)
        #expect(accounting.superseded >= report.records - report.dossiers - report.badRecords)
    }

    @Test func withoutBadRecordsEveryDossierHasOneWinner() throws {
        let (folder, report) = try generate(
            dialectPath: shippedDialects + "/dvcqg.yaml", records: 2_000, sources: 4, dossiers: 700, badRate: 0)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let accounting = try runPipeline(in: folder).report.accounting
        #expect(accounting.rejected == 0)
        #expect(accounting.notAccepted + accounting.kept == report.dossiers)
        #expect(accounting.superseded == report.records - report.dossiers)
    }

    /// The figures have cases in every column: online, postal, carried over, early, on time,
    /// late, in progress within and past the deadline, digitised.
    @Test func figuresCoverEveryColumn() throws {
        let (folder, _) = try generate(
            dialectPath: shippedDialects + "/dvcqg.yaml", records: 9_000, sources: 4, nights: 12, dossiers: 3_000)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try runPipeline(in: folder)
        let progress = try String(contentsOfFile: result.outputDirectory + "/progress.csv", encoding: .utf8)
        let lines = progress.split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let province = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(province[0] == "province" && province[1] == "ALL")
        for column in [
            "received_online", "received_inperson_post", "carried_over", "resolved_early", "resolved_on_time",
            "resolved_late", "in_progress_within", "in_progress_overdue", "postal", "digitised",
        ] {
            let value = Int(province[header.firstIndex(of: column)!]) ?? 0
            #expect(value > 0, "\(column) is \(value)")
        }
        #expect(!result.report.warnings.unknownProcedures.isEmpty)
    }

    @Test func recordsAreWhereTheDialectSaysAndHoldNoOtherNamespace() throws {
        let path = try Self.dialectPath("third")
        let (folder, report) = try generate(dialectPath: path, records: 200, sources: 1, nights: 3, dossiers: 100)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/" + report.files[0].path
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Export>\n  <Header>\n    <Created>"))
        #expect(text.contains("<Items>\n    <Item id=\""))
        #expect(text.contains("<Procedure code=\""))
        #expect(!text.contains("ns:"))
    }
}
