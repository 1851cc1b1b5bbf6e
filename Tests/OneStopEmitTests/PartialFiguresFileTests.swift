import Foundation
import OneStopAggregate
import OneStopModel
import Testing
@testable import OneStopEmit

/// The partial figures file: what is written reads back equal, in deterministic bytes, and a file
/// that is not a partial of this version, or is damaged, is refused with a message naming it.
@Suite struct PartialFiguresFileTests {
    static func sampleTally(reversed: Bool = false) -> FigureTally {
        var tally = FigureTally()
        tally.province = ProgressCounters(receivedOnline: 3, receivedInPersonPost: 1, carriedOver: 1, resolvedEarly: 2,
                                          resolvedOnTime: 1, resolvedLate: 1, inProgressOverdue: 1, postal: 1, digitised: 2)
        var agencies = [("AG1", ProgressCounters(receivedOnline: 2, resolvedEarly: 2)),
                        ("000.00.21.H55", ProgressCounters(receivedOnline: 1, receivedInPersonPost: 1, resolvedOnTime: 1,
                                                           resolvedLate: 1))]
        if reversed { agencies.reverse() }
        for (code, counters) in agencies { tally.byAgency[code] = counters }
        tally.byLevel[.district] = tally.province
        tally.byField["XD"] = tally.province
        tally.byProcedure["1.004227"] = tally.province
        tally.byAgencyProcedure[AgencyProcedure(agency: "AG1", procedure: "1.004227")] = tally.byAgency["AG1"]
        tally.byAgencyLevel[AgencyLevel(agency: "AG1", level: .district)] = tally.byAgency["AG1"]
        tally.byMonth["2022-03"] = tally.province
        tally.onlineProcedures[.district] = reversed ? ["P2", "P1"] : ["P1", "P2"]
        tally.postalProcedures[.province] = ["P3"]
        tally.onlineShare = RatioCount(numerator: 3, denominator: 4)
        tally.onlineShareByLevel[.district] = RatioCount(numerator: 3, denominator: 4)
        tally.digitisationByLevel[.district] = RatioCount(numerator: 2, denominator: 4)
        tally.digitisationByAgency["AG1"] = RatioCount(numerator: 1, denominator: 2)
        tally.noDueDate = ["huyen:A", "huyen:B"]
        tally.missingAgency = ["huyen:C"]
        tally.unknownProcedures = ["P9": 2]
        tally.procedureNames["P9"] = NameCandidate(source: "huyen", dossierID: "A", name: "Tên \"lạ\"\n")
        return tally
    }

    static func samplePartial(reversed: Bool = false, rows: [[String]]? = nil) -> PartialFigures {
        let report = sampleReport()
        var accounting = report.accounting
        accounting.rejected = report.rejects.count
        var partial = PartialFigures(
            fingerprint: "f1", pipeline: "demo",
            period: Period(from: LocalDate(iso: "2022-01-01")!, to: LocalDate(iso: "2022-12-31")!),
            shard: Shard(index: 2, count: 3, assignment: ["tinh": 1, "huyen": 2, "xa": 3]),
            sources: [SourceTally(name: "huyen", level: .district, patterns: ["huyen/*.xml"], optional: false, files: 3,
                                  failedFiles: 1, records: 12, newestExportTime: Instant(secondsSinceEpoch: 1_656_874_800))],
            figures: sampleTally(reversed: reversed), accounting: accounting,
            rejects: reversed ? report.rejects.reversed() : report.rejects,
            exportTimeFromModificationTime: ["tinh/old.xml"])
        if let rows {
            partial.dossiers = DossierRows(count: rows.count) { visit throws(EmitError) in
                for row in rows { try visit(row) }
            }
        }
        return partial
    }

    static func row(_ source: String, _ id: String) -> [String] {
        [source, id] + (2..<DossierRows.columns.count).map { "v\($0),\"q\"\n" }
    }

    @Test func whatIsWrittenReadsBackEqual() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        let rows = [Self.row("huyen", "A"), Self.row("huyen", "B"), Self.row("xa", "Ü-1")]
        let original = Self.samplePartial(rows: rows)
        try original.write(to: scratch.path + "/p")
        let back = try PartialFigures.read(path: scratch.path + "/p")
        #expect(back.figures == original.figures)
        #expect(back.accounting == original.accounting)
        #expect(back.rejects == original.rejects.sorted(by: Reject.ordered))
        #expect(back.sources == original.sources)
        #expect(back.shard == original.shard)
        #expect(back.fingerprint == "f1" && back.pipeline == "demo" && back.period == original.period)
        #expect(back.exportTimeFromModificationTime == ["tinh/old.xml"])
        var read: [[String]] = []
        try back.dossiers?.forEach { read.append($0) }
        #expect(read == rows)
        #expect(back.dossierSections.map(\.source) == ["huyen", "xa"])
        #expect(back.dossierSections.map(\.rows) == [2, 1])
        // A section read alone starts where it says.
        var xa: [[String]] = []
        try back.dossierSections[1].forEach { xa.append($0) }
        #expect(xa == [Self.row("xa", "Ü-1")])
        let header = try PartialFigures.readHeader(path: scratch.path + "/p")
        #expect(header.dossierRows == 3 && header.sources == ["huyen"] && header.version == 1)
    }

    @Test func equalPartialsGiveEqualBytes() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        try Self.samplePartial().write(to: scratch.path + "/a")
        try Self.samplePartial(reversed: true).write(to: scratch.path + "/b")
        let a = try #require(FileManager.default.contents(atPath: scratch.path + "/a"))
        let b = try #require(FileManager.default.contents(atPath: scratch.path + "/b"))
        #expect(a == b)
        let text = String(decoding: a, as: UTF8.self)
        #expect(text.hasPrefix("{\"dossier_rows\":null,"))
        #expect(text.contains("\"format\":\"onestop-partial\""))
        #expect(text.split(separator: "\n").count == 2)
        // Nothing but the file itself is left beside it.
        #expect(scratch.contents() == ["a", "b"])
    }

    @Test func notAPartial() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        scratch.write("x.csv", "a,b\n1,2\n")
        scratch.write("empty", "")
        #expect(throws: PartialFileError.notAPartial(path: scratch.path + "/x.csv")) {
            try PartialFigures.read(path: scratch.path + "/x.csv")
        }
        #expect(throws: PartialFileError.notAPartial(path: scratch.path + "/empty")) {
            try PartialFigures.read(path: scratch.path + "/empty")
        }
    }

    @Test func anotherVersionIsRefusedByName() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        try Self.samplePartial().write(to: scratch.path + "/p")
        let text = try String(contentsOfFile: scratch.path + "/p", encoding: .utf8)
        try text.replacingOccurrences(of: "\"version\":1", with: "\"version\":2")
            .write(toFile: scratch.path + "/p", atomically: true, encoding: .utf8)
        #expect(throws: PartialFileError.unsupportedVersion(path: scratch.path + "/p", found: 2)) {
            try PartialFigures.read(path: scratch.path + "/p")
        }
        let message = "\(PartialFileError.unsupportedVersion(path: "p", found: 2))"
        #expect(message.contains("version 2") && message.contains("version 1"))
    }

    @Test func cutOffOrEditedFilesAreDamaged() throws {
        let scratch = ScratchDirectory()
        defer { scratch.cleanUp() }
        try Self.samplePartial().write(to: scratch.path + "/p")
        let bytes = try #require(FileManager.default.contents(atPath: scratch.path + "/p"))
        // Cut in the body line.
        let cut = bytes.prefix(bytes.count - 40)
        #expect(FileManager.default.createFile(atPath: scratch.path + "/cut", contents: Data(cut)))
        let error = #expect(throws: PartialFileError.self) { try PartialFigures.read(path: scratch.path + "/cut") }
        if case .damaged(_, let line, _)? = error {
            #expect(line == 2)
        } else {
            Issue.record("expected a damaged file, got \(String(describing: error))")
        }
        // Counters edited to a negative count.
        let text = String(decoding: bytes, as: UTF8.self)
        let edited = text.replacingOccurrences(of: "\"province\":[3,", with: "\"province\":[-3,")
        #expect(edited != text)
        try edited.write(toFile: scratch.path + "/edited", atomically: true, encoding: .utf8)
        #expect(throws: PartialFileError.self) { try PartialFigures.read(path: scratch.path + "/edited") }
    }

    @Test func dossierRowsParse() {
        #expect(JSONStringArray.parse(Array(#"["a","b\"c","\u00e9\n","\ud83d\ude00"]"#.utf8))
            == ["a", "b\"c", "é\n", "😀"])
        #expect(JSONStringArray.parse(Array("[]".utf8)) == [])
        #expect(JSONStringArray.parse(Array(#"["a",]"#.utf8)) == nil)
        #expect(JSONStringArray.parse(Array(#"["a" "b"]"#.utf8)) == nil)
        #expect(JSONStringArray.parse(Array(#"["a"] x"#.utf8)) == nil)
        #expect(JSONStringArray.parse(Array(#"["\ud83d"]"#.utf8)) == nil)  // a lone surrogate
        #expect(JSONStringArray.parse(Array("[\"a\u{01}\"]".utf8)) == nil)  // a raw control character
        // What the writer writes, the parser reads.
        let fields = ["x,y", "\"", "\t\r\n", "Nguyễn", "\u{1F}"]
        #expect(JSONStringArray.parse(Array(JSONValue.array(fields.map(JSONValue.string)).compact().utf8)) == fields)
    }
}
