import OneStopModel
import Testing
@testable import OneStopAggregate

/// A small deterministic generator (SplitMix64).
private struct Seeded: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Aggregating a packed DossierTable gives the figures of the Dossier values")
struct PackedAggregationTests {
    func randomDossiers(_ count: Int, seed: UInt64) -> [Dossier] {
        var generator = Seeded(state: seed)
        func some<T>(_ values: [T]) -> T { values.randomElement(using: &generator)! }
        func instant(_ range: ClosedRange<Int>) -> Instant? {
            Int.random(in: 0..<8, using: &generator) == 0
                ? nil : at(2022, some([1, 2, 3, 4]), Int.random(in: range, using: &generator), Int64.random(in: 0..<24, using: &generator))
        }
        return (0..<count).map { index in
            let supplements = (0..<some([0, 0, 0, 1, 1, 2, 3])).map { _ in
                Supplement(requested: at(2022, 3, some([2, 10, 30]), 9), answered: some([nil, at(2022, 3, 12), at(2022, 4, 2)]),
                           newDue: some([nil, nil, at(2022, 3, 25, 17)]))
            }
            return dossier(
                "D\(index)", source: some([0, 1]), procedure: some(["P1", "P2", "X9", "Y8"]),
                procedureName: some([nil, "  ", "Tên X", "Te\u{0302}n Y "]), field: some([nil, "F", "G"]),
                agency: some([nil, "AG1", "AG2", "tinh"]), channel: some(Channel.allCases),
                returnMethod: some(ReturnMethod.allCases), status: some(Status.allCases), received: instant(1...28),
                due: instant(5...28), finished: instant(1...28), returned: instant(1...28), supplements: supplements,
                digitised: Bool.random(using: &generator))
        }
    }

    @Test("Same aggregation; not accepted entries are skipped", arguments: [1, 3])
    func tableMatchesDossiers(jobs: Int) {
        let all = randomDossiers(3_000, seed: 5)
        let catalogue = Catalogue(entries: [
            entry("P1", online: .full, postal: true), entry("P2", level: .district, online: .partial),
        ])
        for rules in [Rules(), Rules(onTimeGranularity: .instant, multipleSupplementsAreLate: false)] {
            let settings = settings(
                catalogue: catalogue, rules: rules,
                targets: Targets(digitisationEffective: [.province: date(2022, 3, 10)]), jobs: jobs)
            let expected = aggregate(all.filter(\.status.isAccepted), settings: settings)
            let packed = aggregate(DossierTable(all), settings: settings)
            #expect(packed == expected)
            #expect(!expected.progress.isEmpty && !expected.unknownProcedures.isEmpty)
        }
    }
}
