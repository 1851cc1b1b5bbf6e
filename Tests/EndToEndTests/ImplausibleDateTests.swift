import Foundation
import Testing

/// Dates before 1990 through the built binary (R24): systems write 0001-01-01 for "no date", and
/// such a received date must not count as a dossier carried over for two thousand years.
@Suite("End to end: implausible dates")
struct ImplausibleDateTests {
    /// Four good records, in scope for 2022.
    static let goodRecords = (1...4).map { dvcqgRecord(id: "GOOD-\($0)") }

    /// A good record with one date replaced.
    static func record(id: String, element: String, date: String) -> String {
        let good = dvcqgRecord(id: id)
        let start = good.range(of: "<\(element)>")!.upperBound
        let end = good.range(of: "</\(element)>")!.lowerBound
        return good.replacingCharacters(in: start..<end, with: date)
    }

    @Test("A 0001-01-01 received date and a 1989-12-31 due date reject their records; the others count; exit 0")
    func implausibleDatesRejectTheirRecords() throws {
        let noDate = Self.record(id: "old-1", element: "NgayTiepNhan", date: "00010101000000")
        let lastDayOf1989 = Self.record(id: "old-2", element: "NgayHenTra", date: "31/12/1989")
        let records = [Self.goodRecords[0], noDate, Self.goodRecords[1], Self.goodRecords[2], lastDayOf1989,
                       Self.goodRecords[3]]
        let run = try HostileRun("implausible-dates") { scratch in
            try scratch.write("in/dates.xml", dvcqgExport(records.joined()))
        }
        let withoutThem = try HostileRun("implausible-dates-baseline") { scratch in
            try scratch.write("in/dates.xml", dvcqgExport(Self.goodRecords.joined()))
        }
        #expect(!run.outcome.timedOut && run.outcome.signal == nil)
        #expect(run.outcome.exitCode == 0, "\(run.outcome.stderr)")
        #expect(withoutThem.outcome.exitCode == 0, "\(withoutThem.outcome.stderr)")

        // rejects.csv: the two records, each on the line of its start tag, naming the date field
        // as the export does.
        func line(ofRecord index: Int) -> Int {
            // dvcqgExport puts the root's start tag on line 2; each record is its own lines.
            3 + records[..<index].map { $0.split(separator: "\n", omittingEmptySubsequences: false).count - 1 }.reduce(0, +)
        }
        let rows = try read(run.output + "/rejects.csv").split(separator: "\n").map(String.init)
            .filter { $0.contains("in/dates.xml,") }
        #expect(rows.count == 2, "\(rows)")
        #expect(rows.contains { $0.hasSuffix("in/dates.xml,\(line(ofRecord: 1)),OLD-1,NgayTiepNhan,implausible date") },
                "\(rows)")
        #expect(rows.contains { $0.hasSuffix("in/dates.xml,\(line(ofRecord: 4)),OLD-2,NgayHenTra,implausible date") },
                "\(rows)")

        // summary.json: the file read whole, its two rejects by reason, and R7's identity.
        let report = try run.fileReport("dates.xml")
        #expect(report["status"] as? String == "ok")
        #expect((report["records"] as? NSNumber)?.intValue == 6)
        #expect((report["rejected"] as? NSNumber)?.intValue == 2)
        let accounting = try #require(try run.summary()["accounting"] as? [String: Any])
        let baseline = try #require(try withoutThem.summary()["accounting"] as? [String: Any])
        func count(_ key: String, _ accounting: [String: Any]) -> Int { (accounting[key] as? NSNumber)?.intValue ?? -1 }
        let byReason = accounting["rejected_by_reason"] as? [String: Any] ?? [:]
        #expect((byReason["implausible date"] as? NSNumber)?.intValue == 2, "\(byReason)")
        #expect(count("records_read", accounting)
            == count("rejected", accounting) + count("superseded", accounting) + count("not_accepted", accounting)
            + count("kept", accounting))
        #expect(accounting["identity_ok"] as? Bool == true)
        #expect(count("records_read", accounting) == count("records_read", baseline) + 2)
        #expect(count("rejected", accounting) == count("rejected", baseline) + 2)
        #expect(count("kept", accounting) == count("kept", baseline))

        // The good records count exactly as in a run without the two (no dossier carried over
        // from year 1).
        for file in ["progress.csv", "procedures.csv", "agencies.csv"] {
            #expect(try read(run.output + "/" + file) == read(withoutThem.output + "/" + file), "\(file)")
        }
    }
}
