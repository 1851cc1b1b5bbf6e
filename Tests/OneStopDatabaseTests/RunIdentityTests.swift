import OneStopModel
import Testing
@testable import OneStopDatabase

@Suite struct RunIdentityTests {
    static let files = [
        FileReport(path: "in/a.xml", source: "tinh", bytes: 10, sha256: "aa", status: .ok),
        FileReport(path: "in/b.xml", source: "huyen", bytes: 20, sha256: "bb", status: .ok),
    ]
    static let year = period("2022-01-01", "2022-12-31")

    static func identity(
        pipeline: String = "tinh", period: Period = year, fingerprint: String = "f", files: [FileReport] = files
    ) -> RunIdentity {
        RunIdentity(pipeline: pipeline, period: period, configurationFingerprint: fingerprint, files: files)
    }

    @Test("The same exports give the same identity in any order, under any path")
    func sameInputs() {
        var moved = Self.files.reversed().map { $0 }
        moved[0].path = "elsewhere/b.xml"
        #expect(Self.identity(files: moved) == Self.identity())
        #expect(Self.identity().digest.count == 64)
    }

    @Test("Pipeline, period, configuration and every input's source, digest and size each change it")
    func everyPartCounts() {
        var changedDigest = Self.files
        changedDigest[0].sha256 = "ab"
        var changedSize = Self.files
        changedSize[1].bytes = 21
        var changedSource = Self.files
        changedSource[0].source = "huyen"
        let others = [
            Self.identity(pipeline: "tinh2"), Self.identity(period: period("2022-01-01", "2022-06-30")),
            Self.identity(fingerprint: "g"), Self.identity(files: changedDigest), Self.identity(files: changedSize),
            Self.identity(files: changedSource), Self.identity(files: Array(Self.files.prefix(1))),
        ]
        #expect(Set(others.map(\.digest)).count == others.count)
        #expect(!others.map(\.digest).contains(Self.identity().digest))
        #expect(Self.identity(fingerprint: "g").inputsSHA256 == Self.identity().inputsSHA256)
    }
}
