import OneStopModel

/// One agency's scorecard line: the province's line computed over the agency's dossiers, with the
/// number of dossiers it rests on and its rank among the agencies with enough of them.
public struct AgencyScorecardLine: Sendable, Hashable {
    public var line: ScorecardLine
    /// The dossiers the value rests on: the ratio's denominator for dossier ratios; for the
    /// coverage lines, the dossiers received in the period for the procedures in the denominator.
    public var dossiers: Int
    /// 1 for the best value among ranked agencies (equal values share a rank); nil when the value
    /// is empty or rests on fewer dossiers than the ranking's minimum ("too few dossiers").
    public var rank: Int?

    public init(line: ScorecardLine, dossiers: Int, rank: Int? = nil) {
        self.line = line
        self.dossiers = dossiers
        self.rank = rank
    }
}

/// An agency's lines on exactly the basis of the province's (`docs/figures.md`): online
/// dossier share over procedures offered online; digitisation over dossiers received on or after
/// their level's effective date; on-time over every in-scope dossier; the coverage lines over the
/// catalogue procedures the agency received dossiers for in the period.
public struct AgencyScorecard: Sendable, Hashable {
    public var agency: String
    /// In-scope dossiers of the agency (its `progress.csv` total).
    public var dossiers: Int
    /// In `ScorecardMeasure.allCases` order.
    public var lines: [AgencyScorecardLine]

    public init(agency: String, dossiers: Int, lines: [AgencyScorecardLine]) {
        self.agency = agency
        self.dossiers = dossiers
        self.lines = lines
    }

    /// The line of a measure.
    public func line(_ measure: ScorecardMeasure) -> AgencyScorecardLine? {
        lines.first { $0.line.measure == measure }
    }
}

extension FigureTally {
    /// Every agency with an in-scope dossier, sorted by code, each line ranked among the agencies
    /// whose line rests on at least `settings.minimumDossiersToRank` dossiers.
    func agencyScorecards(with settings: AssemblySettings) -> [AgencyScorecard] {
        var procedures: [String: [(entry: CatalogueEntry, counters: ProgressCounters)]] = [:]
        for (key, counters) in byAgencyProcedure {
            guard let entry = settings.catalogue[key.procedure] else { continue }
            procedures[key.agency, default: []].append((entry, counters))
        }
        var cards = byAgency.keys.sorted().map { agency in
            let counters = byAgency[agency]!
            let known = procedures[agency] ?? []
            let online = known.filter { $0.entry.online.isOffered && $0.counters.received > 0 }
            let postal = known.filter { $0.entry.postal && $0.counters.received > 0 }
            let onlineReceived = online.reduce(0) { $0 + $1.counters.received }
            let postalReceived = postal.reduce(0) { $0 + $1.counters.received }
            let digitisation = digitisationByAgency[agency] ?? RatioCount()
            let lines = ScorecardLine.lines(targets: settings.targets) { measure in
                switch measure {
                case .onlineProcedureCoverage: Fraction(online.count { $0.counters.online > 0 }, online.count)
                case .onlineDossierShare: Fraction(online.reduce(0) { $0 + $1.counters.online }, onlineReceived)
                case .postalProcedureCoverage: Fraction(postal.count { $0.counters.postal > 0 }, postal.count)
                case .onTimeRate: counters.onTimeRate
                case .digitisationRate: digitisation.fraction
                }
            }.map { line in
                let dossiers = switch line.measure {
                case .onlineProcedureCoverage, .onlineDossierShare: onlineReceived
                case .postalProcedureCoverage: postalReceived
                case .onTimeRate, .digitisationRate: line.value.denominator
                }
                return AgencyScorecardLine(line: line, dossiers: dossiers)
            }
            return AgencyScorecard(agency: agency, dossiers: counters.total, lines: lines)
        }
        for (position, _) in ScorecardMeasure.allCases.enumerated() {
            let ranked = cards.indices
                .filter { index in
                    let line = cards[index].lines[position]
                    return line.line.value.denominator > 0 && line.dossiers >= settings.minimumDossiersToRank
                }
                .sorted { lhs, rhs in
                    let a = cards[lhs].lines[position].line.value
                    let b = cards[rhs].lines[position].line.value
                    let order = a.comparison(with: b)
                    if order != 0 { return order > 0 }
                    return cards[lhs].agency < cards[rhs].agency
                }
            for (order, index) in ranked.enumerated() {
                let value = cards[index].lines[position].line.value
                if order > 0,
                   cards[ranked[order - 1]].lines[position].line.value.comparison(with: value) == 0
                {
                    cards[index].lines[position].rank = cards[ranked[order - 1]].lines[position].rank
                } else {
                    cards[index].lines[position].rank = order + 1
                }
            }
        }
        return cards
    }
}
