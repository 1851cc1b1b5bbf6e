import OneStopAggregate
import OneStopModel
import Testing

/// Each agency's scorecard on the province's basis, and the ranking, on a hand-counted set.
@Suite struct AgencyScorecardTests {
    /// P1 online full, by post; P2 online partial, not by post; P3 not online, by post.
    static let catalogue = Catalogue(entries: [
        entry("P1", online: .full, postal: true),
        entry("P2", online: .partial, postal: false),
        entry("P3", online: .none, postal: true),
    ])
    static let targets = Targets(
        values: [
            .onlineProcedureCoverage: Fraction(1, 2), .onlineDossierShare: Fraction(11, 20),
            .postalProcedureCoverage: Fraction(1, 2), .onTimeRate: Fraction(999, 1000),
            .digitisationRate: Fraction(1, 1),
        ],
        digitisationEffective: [.province: date(2022, 3, 10)])

    /// AG1 (tinh, province; digitisation counts from Mar 10):
    /// a1 P1 online   Mar 2  due Mar 9  end Mar 8  → early, digitised (before Mar 10: not in the line)
    /// a2 P1 person   Mar 12 due Mar 20 end Mar 21 → late, not digitised
    /// a3 P2 person   Mar 15 due Mar 25 end Mar 20 → early, digitised
    /// a4 P3 postal   Mar 16 due Mar 25 end Mar 24 → early, digitised
    /// a5 P9 online   Mar 17 due Mar 25 end Mar 20 → early (unknown procedure)
    /// AG2 (huyen, district; no digitisation date):
    /// b1 P1 online   Mar 3  due Mar 10 end Mar 10 → on time
    /// b2 P1 online   Mar 4  due Mar 10 end Mar 9  → early
    /// b3 P3 person, returned by post, Mar 5 due Mar 10 end Mar 11 → late
    static let dossiers: [Dossier] = [
        dossier("a1", procedure: "P1", agency: "AG1", channel: .online, received: at(2022, 3, 2, 9),
                due: at(2022, 3, 9, 17), finished: at(2022, 3, 8, 9), digitised: true),
        dossier("a2", procedure: "P1", agency: "AG1", received: at(2022, 3, 12, 9), due: at(2022, 3, 20, 17),
                finished: at(2022, 3, 21, 9)),
        dossier("a3", procedure: "P2", agency: "AG1", received: at(2022, 3, 15, 9), due: at(2022, 3, 25, 17),
                finished: at(2022, 3, 20, 9), digitised: true),
        dossier("a4", procedure: "P3", agency: "AG1", channel: .postal, received: at(2022, 3, 16, 9),
                due: at(2022, 3, 25, 17), finished: at(2022, 3, 24, 9), digitised: true),
        dossier("a5", procedure: "P9", agency: "AG1", channel: .online, received: at(2022, 3, 17, 9),
                due: at(2022, 3, 25, 17), finished: at(2022, 3, 20, 9)),
        dossier("b1", source: 1, procedure: "P1", agency: "AG2", channel: .online, received: at(2022, 3, 3, 9),
                due: at(2022, 3, 10, 17), finished: at(2022, 3, 10, 9)),
        dossier("b2", source: 1, procedure: "P1", agency: "AG2", channel: .online, received: at(2022, 3, 4, 9),
                due: at(2022, 3, 10, 17), finished: at(2022, 3, 9, 9)),
        dossier("b3", source: 1, procedure: "P3", agency: "AG2", returnMethod: .postal, received: at(2022, 3, 5, 9),
                due: at(2022, 3, 10, 17), finished: at(2022, 3, 11, 9)),
    ]

    static func cards(minimum: Int = 3) -> [AgencyScorecard] {
        var settings = settings(catalogue: catalogue, targets: targets)
        settings.minimumDossiersToRank = minimum
        return aggregate(dossiers, settings: settings).agencyScorecards
    }

    static func line(_ agency: String, _ measure: ScorecardMeasure, minimum: Int = 3) -> AgencyScorecardLine {
        cards(minimum: minimum).first { $0.agency == agency }!.line(measure)!
    }

    @Test func everyAgencyWithAnInScopeDossierHasACard() {
        #expect(Self.cards().map(\.agency) == ["AG1", "AG2"])
        #expect(Self.cards().map(\.dossiers) == [5, 3])
    }

    @Test("Coverage: over the catalogue procedures the agency received dossiers for")
    func coverage() {
        // AG1 received P1, P2 (offered online); P1 had an online dossier → 1/2, resting on a1, a2, a3.
        #expect(Self.line("AG1", .onlineProcedureCoverage).line.value == Fraction(1, 2))
        #expect(Self.line("AG1", .onlineProcedureCoverage).dossiers == 3)
        // AG2 received P1 only (offered online), with online dossiers → 1/1, on b1, b2.
        #expect(Self.line("AG2", .onlineProcedureCoverage).line.value == Fraction(1, 1))
        #expect(Self.line("AG2", .onlineProcedureCoverage).dossiers == 2)
        // By post: AG1 received P1, P3; a4 came by post (P3) → 1/2. AG2: P1, P3; b3 returned by post → 1/2.
        #expect(Self.line("AG1", .postalProcedureCoverage).line.value == Fraction(1, 2))
        #expect(Self.line("AG2", .postalProcedureCoverage).line.value == Fraction(1, 2))
        #expect(Self.line("AG2", .postalProcedureCoverage).dossiers == 3)
    }

    @Test("Dossier ratios: online share over procedures offered online, on-time over in-scope, digitisation from the level's date")
    func dossierRatios() {
        #expect(Self.line("AG1", .onlineDossierShare).line.value == Fraction(1, 3))  // a1 of a1, a2, a3
        #expect(Self.line("AG2", .onlineDossierShare).line.value == Fraction(2, 2))
        #expect(Self.line("AG1", .onTimeRate).line.value == Fraction(4, 5))  // all but a2
        #expect(Self.line("AG2", .onTimeRate).line.value == Fraction(2, 3))
        #expect(Self.line("AG1", .digitisationRate).line.value == Fraction(2, 4))  // a2..a5: a3, a4
        #expect(Self.line("AG2", .digitisationRate).line.value == Fraction(0, 0))  // districts have no date
    }

    @Test("The agencies' online-share lines add up to the province's")
    func agencyLinesAddUpToTheProvince() {
        let result = aggregate(Self.dossiers, settings: settings(catalogue: Self.catalogue, targets: Self.targets))
        let sum = result.agencyScorecards.compactMap { $0.line(.onlineDossierShare)?.line.value }
            .reduce(Fraction(0, 0)) { Fraction($0.numerator + $1.numerator, $0.denominator + $1.denominator) }
        #expect(sum == result.scorecard.line(.onlineDossierShare)?.value)
        #expect(sum == Fraction(3, 5))
    }

    @Test("Met and gap per agency line")
    func metAndGap() {
        #expect(Self.line("AG1", .onlineProcedureCoverage).line.met == true)
        #expect(Self.line("AG1", .onlineProcedureCoverage).line.gap == 0)
        // 1/3 against 11/20: ⌈1.65⌉ = 2 online dossiers needed → 1 more.
        #expect(Self.line("AG1", .onlineDossierShare).line.gap == 1)
        // 4/5 against 0.999: ⌈4.995⌉ = 5 → 1 more.
        #expect(Self.line("AG1", .onTimeRate).line.gap == 1)
        #expect(Self.line("AG1", .digitisationRate).line.gap == 2)
        #expect(Self.line("AG2", .digitisationRate).line.gap == nil)
        #expect(Self.line("AG2", .digitisationRate).line.met == nil)
    }

    @Test("Ranking: best value first, equal values share a rank, too few dossiers are not ranked")
    func ranking() {
        #expect(Self.line("AG1", .onlineProcedureCoverage).rank == 1)
        #expect(Self.line("AG2", .onlineProcedureCoverage).rank == nil)  // 2 dossiers < 3
        #expect(Self.line("AG1", .postalProcedureCoverage).rank == 1)
        #expect(Self.line("AG2", .postalProcedureCoverage).rank == 1)  // 1/2 = 1/2
        #expect(Self.line("AG1", .onTimeRate).rank == 1)  // 4/5 > 2/3
        #expect(Self.line("AG2", .onTimeRate).rank == 2)
        #expect(Self.line("AG2", .digitisationRate).rank == nil)  // empty
        // With a minimum of 2, AG2's coverage 1/1 outranks AG1's 1/2.
        #expect(Self.line("AG2", .onlineProcedureCoverage, minimum: 2).rank == 1)
        #expect(Self.line("AG1", .onlineProcedureCoverage, minimum: 2).rank == 2)
    }
}
