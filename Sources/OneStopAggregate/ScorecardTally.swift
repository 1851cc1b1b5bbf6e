import OneStopModel

/// A numerator and a denominator being counted.
struct RatioCount: Sendable, Hashable {
    var numerator = 0
    var denominator = 0

    mutating func add(_ hit: Bool) {
        denominator += 1
        if hit { numerator += 1 }
    }

    static func += (lhs: inout RatioCount, rhs: RatioCount) {
        lhs.numerator += rhs.numerator
        lhs.denominator += rhs.denominator
    }

    static func + (lhs: RatioCount, rhs: RatioCount) -> RatioCount {
        var sum = lhs
        sum += rhs
        return sum
    }

    var fraction: Fraction { Fraction(numerator, denominator) }
}

/// What the scorecard (SPEC §4.4, R19–R20) needs from the dossiers received in the period, kept
/// by source level; partial tallies of parallel workers merge by union and addition.
struct ScorecardTally: Sendable {
    /// DECISION POINT (R19), the per-level online dossier share: whether a dossier of a level-L
    /// source counts only when its procedure's catalogue level is L as well.
    /// `false` (current): every procedure offered online counts, whatever its catalogue level, so
    /// the per-level lines add up to the province-wide line. The acceptance data
    /// (`dvcqg-2022-small`, district 506/847) agrees; `true` would give 380/598 there.
    static let levelOnlineShareRequiresCatalogueLevel = false

    /// Catalogue procedures (`StringTable` indexes of their codes) offered online with ≥ 1 online
    /// dossier received in the period, per source level (indexed by position in `Level.allCases`).
    var proceduresWithOnlineDossier = [Set<Int32>](repeating: [], count: Level.allCases.count)
    /// Catalogue procedures offered by post with ≥ 1 dossier submitted or returned by post, per source level.
    var proceduresWithPostalDossier = [Set<Int32>](repeating: [], count: Level.allCases.count)
    /// Online dossiers / dossiers received, over procedures offered online: province-wide…
    var onlineShare = RatioCount()
    /// … and per source level.
    var onlineShareByLevel = [RatioCount](repeating: RatioCount(), count: Level.allCases.count)
    /// Digitised / received, over dossiers received on or after their level's effective date.
    var digitisationByLevel = [RatioCount](repeating: RatioCount(), count: Level.allCases.count)

    /// Counts one dossier received in the period, of procedure `procedure` (its code's
    /// `StringTable` index), from a source of level `level` (`levelIndex` its position in
    /// `Level.allCases`). `entry` is nil for an unknown procedure, which stays out of every
    /// coverage and online-share count (R19).
    @inline(__always)
    mutating func count(
        procedure: Int32, channel: Channel, digitised: Bool, entry: CatalogueEntry?, level: Level, levelIndex: Int,
        postal: Bool, digitisationApplies: Bool
    ) {
        if digitisationApplies {
            digitisationByLevel[levelIndex].add(digitised)
        }
        guard let entry else { return }
        let online = channel == .online
        if entry.online.isOffered {
            onlineShare.add(online)
            if !Self.levelOnlineShareRequiresCatalogueLevel || entry.level == level {
                onlineShareByLevel[levelIndex].add(online)
            }
            // The entry was found under the dossier's code, so `procedure` names `entry.code`.
            if online { proceduresWithOnlineDossier[levelIndex].insert(procedure) }
        }
        if entry.postal && postal {
            proceduresWithPostalDossier[levelIndex].insert(procedure)
        }
    }

    mutating func merge(_ other: ScorecardTally) {
        for level in Level.allCases.indices {
            proceduresWithOnlineDossier[level].formUnion(other.proceduresWithOnlineDossier[level])
            proceduresWithPostalDossier[level].formUnion(other.proceduresWithPostalDossier[level])
            onlineShareByLevel[level] += other.onlineShareByLevel[level]
            digitisationByLevel[level] += other.digitisationByLevel[level]
        }
        onlineShare += other.onlineShare
    }

    /// The scorecard, given the province-wide and per-level progress counters for the on-time lines
    /// and the strings the procedure indexes stand for.
    func scorecard(
        catalogue: Catalogue, targets: Targets, province: ProgressCounters, levels: [Level: ProgressCounters],
        strings: [String]
    ) -> Scorecard {
        func byLevel<Value>(_ values: [Value]) -> [Level: Value] {
            Dictionary(uniqueKeysWithValues: zip(Level.allCases, values))
        }
        func codes(_ indexes: Set<Int32>) -> Set<String> { Set(indexes.map { strings[Int($0)] }) }
        let proceduresWithOnlineDossier = byLevel(proceduresWithOnlineDossier.map(codes))
        let proceduresWithPostalDossier = byLevel(proceduresWithPostalDossier.map(codes))
        let onlineShareByLevel = byLevel(onlineShareByLevel)
        let digitisationByLevel = byLevel(digitisationByLevel)
        let entries = catalogue.entries.values
        let offeredOnline = entries.filter { $0.online.isOffered }
        let offeredByPost = entries.filter { $0.postal }

        func line(_ measure: ScorecardMeasure, _ value: Fraction) -> ScorecardLine {
            ScorecardLine(measure: measure, value: value, target: targets.values[measure])
        }
        func coverage(_ offered: [CatalogueEntry], _ hit: Set<String>, level: Level?) -> Fraction {
            let denominator = offered.filter { level == nil || $0.level == level }
            return Fraction(denominator.count { hit.contains($0.code) }, denominator.count)
        }
        func lines(
            online: Fraction, share: Fraction, postal: Fraction, onTime: Fraction, digitisation: Fraction
        ) -> [ScorecardLine] {
            ScorecardMeasure.allCases.map { measure in
                switch measure {
                case .onlineProcedureCoverage: line(measure, online)
                case .onlineDossierShare: line(measure, share)
                case .postalProcedureCoverage: line(measure, postal)
                case .onTimeRate: line(measure, onTime)
                case .digitisationRate: line(measure, digitisation)
                }
            }
        }

        let anyOnline = proceduresWithOnlineDossier.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        let anyPostal = proceduresWithPostalDossier.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        let digitisation = digitisationByLevel.values.reduce(into: RatioCount()) { $0 += $1 }
        let provinceLines = lines(
            online: coverage(offeredOnline, anyOnline, level: nil),
            share: onlineShare.fraction,
            postal: coverage(offeredByPost, anyPostal, level: nil),
            onTime: province.onTimeRate,
            digitisation: digitisation.fraction)
        let levelLines = Level.allCases.sorted().map { level in
            LevelScorecard(
                level: level,
                lines: lines(
                    online: coverage(offeredOnline, proceduresWithOnlineDossier[level] ?? [], level: level),
                    share: (onlineShareByLevel[level] ?? RatioCount()).fraction,
                    postal: coverage(offeredByPost, proceduresWithPostalDossier[level] ?? [], level: level),
                    onTime: (levels[level] ?? ProgressCounters()).onTimeRate,
                    digitisation: (digitisationByLevel[level] ?? RatioCount()).fraction))
        }
        return Scorecard(province: provinceLines, byLevel: levelLines)
    }
}
