import OneStopAggregate
import OneStopModel
import Testing

/// The scorecard (docs/contract.md §4.4, R19–R21) on a hand-counted set.
@Suite struct ScorecardTests {
    /// Offered online: P1, P2 (province), P3 (district), P5 (commune) → 4 province-wide.
    /// Offered by post: P1 (province), P3, P4 (district), P5 (commune) → 4 province-wide.
    static let catalogue = Catalogue(entries: [
        entry("P1", level: .province, online: .full, postal: true),
        entry("P2", level: .province, online: .partial, postal: false),
        entry("P3", level: .district, online: .full, postal: true),
        entry("P4", level: .district, online: .none, postal: true),
        entry("P5", level: .commune, online: .partial, postal: true),
    ])

    /// Sources: 0 `tinh` (province), 1 `huyen` (district).
    /// d1 tinh  P1 online   Mar 14 23:59:59 → early, digitised (before tinh's effective day Mar 15)
    /// d2 huyen P2 online   Mar 3           → early
    /// d3 huyen P9 online   Mar 3           → early (unknown procedure)
    /// d4 tinh  P4 postal   Mar 20          → early, not digitised
    /// d5 huyen P3 in person, returned by post, Mar 4 → early
    /// d6 huyen P3 online, returned by post, Feb 20 (carried over), open, due Mar 5 → overdue
    /// d7 tinh  P2 in person Mar 15 00:00   → late, digitised
    /// d8 huyen P5 online   Mar 6           → early
    static let dossiers: [Dossier] = [
        dossier("d1", source: 0, procedure: "P1", channel: .online, received: at(2022, 3, 14, 23, 59, 59),
                due: at(2022, 3, 20, 17), finished: at(2022, 3, 16, 9), digitised: true),
        dossier("d2", source: 1, procedure: "P2", channel: .online, received: at(2022, 3, 3, 9),
                due: at(2022, 3, 20, 17), finished: at(2022, 3, 10, 9)),
        dossier("d3", source: 1, procedure: "P9", channel: .online, received: at(2022, 3, 3, 9),
                due: at(2022, 3, 20, 17), finished: at(2022, 3, 10, 9)),
        dossier("d4", source: 0, procedure: "P4", channel: .postal, received: at(2022, 3, 20, 9),
                due: at(2022, 3, 28, 17), finished: at(2022, 3, 25, 9)),
        dossier("d5", source: 1, procedure: "P3", returnMethod: .postal, received: at(2022, 3, 4, 9),
                due: at(2022, 3, 20, 17), finished: at(2022, 3, 10, 9)),
        dossier("d6", source: 1, procedure: "P3", channel: .online, returnMethod: .postal, status: .processing,
                received: at(2022, 2, 20, 9), due: at(2022, 3, 5, 17)),
        dossier("d7", source: 0, procedure: "P2", received: at(2022, 3, 15, 0, 0, 0), due: at(2022, 3, 20, 17),
                finished: at(2022, 3, 22, 9), digitised: true),
        dossier("d8", source: 1, procedure: "P5", channel: .online, received: at(2022, 3, 6, 9),
                due: at(2022, 3, 20, 17), finished: at(2022, 3, 10, 9)),
    ]

    static let targets = Targets(
        values: [
            .onlineProcedureCoverage: Fraction(1, 2), .onlineDossierShare: Fraction(11, 20),
            .postalProcedureCoverage: Fraction(1, 2), .onTimeRate: Fraction(999, 1000),
            .digitisationRate: Fraction(1, 1),
        ],
        digitisationEffective: [.province: date(2022, 3, 15)])

    static func scorecard(jobs: Int = 1, targets: Targets = targets) -> Scorecard {
        aggregate(dossiers, settings: settings(catalogue: catalogue, targets: targets, jobs: jobs)).scorecard
    }

    @Test func linesComeInMeasureOrderForEveryLevel() {
        let card = Self.scorecard()
        #expect(card.province.map(\.measure) == ScorecardMeasure.allCases)
        #expect(card.byLevel.map(\.level) == [.province, .district, .commune])
        for level in card.byLevel { #expect(level.lines.map(\.measure) == ScorecardMeasure.allCases) }
    }

    @Test func onlineProcedureCoverage() {
        let card = Self.scorecard()
        // Province-wide: P1 (d1), P2 (d2), P5 (d8) of {P1, P2, P3, P5}; P3's only online dossier d6 is
        // carried over, not received in the period; d3's P9 is not in the catalogue → 3/4.
        #expect(card.line(.onlineProcedureCoverage)?.value == Fraction(3, 4))
        // Province level: tinh's online dossiers: d1 (P1) of {P1, P2} → 1/2.
        #expect(card.line(.onlineProcedureCoverage, level: .province)?.value == Fraction(1, 2))
        // District: huyen's online dossiers are P2 (province-level), P9, P5 (commune-level): none of {P3} → 0/1.
        #expect(card.line(.onlineProcedureCoverage, level: .district)?.value == Fraction(0, 1))
        // Commune: no commune source; denominator {P5} → 0/1.
        #expect(card.line(.onlineProcedureCoverage, level: .commune)?.value == Fraction(0, 1))
    }

    @Test func onlineDossierShareCountsOnlyProceduresOfferedOnline() {
        let card = Self.scorecard()
        // Received in the period with a procedure offered online: d1, d2, d5, d7, d8 (d3 unknown,
        // d4 P4 not offered, d6 carried over); online among them: d1, d2, d8 → 3/5.
        #expect(card.line(.onlineDossierShare)?.value == Fraction(3, 5))
        // Per source level, any catalogue level: tinh d1, d7 → 1/2; huyen d2, d5, d8 → 2/3.
        #expect(card.line(.onlineDossierShare, level: .province)?.value == Fraction(1, 2))
        #expect(card.line(.onlineDossierShare, level: .district)?.value == Fraction(2, 3))
        #expect(card.line(.onlineDossierShare, level: .commune)?.value == Fraction(0, 0))
    }

    @Test func postalProcedureCoverageCountsSubmissionOrReturn() {
        let card = Self.scorecard()
        // Province-wide: P4 (d4 submitted by post), P3 (d5 returned by post) of {P1, P3, P4, P5} → 2/4.
        #expect(card.line(.postalProcedureCoverage)?.value == Fraction(2, 4))
        // Province level: {P1}, no postal dossier of P1 → 0/1 (d4 is P4, a district procedure).
        #expect(card.line(.postalProcedureCoverage, level: .province)?.value == Fraction(0, 1))
        // District: {P3, P4}; huyen's d5 → P3; d4 came through tinh → 1/2.
        #expect(card.line(.postalProcedureCoverage, level: .district)?.value == Fraction(1, 2))
        #expect(card.line(.postalProcedureCoverage, level: .commune)?.value == Fraction(0, 1))
    }

    @Test func unknownProceduresAreInNoCoverageLine() {
        // Only d3 (P9, online, received in the period) changes: the lines stay as they were.
        var withoutUnknown = Self.dossiers
        withoutUnknown.remove(at: 2)
        let card = aggregate(withoutUnknown, settings: settings(catalogue: Self.catalogue, targets: Self.targets))
            .scorecard
        let full = Self.scorecard()
        for measure in [ScorecardMeasure.onlineProcedureCoverage, .onlineDossierShare, .postalProcedureCoverage] {
            #expect(card.line(measure) == full.line(measure))
            #expect(card.line(measure, level: .district) == full.line(measure, level: .district))
        }
        // On time does count it: 7 in scope instead of 8.
        #expect(card.line(.onTimeRate)?.value == Fraction(5, 7))
    }

    @Test func onTimeLinesAreTheProgressRates() {
        let card = Self.scorecard()
        // Early d1–d5, d8 → 6; late d7, overdue d6 → 6/8. tinh: d1, d4 of d1, d4, d7 → 2/3;
        // huyen: d2, d3, d5, d8 of 5 → 4/5; commune: nothing in scope → 0/0.
        #expect(card.line(.onTimeRate)?.value == Fraction(6, 8))
        #expect(card.line(.onTimeRate, level: .province)?.value == Fraction(2, 3))
        #expect(card.line(.onTimeRate, level: .district)?.value == Fraction(4, 5))
        #expect(card.line(.onTimeRate, level: .commune)?.value == Fraction(0, 0))
    }

    @Test func digitisationUsesEachLevelsEffectiveDate() {
        let card = Self.scorecard()
        // R20: province from Mar 15: d1 (Mar 14 23:59:59) out; d7 (Mar 15 00:00, digitised), d4 (not) → 1/2.
        // District has no effective date: left out, even though huyen received dossiers.
        #expect(card.line(.digitisationRate, level: .province)?.value == Fraction(1, 2))
        #expect(card.line(.digitisationRate, level: .district)?.value == Fraction(0, 0))
        #expect(card.line(.digitisationRate)?.value == Fraction(1, 2))
        // With a district date of Mar 4: d5 (Mar 4 09:00) and d8 (Mar 6) count, d2, d3 (Mar 3) do not → 0/2.
        var targets = Self.targets
        targets.digitisationEffective[.district] = date(2022, 3, 4)
        let both = Self.scorecard(targets: targets)
        #expect(both.line(.digitisationRate, level: .district)?.value == Fraction(0, 2))
        #expect(both.line(.digitisationRate)?.value == Fraction(1, 4))
    }

    @Test func metComparesExactlyAndIsNullWhenEmpty() {
        let card = Self.scorecard()
        #expect(card.line(.onlineProcedureCoverage)?.met == true)  // 3/4 ≥ 1/2
        #expect(card.line(.onlineProcedureCoverage, level: .province)?.met == true)  // 1/2 ≥ 1/2, equal
        #expect(card.line(.onlineProcedureCoverage, level: .district)?.met == false)  // 0/1
        #expect(card.line(.onlineDossierShare, level: .province)?.met == false)  // 1/2 < 11/20
        #expect(card.line(.onlineDossierShare, level: .commune)?.met == nil)  // 0/0
        #expect(card.line(.onTimeRate)?.target == Fraction(999, 1000))
        // Without targets nothing is met or missed.
        let bare = Self.scorecard(targets: Targets(digitisationEffective: Self.targets.digitisationEffective))
        #expect(bare.province.allSatisfy { $0.met == nil && $0.target == nil })
    }

    @Test func onTimeTargetIsMetExactlyAt999In1000() {
        // R21 with 1000 dossiers: 999 early + 1 late = 999/1000 ≥ 0.999 → met; 998 + 2 → not met.
        func set(late: Int) -> [Dossier] {
            (0..<1000).map { index in
                dossier("D\(index)", received: at(2022, 3, 2, 9), due: at(2022, 3, 9, 17),
                        finished: index < late ? at(2022, 3, 10, 9) : at(2022, 3, 8, 9))
            }
        }
        let target = Targets(values: [.onTimeRate: Fraction(decimal: "0.999")!])
        let met = aggregate(set(late: 1), settings: settings(targets: target, jobs: 2)).scorecard.line(.onTimeRate)
        #expect(met?.value == Fraction(999, 1000))
        #expect(met?.met == true)
        let missed = aggregate(set(late: 2), settings: settings(targets: target, jobs: 2)).scorecard.line(.onTimeRate)
        #expect(missed?.value == Fraction(998, 1000))
        #expect(missed?.met == false)
        let empty = aggregate([], settings: settings(targets: target)).scorecard.line(.onTimeRate)
        #expect(empty?.value == Fraction(0, 0))
        #expect(empty?.met == nil)
    }

    @Test func scorecardDoesNotDependOnJobs() {
        #expect(Self.scorecard(jobs: 1) == Self.scorecard(jobs: 4))
    }
}
