import OneStopModel

/// An (agency, procedure) group key.
struct AgencyProcedure: Sendable, Hashable {
    var agency: String
    var procedure: String
}

/// An (agency, source level) group key.
struct AgencyLevel: Sendable, Hashable {
    var agency: String
    var level: Level
}

/// A procedure name found on a dossier, with the (source name, dossier id) that ranks it (R23).
struct NameCandidate: Sendable, Hashable {
    var sourceName: String
    var dossierID: String
    var name: String

    func ranksBefore(_ other: NameCandidate) -> Bool {
        (sourceName, dossierID) < (other.sourceName, other.dossierID)
    }
}

/// The counters one worker builds over its chunk of dossiers. Merging is addition and set union,
/// associative and commutative, so the merged result does not depend on how dossiers were split.
struct PartialAggregation: Sendable {
    var province = ProgressCounters()
    var byLevel: [Level: ProgressCounters] = [:]
    var byField: [String: ProgressCounters] = [:]
    var byAgency: [String: ProgressCounters] = [:]
    var byProcedure: [String: ProgressCounters] = [:]
    var byAgencyProcedure: [AgencyProcedure: ProgressCounters] = [:]
    var byAgencyLevel: [AgencyLevel: ProgressCounters] = [:]
    var byMonth: [String: ProgressCounters] = [:]
    var scorecard = ScorecardTally()
    var warnings: [RunWarning] = []
    /// For procedures not in the catalogue: the best-ranked name seen on a kept dossier.
    var dossierNames: [String: NameCandidate] = [:]

    mutating func offerName(_ candidate: NameCandidate, for procedure: String) {
        if let current = dossierNames[procedure], !candidate.ranksBefore(current) { return }
        dossierNames[procedure] = candidate
    }

    mutating func merge(_ other: PartialAggregation) {
        province += other.province
        byLevel.merge(other.byLevel, uniquingKeysWith: +)
        byField.merge(other.byField, uniquingKeysWith: +)
        byAgency.merge(other.byAgency, uniquingKeysWith: +)
        byProcedure.merge(other.byProcedure, uniquingKeysWith: +)
        byAgencyProcedure.merge(other.byAgencyProcedure, uniquingKeysWith: +)
        byAgencyLevel.merge(other.byAgencyLevel, uniquingKeysWith: +)
        byMonth.merge(other.byMonth, uniquingKeysWith: +)
        scorecard.merge(other.scorecard)
        warnings += other.warnings
        for (procedure, candidate) in other.dossierNames { offerName(candidate, for: procedure) }
    }
}
