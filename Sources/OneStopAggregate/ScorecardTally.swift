import OneStopModel

/// What the scorecard (R19–R20) needs from the dossiers received in the period, kept by source
/// level while one worker counts; partial tallies of parallel workers merge by union and
/// addition, then become a `FigureTally`'s string-keyed sets.
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

    /// Moves these counts into `tally`, turning procedure indexes into codes.
    func fill(_ tally: inout FigureTally, strings: [String]) {
        for (index, level) in Level.allCases.enumerated() {
            if !proceduresWithOnlineDossier[index].isEmpty {
                tally.onlineProcedures[level] = Set(proceduresWithOnlineDossier[index].map { strings[Int($0)] })
            }
            if !proceduresWithPostalDossier[index].isEmpty {
                tally.postalProcedures[level] = Set(proceduresWithPostalDossier[index].map { strings[Int($0)] })
            }
            if onlineShareByLevel[index] != RatioCount() { tally.onlineShareByLevel[level] = onlineShareByLevel[index] }
            if digitisationByLevel[index] != RatioCount() {
                tally.digitisationByLevel[level] = digitisationByLevel[index]
            }
        }
        tally.onlineShare = onlineShare
    }
}
