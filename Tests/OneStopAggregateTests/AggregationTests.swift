import OneStopAggregate
import OneStopModel
import Testing

/// Tables, dimensions and warnings (R14–R17, R23), on a small hand-counted set.
@Suite struct AggregationTests {
    /// Sources: 0 `tinh` (province), 1 `huyen` (district). Catalogue: P1 (field F1, province),
    /// P2 (field F2, district). Period March 2022.
    static let catalogue = Catalogue(entries: [entry("P1", field: "F1"), entry("P2", field: "F2", level: .district)])

    /// A  tinh  P1 AG1   online, Mar 2, due Mar 9, finished Mar 8     → online, early, digitised
    /// B  tinh  P1 (none) postal, Mar 3, due Mar 9, finished Mar 9    → in person/post, on time, postal; agency `tinh`
    /// C  huyen P2 AG2  field X, returned by post, Mar 4, due Mar 10, finished Mar 12 → in person/post, late, postal
    /// E  huyen P2 AG2   Feb 10, open, due Mar 15                     → carried over, overdue
    /// F  huyen P9 AG2   Jan 5, finished Jan 20                       → out of scope (unknown procedure)
    /// G  tinh  P9 AG1   Mar 20, open, no due                         → in person/post, within (no due date)
    static let dossiers: [Dossier] = [
        dossier("A", source: 0, procedure: "P1", agency: "AG1", channel: .online, received: at(2022, 3, 2, 9),
                due: at(2022, 3, 9, 17), finished: at(2022, 3, 8, 9), digitised: true),
        dossier("B", source: 0, procedure: "P1", agency: nil, channel: .postal, received: at(2022, 3, 3, 9),
                due: at(2022, 3, 9, 17), finished: at(2022, 3, 9, 9)),
        dossier("C", source: 1, procedure: "P2", field: "X", agency: "AG2", returnMethod: .postal,
                received: at(2022, 3, 4, 9), due: at(2022, 3, 10, 17), finished: at(2022, 3, 12, 9)),
        dossier("E", source: 1, procedure: "P2", agency: "AG2", status: .processing, received: at(2022, 2, 10, 9),
                due: at(2022, 3, 15, 17)),
        dossier("F", source: 1, procedure: "P9", procedureName: "Tên từ F", agency: "AG2",
                received: at(2022, 1, 5, 9), due: at(2022, 1, 25, 17), finished: at(2022, 1, 20, 9)),
        dossier("G", source: 0, procedure: "P9", procedureName: "Tên từ G", agency: "AG1", status: .processing,
                received: at(2022, 3, 20, 9)),
    ]

    static func run(jobs: Int = 1) -> Aggregation {
        aggregate(dossiers, settings: settings(catalogue: catalogue, jobs: jobs))
    }

    @Test func provinceRowCountsEveryInScopeDossierOnce() {
        let province = Self.run().province
        // intake: online A; in person/post B, C, G; carried E → 1 + 3 + 1 = 5.
        // outcome: early A, on time B, late C; within G, overdue E → 3 + 2 = 5.
        #expect(province == ProgressCounters(
            receivedOnline: 1, receivedInPersonPost: 3, carriedOver: 1, resolvedEarly: 1, resolvedOnTime: 1,
            resolvedLate: 1, inProgressWithin: 1, inProgressOverdue: 1, postal: 2, digitised: 1))
        #expect(province.received == 4)  // A, B, C, G
        #expect(province.onTime == 3)  // A early + B on time + G within
        #expect(province.onTimeRate == Fraction(3, 5))
        #expect(province.postalShare == Fraction(2, 4))  // B submitted by post, C returned by post
    }

    @Test func postalReturnCountsOnlyInPostal() {
        // R14: C was submitted in person and returned by post: in person/post column, postal 1;
        // an online dossier returned by post stays in the online column.
        let online = dossier("O", channel: .online, returnMethod: .postal, received: at(2022, 3, 2, 9),
                             due: at(2022, 3, 9, 17), finished: at(2022, 3, 8, 9))
        let result = aggregate([online], settings: settings())
        #expect(result.province == ProgressCounters(receivedOnline: 1, resolvedEarly: 1, postal: 1))
        let c = Self.run().progressRow(.procedure, "P2")!.counters
        // P2: C (in person, returned by post, late) + E (carried, overdue).
        #expect(c == ProgressCounters(receivedInPersonPost: 1, carriedOver: 1, resolvedLate: 1,
                                      inProgressOverdue: 1, postal: 1))
    }

    @Test func progressRowsComeInDimensionThenKeyOrder() {
        let keys = Self.run().progress.map { "\($0.dimension.rawValue):\($0.key)" }
        #expect(keys == [
            "province:ALL",
            "level:district", "level:province",
            // R16: A, B fall back to the catalogue's F1; C has its own X; E → F2; G (unknown, no field) → "".
            "field:", "field:F1", "field:F2", "field:X",
            // R16: B has no agency → its source's name `tinh`.
            "agency:AG1", "agency:AG2", "agency:tinh",
            "procedure:P1", "procedure:P2", "procedure:P9",
        ])
    }

    @Test func levelIsTheSourceLevel() {
        let result = Self.run()
        // district: C, E. province: A, B, G.
        #expect(result.progressRow(.level, "district")?.counters == ProgressCounters(
            receivedInPersonPost: 1, carriedOver: 1, resolvedLate: 1, inProgressOverdue: 1, postal: 1))
        #expect(result.progressRow(.level, "province")?.counters == ProgressCounters(
            receivedOnline: 1, receivedInPersonPost: 2, resolvedEarly: 1, resolvedOnTime: 1, inProgressWithin: 1,
            postal: 1, digitised: 1))
    }

    @Test func fieldAndAgencyFallBacks() {
        let result = Self.run()
        #expect(result.progressRow(.field, "F1")?.counters.total == 2)  // A, B
        #expect(result.progressRow(.field, "F2")?.counters.total == 1)  // E only: C has its own field X
        #expect(result.progressRow(.field, "X")?.counters.total == 1)
        #expect(result.progressRow(.field, "")?.counters.total == 1)  // G
        #expect(result.progressRow(.agency, "tinh")?.counters
            == ProgressCounters(receivedInPersonPost: 1, resolvedOnTime: 1, postal: 1))  // B
        #expect(result.missingAgency == ["tinh:B"])
    }

    @Test func proceduresAndAgenciesTables() {
        let result = Self.run()
        #expect(result.procedures.map { "\($0.agency)|\($0.procedure)|\($0.procedureName)|\($0.counters.total)" } == [
            "AG1|P1|Thủ tục P1|1",  // A
            "AG1|P9|Tên từ F|1",  // G; name from F: ("huyen", "F") < ("tinh", "G") though F is out of scope
            "AG2|P2|Thủ tục P2|2",  // C, E
            "tinh|P1|Thủ tục P1|1",  // B
        ])
        #expect(result.agencies.map { "\($0.agency)|\($0.level.rawValue)|\($0.counters.total)" } == [
            "AG1|province|2", "AG2|district|2", "tinh|province|1",
        ])
    }

    @Test func warningsAreSortedAndCountUnknownProceduresPerKeptDossier() {
        let result = Self.run()
        #expect(result.noDueDate == ["tinh:G"])
        #expect(result.unknownProcedures == ["P9": 2])  // F, out of scope, still warned about; G
        #expect(result.missingAgency == ["tinh:B"])
    }

    @Test func groupWithOnlyOutOfScopeDossiersHasNoRow() {
        // R15: F is the only dossier of (AG2, P9) and of month 2022-01: no such rows.
        let result = Self.run()
        #expect(!result.procedures.contains { $0.agency == "AG2" && $0.procedure == "P9" })
        #expect(!result.monthly.contains { $0.month == "2022-01" })
        // A set whose only dossier is out of scope has no group row, only the province's row of
        // zeros (an empty period still reports its total).
        let empty = aggregate([Self.dossiers[4]], settings: settings(catalogue: Self.catalogue))
        #expect(empty.progress == [ProgressRow(dimension: .province, key: "ALL", counters: ProgressCounters())])
        #expect(empty.procedures.isEmpty && empty.agencies.isEmpty && empty.monthly.isEmpty)
        #expect(empty.identityFailures.isEmpty)
    }

    @Test func monthlyRowsByLocalReceivedMonthIncludingCarriedOver() {
        // R17: E was received 2022-02-10 (carried over) → 2022-02; A, B, C, G → 2022-03.
        let monthly = Self.run().monthly
        #expect(monthly.map(\.month) == ["2022-02", "2022-03"])
        #expect(monthly[0].counters == ProgressCounters(carriedOver: 1, inProgressOverdue: 1))
        #expect(monthly[1].counters.total == 4)
    }

    @Test func monthUsesTheLocalDate() {
        // 2022-02-28 17:30 UTC is 2022-03-01 00:30 in Hanoi: March, and received in the period.
        let d = dossier(status: .processing, received: Instant(secondsSinceEpoch: 1_646_069_400), due: at(2022, 3, 9, 17))
        let result = aggregate([d], settings: settings())
        #expect(result.monthly.map(\.month) == ["2022-03"])
        #expect(result.province.receivedInPersonPost == 1)
    }

    @Test func procedureNameFallbackIsTrimmedNFCAndSkipsBlankNames() {
        // R23. Source 1 `huyen` < source 0 `tinh`; "a" < "b" within a source; a blank name is no name.
        let nfd = "  Thu\u{0309} tu\u{0323}c la\u{0323}  "  // "Thủ tục lạ", decomposed, with spaces
        let set = [
            dossier("a", source: 1, procedure: "P7", procedureName: "   ", received: at(2022, 3, 2, 9), due: at(2022, 3, 9)),
            dossier("b", source: 1, procedure: "P7", procedureName: nfd, received: at(2022, 3, 2, 9), due: at(2022, 3, 9)),
            dossier("c", source: 1, procedure: "P7", procedureName: "Later", received: at(2022, 3, 2, 9), due: at(2022, 3, 9)),
            dossier("0", source: 0, procedure: "P7", procedureName: "Tinh's", received: at(2022, 3, 2, 9), due: at(2022, 3, 9)),
            dossier("x", source: 0, procedure: "P8", received: at(2022, 3, 2, 9), due: at(2022, 3, 9)),
            dossier("y", source: 0, procedure: "P1", procedureName: "Dossier's own", received: at(2022, 3, 2, 9),
                    due: at(2022, 3, 9)),
        ]
        for jobs in [1, 3] {
            let names = Dictionary(
                aggregate(set, settings: settings(jobs: jobs)).procedures.map { ($0.procedure, $0.procedureName) },
                uniquingKeysWith: { a, _ in a })
            #expect(Array(names["P7"]!.unicodeScalars) == Array("Thủ tục lạ".unicodeScalars))
            #expect(names["P8"] == "")  // no name anywhere
            #expect(names["P1"] == "Thủ tục P1")  // the catalogue wins
        }
    }

    @Test func keysSortByCodePoint() {
        // Plain String order on NFC codes: "AG" < "Z" < "ĐA" (U+0110 sorts after ASCII).
        let set = ["ĐA", "Z", "AG"].map {
            dossier($0, agency: $0, status: .processing, received: at(2022, 3, 2, 9), due: at(2022, 3, 30))
        }
        let agencies = aggregate(set, settings: settings()).progress.filter { $0.dimension == .agency }.map(\.key)
        #expect(agencies == ["AG", "Z", "ĐA"])
    }

    @Test func agenciesSortByAgencyThenLevelName() {
        // The same agency code under a province and a district source: "district" < "province".
        let set = [
            dossier("1", source: 0, agency: "AG", status: .processing, received: at(2022, 3, 2, 9), due: at(2022, 3, 30)),
            dossier("2", source: 1, agency: "AG", status: .processing, received: at(2022, 3, 2, 9), due: at(2022, 3, 30)),
        ]
        let rows = aggregate(set, settings: settings()).agencies
        #expect(rows.map(\.level) == [.district, .province])
    }
}

/// Properties over a larger generated set: the identity on every row, rows that partition the
/// province row, and results that do not depend on the number of jobs or the input order.
@Suite struct AggregationInvariantTests {
    /// A deterministic mix of statuses, channels, dates (before, in and after March 2022) and supplements.
    static func generated(count: Int) -> [Dossier] {
        var seed: UInt64 = 42
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        let statuses: [Status] = [.accepted, .processing, .supplementRequested, .feeRequested, .withdrawn, .stopped,
                                  .finished, .returned, .finished, .returned]
        return (0..<count).map { index in
            let received = at(2022, 1, 1, 8).adding(seconds: Int64(next(120)) * days + Int64(next(36_000)))
            let due: Instant? = next(10) == 0 ? nil : received.adding(seconds: Int64(next(25) + 1) * days)
            let status = statuses[next(statuses.count)]
            let end = received.adding(seconds: Int64(next(35)) * days + Int64(next(36_000)))
            var supplements: [Supplement] = []
            for _ in 0..<next(3) {
                let requested = received.adding(seconds: Int64(next(20)) * days)
                supplements.append(Supplement(
                    requested: requested,
                    answered: next(2) == 0 ? nil : requested.adding(seconds: Int64(next(10)) * days),
                    newDue: next(4) == 0 ? requested.adding(seconds: Int64(next(15)) * days) : nil))
            }
            return dossier(
                "D\(index)", source: next(2), procedure: ["P1", "P2", "P3", "P9"][next(4)],
                field: next(3) == 0 ? "FX" : nil, agency: next(8) == 0 ? nil : ["AG1", "AG2", "AG3"][next(3)],
                channel: Channel.allCases[next(3)], returnMethod: ReturnMethod.allCases[next(3)], status: status,
                received: received, due: due, finished: status.isResolved && next(5) > 0 ? end : nil,
                returned: status.isResolved ? end.adding(seconds: 3_600) : nil, supplements: supplements,
                digitised: next(2) == 0)
        }
    }

    static let catalogue = Catalogue(entries: [
        entry("P1", field: "F1", online: .full, postal: true),
        entry("P2", field: "F2", level: .district, online: .partial),
        entry("P3", field: "F3", level: .commune, postal: true),
    ])
    static let targets = Targets(
        values: [.onTimeRate: Fraction(999, 1000), .onlineDossierShare: Fraction(11, 20)],
        digitisationEffective: [.province: date(2022, 3, 15)])

    static func run(_ dossiers: [Dossier], jobs: Int, rules: Rules = Rules()) -> Aggregation {
        aggregate(dossiers, settings: settings(
            catalogue: catalogue, rules: rules, targets: targets, jobs: jobs))
    }

    @Test func resultsDoNotDependOnJobsOrInputOrder() {
        let set = Self.generated(count: 400)
        let one = Self.run(set, jobs: 1)
        #expect(one.province.total > 100)  // the set really exercises the tables
        #expect(Self.run(set, jobs: 4) == one)
        #expect(Self.run(set, jobs: 7) == one)
        #expect(Self.run(set.reversed(), jobs: 4) == one)
        #expect(Self.run(Array(set.prefix(3)), jobs: 8) == Self.run(Array(set.prefix(3)), jobs: 1))
    }

    @Test func identityHoldsOnEveryRow() {
        let result = Self.run(Self.generated(count: 400), jobs: 2, rules: Rules(onTimeGranularity: .instant))
        #expect(result.identityFailures.isEmpty)
        let rows = result.progress.map(\.counters) + result.procedures.map(\.counters)
            + result.agencies.map(\.counters) + result.monthly.map(\.counters)
        for counters in rows {
            #expect(counters.total == counters.receivedOnline + counters.receivedInPersonPost + counters.carriedOver)
            #expect(counters.total == counters.resolvedTotal + counters.inProgressTotal)
            #expect(counters.total > 0)  // R15
        }
    }

    @Test func everyDimensionPartitionsTheProvinceRow() {
        let result = Self.run(Self.generated(count: 400), jobs: 3)
        let province = result.province
        for dimension in ProgressDimension.allCases {
            let sum = result.progress.filter { $0.dimension == dimension }.map(\.counters)
                .reduce(ProgressCounters(), +)
            #expect(sum == province, "dimension \(dimension)")
        }
        #expect(result.procedures.map(\.counters).reduce(ProgressCounters(), +) == province)
        #expect(result.agencies.map(\.counters).reduce(ProgressCounters(), +) == province)
        #expect(result.monthly.map(\.counters).reduce(ProgressCounters(), +) == province)
    }
}
