import Foundation
import OneStopModel
import OneStopPipeline
import Testing
@testable import OneStopGenerate

/// Sets of hundreds or thousands of sources (63 provinces × 4 systems; a merge of 1,000 shards):
/// names, agency codes and export times stay distinct, ordered and plausible at any count.
@Suite("Many sources")
struct ManySourcesTests {
    static func sources(_ count: Int) -> [GeneratedSource] {
        let fields = Array(Set(ProcedureCatalogue().procedures.map(\.field))).sorted()
        return (0..<count).map {
            GeneratedSource(index: $0, sources: count, dossiers: 10, nights: 8, year: 2022, fields: fields)
        }
    }

    @Test(arguments: [1, 4, 99, 100, 252, 1_000, GenerationSettings.maximumSources])
    func namesAreUniqueAndSortInTheirOrder(count: Int) {
        let names = Self.sources(count).map(\.name)
        #expect(Set(names).count == count)
        #expect(names == names.sorted(), "a file listing or a sorted table must show the sources in order")
        #expect(names.first == (count < 100 ? "src01" : "src" + String(repeating: "0", count: String(count).count - 1) + "1"))
        #expect(names.last == "src" + (count < 10 ? "0" : "") + String(count))
    }

    @Test(arguments: [4, 99, 252, 1_000, GenerationSettings.maximumSources])
    func noTwoSystemsShareAnAgencyCode(count: Int) {
        var seen: [String: String] = [:]
        for source in Self.sources(count) {
            let codes = [source.unitCode] + source.departments.values.sorted { $0.lexicographicallyPrecedes($1) }
                + source.communeAgencies
            for bytes in codes {
                let code = String(decoding: bytes, as: UTF8.self)
                if let owner = seen[code], owner != source.name {
                    Issue.record("\(code) belongs to both \(owner) and \(source.name)")
                }
                seen[code] = source.name
                #expect(code.utf8.count <= 20)
            }
        }
        #expect(seen.count > count)
    }

    @Test func everyFourthSystemIsAProvincialCentreOfItsOwnProvince() {
        let sources = Self.sources(252)
        #expect(sources.count { $0.level == .province } == 63)
        for source in sources {
            let province = String(decoding: source.unitCode, as: UTF8.self).split(separator: ".").last.map(String.init)
            #expect(province == "H\(55 + source.index / 4)")
            #expect((source.level == .province) == (source.index % 4 == 0))
        }
        // The first province keeps the codes sets of up to four sources always had.
        #expect(String(decoding: sources[0].unitCode, as: UTF8.self) == "000.00.01.H55")
        #expect(String(decoding: sources[3].unitCode, as: UTF8.self) == "000.00.53.H55")
        #expect(String(decoding: sources[3].communeAgencies[0], as: UTF8.self) == "000.53.01.H55")
    }

    @Test func exportsOfEveryNightAreTakenTheSameDayHoweverManySystems() {
        let sources = Self.sources(GenerationSettings.maximumSources)
        for night in 0..<8 {
            let days = Set(sources.map { $0.exportTimes[night].dayNumber })
            #expect(days.count == 1, "night \(night + 1) spreads over \(days.count) days")
        }
        for source in sources.prefix(300) {
            #expect(zip(source.exportTimes, source.exportTimes.dropFirst()).allSatisfy { $0 < $1 })
        }
    }

    @Test func moreSourcesThanTheLimitAreRefused() throws {
        let dialect = try DialectFile.load(path: shippedDialects + "/dvcqg.yaml")
        let most = GenerationSettings.maximumSources
        #expect(throws: Never.self) {
            try GenerationSettings(records: most * 2, sources: most, seed: 1, dialect: dialect, dossiers: most).validate()
        }
        #expect(throws: GenerationError.self) {
            try GenerationSettings(records: most * 4, sources: most + 1, seed: 1, dialect: dialect, dossiers: most * 2)
                .validate()
        }
    }

    /// A country's worth of systems, tiny: a run reads every record of every one of them.
    @Test func sixtyThreeProvincesRoundTrip() throws {
        let (folder, report) = try generate(
            dialectPath: shippedDialects + "/dvcqg.yaml", records: 5_040, sources: 252, nights: 4, dossiers: 2_520,
            badRate: 0)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(report.files.count == 252 * 4)
        let result = try runPipeline(in: folder)
        #expect(result.exitStatus == .ok)
        #expect(result.report.sources.count == 252)
        #expect(result.report.sources.allSatisfy { $0.status == .ok && $0.files == 4 && $0.records > 0 })
        let accounting = result.report.accounting
        #expect(accounting.recordsRead == report.records)
        #expect(accounting.notAccepted + accounting.kept == report.dossiers)
    }
}
