import Foundation
import Testing
@testable import OneStopGenerate

@Suite("The generator is deterministic")
struct DeterminismTests {
    @Test(arguments: [false, true])
    func sameSeedSameBytesWhateverTheJobs(gzip: Bool) throws {
        let dvcqg = shippedDialects + "/dvcqg.yaml"
        let (first, _) = try generate(dialectPath: dvcqg, records: 1_200, seed: 5, gzip: gzip, jobs: 1)
        let (second, _) = try generate(dialectPath: dvcqg, records: 1_200, seed: 5, gzip: gzip, jobs: 3)
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        let a = try contents(of: first)
        let b = try contents(of: second)
        #expect(a.count == 3 * 6 + 3)
        #expect(a.keys.sorted() == b.keys.sorted())
        for (path, bytes) in a where path != "pipeline.yaml" {
            #expect(b[path] == bytes, "\(path) differs")
        }
    }

    @Test func anotherSeedOtherDossiers() throws {
        let dvcqg = shippedDialects + "/dvcqg.yaml"
        let (first, one) = try generate(dialectPath: dvcqg, records: 600, seed: 1)
        let (second, two) = try generate(dialectPath: dvcqg, records: 600, seed: 2)
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        #expect(one.records == two.records)
        let a = try contents(of: first)
        let b = try contents(of: second)
        #expect(a[one.files[0].path] != b[two.files[0].path])
        #expect(a["catalogue.csv"] == b["catalogue.csv"])
    }

    @Test func gzipHoldsTheSameXML() throws {
        let dvcqg = shippedDialects + "/dvcqg.yaml"
        let (plain, plainReport) = try generate(dialectPath: dvcqg, records: 800, seed: 9)
        let (zipped, zippedReport) = try generate(dialectPath: dvcqg, records: 800, seed: 9, gzip: true)
        defer {
            try? FileManager.default.removeItem(atPath: plain)
            try? FileManager.default.removeItem(atPath: zipped)
        }
        #expect(plainReport.xmlBytes == zippedReport.xmlBytes)
        #expect(zippedReport.bytesOnDisk < zippedReport.xmlBytes / 4)
        let file = zippedReport.files[2].path
        let bytes = try Data(contentsOf: URL(fileURLWithPath: zipped + "/" + file))
        #expect(bytes.prefix(2) == Data([0x1F, 0x8B]))
        #expect(file.hasSuffix(".xml.gz"))
    }
}
