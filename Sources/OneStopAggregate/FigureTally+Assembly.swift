import OneStopModel

/// What assembling a tally into tables and a scorecard needs besides the tally.
public struct AssemblySettings: Sendable {
    public var catalogue: Catalogue
    public var targets: Targets
    /// The levels that have at least one source in the pipeline (a level without one shows
    /// "no source" rather than 0 %).
    public var levelsWithSources: Set<Level>
    /// Below this many dossiers, an agency's scorecard line is listed but not ranked.
    public var minimumDossiersToRank: Int

    public init(
        catalogue: Catalogue, targets: Targets, levelsWithSources: Set<Level> = Set(Level.allCases),
        minimumDossiersToRank: Int = 10
    ) {
        self.catalogue = catalogue
        self.targets = targets
        self.levelsWithSources = levelsWithSources
        self.minimumDossiersToRank = minimumDossiersToRank
    }
}

extension FigureTally {
    /// The tables, scorecard and figure warnings these counts give. Equal tallies give equal
    /// aggregations; every list is sorted by its keys. The tally is consumed: each of its maps is
    /// released as soon as its rows are built, so a run with very many groups never holds both
    /// whole.
    public consuming func assembled(with settings: AssemblySettings) -> Aggregation {
        let scorecard = scorecard(with: settings)
        let agencyScorecards = agencyScorecards(with: settings)
        digitisationByAgency = [:]
        onlineProcedures = [:]
        postalProcedures = [:]

        var progress: [ProgressRow] = [ProgressRow(dimension: .province, key: "ALL", counters: province)]
        func append(_ dimension: ProgressDimension, _ groups: consuming [String: ProgressCounters]) {
            let sorted = groups.sorted { $0.key < $1.key }
            groups = [:]
            progress.reserveCapacity(progress.count + sorted.count)
            for (key, counters) in sorted {
                progress.append(ProgressRow(dimension: dimension, key: key, counters: counters))
            }
        }
        append(.level, Dictionary(uniqueKeysWithValues: byLevel.map { ($0.key.rawValue, $0.value) }))
        append(.field, take(&byField))
        append(.agency, take(&byAgency))
        append(.procedure, take(&byProcedure))

        let procedures = take(&byAgencyProcedure).sorted { $0.key < $1.key }.map { key, counters in
            ProcedureRow(
                agency: key.agency, procedure: key.procedure,
                procedureName: procedureName(key.procedure, catalogue: settings.catalogue), counters: counters)
        }
        procedureNames = [:]
        let agencies = take(&byAgencyLevel).sorted { $0.key < $1.key }.map {
            AgencyRow(agency: $0.key.agency, level: $0.key.level, counters: $0.value)
        }
        let monthly = take(&byMonth).sorted { $0.key < $1.key }.map { MonthRow(month: $0.key, counters: $0.value) }

        var identityFailures: [String] = []
        func check(_ table: String, _ key: String, _ counters: ProgressCounters) {
            guard !counters.identityHolds else { return }
            identityFailures.append(
                "\(table) \(key): total \(counters.total) ≠ resolved \(counters.resolvedTotal)"
                    + " + in progress \(counters.inProgressTotal)")
        }
        for row in progress { check("progress", "\(row.dimension.rawValue) \(row.key)", row.counters) }
        for row in procedures { check("procedures", "\(row.agency) \(row.procedure)", row.counters) }
        for row in agencies { check("agencies", "\(row.agency) \(row.level.rawValue)", row.counters) }
        for row in monthly { check("monthly", row.month, row.counters) }

        return Aggregation(
            progress: progress, procedures: procedures, agencies: agencies, monthly: monthly,
            scorecard: scorecard, agencyScorecards: agencyScorecards,
            noDueDate: take(&noDueDate).sorted(), missingAgency: take(&missingAgency).sorted(),
            unknownProcedures: take(&unknownProcedures), lateByAgency: take(&lateByAgency),
            identityFailures: identityFailures)
    }

    /// R23: the catalogue's name, else the best-ranked dossier name (NFC, trimmed), else empty.
    func procedureName(_ procedure: String, catalogue: Catalogue) -> String {
        if let entry = catalogue[procedure] { return entry.name }
        return procedureNames[procedure]?.name.trimmingWhitespace().precomposedStringWithCanonicalMapping ?? ""
    }

    /// The scorecard province-wide and per level (R19–R21).
    func scorecard(with settings: AssemblySettings) -> Scorecard {
        let entries = settings.catalogue.entries.values
        let offeredOnline = entries.filter { $0.online.isOffered }
        let offeredByPost = entries.filter { $0.postal }
        func coverage(_ offered: [CatalogueEntry], _ hit: Set<String>, level: Level?) -> Fraction {
            let denominator = offered.filter { level == nil || $0.level == level }
            return Fraction(denominator.count { hit.contains($0.code) }, denominator.count)
        }
        let anyOnline = onlineProcedures.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        let anyPostal = postalProcedures.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        let digitisation = digitisationByLevel.values.reduce(into: RatioCount()) { $0 += $1 }
        let provinceLines = ScorecardLine.lines(targets: settings.targets) { measure in
            switch measure {
            case .onlineProcedureCoverage: coverage(offeredOnline, anyOnline, level: nil)
            case .onlineDossierShare: onlineShare.fraction
            case .postalProcedureCoverage: coverage(offeredByPost, anyPostal, level: nil)
            case .onTimeRate: province.onTimeRate
            case .digitisationRate: digitisation.fraction
            }
        }
        let levelLines = Level.allCases.sorted().map { level in
            LevelScorecard(
                level: level,
                lines: ScorecardLine.lines(targets: settings.targets) { measure in
                    switch measure {
                    case .onlineProcedureCoverage:
                        coverage(offeredOnline, onlineProcedures[level] ?? [], level: level)
                    case .onlineDossierShare: (onlineShareByLevel[level] ?? RatioCount()).fraction
                    case .postalProcedureCoverage:
                        coverage(offeredByPost, postalProcedures[level] ?? [], level: level)
                    case .onTimeRate: (byLevel[level] ?? ProgressCounters()).onTimeRate
                    case .digitisationRate: (digitisationByLevel[level] ?? RatioCount()).fraction
                    }
                },
                hasSources: settings.levelsWithSources.contains(level))
        }
        return Scorecard(province: provinceLines, byLevel: levelLines)
    }
}

extension ScorecardLine {
    /// One line per measure, in `ScorecardMeasure.allCases` order.
    static func lines(targets: Targets, value: (ScorecardMeasure) -> Fraction) -> [ScorecardLine] {
        ScorecardMeasure.allCases.map { ScorecardLine(measure: $0, value: value($0), target: targets.values[$0]) }
    }
}

/// The value, leaving an empty one in its place (so the caller holds the only reference).
@inline(__always)
func take<Value: RangeReplaceableCollection>(_ value: inout Value) -> Value {
    let taken = value
    value = Value()
    return taken
}

@inline(__always)
func take<Key, Value>(_ value: inout [Key: Value]) -> [Key: Value] {
    let taken = value
    value = [:]
    return taken
}
