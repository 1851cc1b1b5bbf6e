import OneStopAggregate
import OneStopModel
import Testing

/// Tallies keyed by codes merge exactly: a run split by source, counted in parts and merged,
/// gives the figures of the whole (the basis of shards and merge).
@Suite struct FigureTallyTests {
    static let settings = AggregationSettings(
        period: march, clock: clock, rules: Rules(), targets: ScorecardTests.targets,
        catalogue: AggregationTests.catalogue, sources: [provinceSource, districtSource])

    @Test func partsBySourceMergeIntoTheWhole() {
        let whole = tally(AggregationTests.dossiers, settings: Self.settings)
        let province = tally(AggregationTests.dossiers.filter { $0.source == 0 }, settings: Self.settings)
        let district = tally(AggregationTests.dossiers.filter { $0.source == 1 }, settings: Self.settings)
        #expect(province != whole && district != whole)
        #expect(FigureTally.merged([province, district]).canonical() == whole.canonical())
        // In the other order too.
        #expect(FigureTally.merged([district, province]).canonical() == whole.canonical())
        #expect(FigureTally.merged([district, province]).assembled(with: Self.settings.assembly)
            == aggregate(AggregationTests.dossiers, settings: Self.settings))
    }

    @Test func mergingAnEmptyTallyChangesNothing() {
        let whole = tally(AggregationTests.dossiers, settings: Self.settings)
        #expect(FigureTally.merged([FigureTally(), whole, FigureTally()]) == whole)
    }

    @Test func countersAddSetsUniteAndListsConcatenate() {
        var a = FigureTally()
        a.byAgency["AG1"] = ProgressCounters(receivedOnline: 1, resolvedEarly: 1)
        a.onlineProcedures[.province] = ["P1"]
        a.noDueDate = ["tinh:B"]
        a.unknownProcedures = ["P9": 1]
        var b = FigureTally()
        b.byAgency["AG1"] = ProgressCounters(carriedOver: 2, inProgressOverdue: 2)
        b.byAgency["AG2"] = ProgressCounters(receivedInPersonPost: 1, resolvedLate: 1)
        b.onlineProcedures[.province] = ["P1", "P2"]
        b.noDueDate = ["huyen:A"]
        b.unknownProcedures = ["P9": 2, "P8": 1]
        a.merge(b)
        #expect(a.byAgency["AG1"] == ProgressCounters(
            receivedOnline: 1, carriedOver: 2, resolvedEarly: 1, inProgressOverdue: 2))
        #expect(a.byAgency["AG2"]?.total == 1)
        #expect(a.onlineProcedures[.province] == ["P1", "P2"])
        #expect(a.canonical().noDueDate == ["huyen:A", "tinh:B"])
        #expect(a.unknownProcedures == ["P9": 3, "P8": 1])
    }

    @Test("R23: of two parts' names for an unknown procedure, the smaller (source, dossier id) wins, in any order")
    func procedureNameCandidateIsAMinimum() {
        var a = FigureTally()
        a.procedureNames["P9"] = NameCandidate(source: "tinh", dossierID: "A", name: "from tinh")
        var b = FigureTally()
        b.procedureNames["P9"] = NameCandidate(source: "huyen", dossierID: "Z", name: "from huyen")
        #expect(FigureTally.merged([a, b]).procedureNames["P9"]?.name == "from huyen")
        #expect(FigureTally.merged([b, a]).procedureNames["P9"]?.name == "from huyen")
    }

    @Test("The province row is there even when nothing is in scope, all zeros")
    func emptyTallyHasAProvinceRowOfZeros() {
        let aggregation = FigureTally().assembled(with: Self.settings.assembly)
        #expect(aggregation.progress == [ProgressRow(dimension: .province, key: "ALL", counters: ProgressCounters())])
        #expect(aggregation.scorecard.province.map(\.measure) == ScorecardMeasure.allCases)
    }

    @Test("A level without a source is marked, so it reads 'no source' rather than 0 %")
    func levelWithoutSources() {
        let card = tally(AggregationTests.dossiers, settings: Self.settings).assembled(with: Self.settings.assembly)
            .scorecard
        #expect(card.byLevel.map(\.hasSources) == [true, true, false])  // province, district, commune
    }
}
