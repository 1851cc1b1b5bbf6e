import OneStopModel

/// Everything the figures of a run are assembled from, counted over some set of kept dossiers and
/// keyed by codes and names (never by a run's table indexes), so tallies counted anywhere — by
/// parallel workers, by shards of a run on other machines — merge exactly: counters add,
/// procedure sets unite, warning lists concatenate, and R23's name candidates keep their minimum.
/// Merging is associative and commutative; `assembled(with:)` turns a tally into the tables and
/// the scorecard (`docs/figures.md`).
public struct FigureTally: Sendable, Equatable {
    /// Every in-scope dossier.
    public var province = ProgressCounters()
    /// Keyed by the source's level (R16).
    public var byLevel: [Level: ProgressCounters] = [:]
    /// Keyed by the record's field, else the catalogue's, else "" (R16).
    public var byField: [String: ProgressCounters] = [:]
    /// Keyed by the record's agency, else the source's name (R16).
    public var byAgency: [String: ProgressCounters] = [:]
    public var byProcedure: [String: ProgressCounters] = [:]
    public var byAgencyProcedure: [AgencyProcedure: ProgressCounters] = [:]
    public var byAgencyLevel: [AgencyLevel: ProgressCounters] = [:]
    /// Keyed by `YYYY-MM` of the local received date (R17); always counted, written on demand.
    public var byMonth: [String: ProgressCounters] = [:]
    /// Catalogue procedures offered online with ≥ 1 online dossier received in the period, by
    /// the dossiers' source level (the coverage numerators, R19).
    public var onlineProcedures: [Level: Set<String>] = [:]
    /// Catalogue procedures offered by post with ≥ 1 dossier submitted or returned by post.
    public var postalProcedures: [Level: Set<String>] = [:]
    /// Online dossiers / dossiers received in the period, over procedures offered online:
    /// province-wide and by source level.
    public var onlineShare = RatioCount()
    public var onlineShareByLevel: [Level: RatioCount] = [:]
    /// Digitised / received, over dossiers received on or after their level's effective date
    /// (R20), by source level and by agency.
    public var digitisationByLevel: [Level: RatioCount] = [:]
    public var digitisationByAgency: [String: RatioCount] = [:]
    /// `source:dossier id` of the in-scope dossiers decided without a due date (R12).
    public var noDueDate: [String] = []
    /// `source:dossier id` of the kept dossiers without an agency (R16).
    public var missingAgency: [String] = []
    /// Kept dossiers per procedure code that is not in the catalogue.
    public var unknownProcedures: [String: Int] = [:]
    /// For procedures not in the catalogue: the name on the kept dossier with the smallest
    /// (source, dossier id) that has one (R23).
    public var procedureNames: [String: NameCandidate] = [:]
    /// Each agency's worst late and overdue dossiers, at most `LateDossier.listLength`, worst first.
    public var lateByAgency: [String: [LateDossier]] = [:]

    public init() {}
}

/// A late or overdue dossier, for the report's work list.
public struct LateDossier: Sendable, Hashable {
    /// How many of an agency's worst late dossiers the figures keep (the rest are in `dossiers.csv`).
    public static let listLength = 20

    public var source: String
    public var dossierID: String
    public var procedure: String
    /// Still in progress at the end of the period (overdue), rather than resolved late.
    public var overdue: Bool
    /// Days past the effective due day; nil when late without a due date.
    public var daysLate: Int?

    public init(source: String, dossierID: String, procedure: String, overdue: Bool, daysLate: Int?) {
        self.source = source
        self.dossierID = dossierID
        self.procedure = procedure
        self.overdue = overdue
        self.daysLate = daysLate
    }

    /// Worst first: most days late (unknown last), then by source and dossier id.
    public static func isWorse(_ lhs: LateDossier, _ rhs: LateDossier) -> Bool {
        let left = lhs.daysLate ?? -1
        let right = rhs.daysLate ?? -1
        if left != right { return left > right }
        return (lhs.source, lhs.dossierID) < (rhs.source, rhs.dossierID)
    }

    /// The `listLength` worst of `dossiers`, worst first.
    public static func worst(_ dossiers: [LateDossier]) -> [LateDossier] {
        Array(dossiers.sorted(by: isWorse).prefix(listLength))
    }
}

/// An (agency, procedure) group: a row of `procedures.csv`.
public struct AgencyProcedure: Sendable, Hashable, Comparable {
    public var agency: String
    public var procedure: String

    public init(agency: String, procedure: String) {
        self.agency = agency
        self.procedure = procedure
    }

    public static func < (lhs: AgencyProcedure, rhs: AgencyProcedure) -> Bool {
        (lhs.agency, lhs.procedure) < (rhs.agency, rhs.procedure)
    }
}

/// An (agency, source level) group: a row of `agencies.csv`.
public struct AgencyLevel: Sendable, Hashable, Comparable {
    public var agency: String
    public var level: Level

    public init(agency: String, level: Level) {
        self.agency = agency
        self.level = level
    }

    /// By agency, then by the level's name (the order of `agencies.csv`).
    public static func < (lhs: AgencyLevel, rhs: AgencyLevel) -> Bool {
        (lhs.agency, lhs.level.rawValue) < (rhs.agency, rhs.level.rawValue)
    }
}

/// A numerator and a denominator being counted.
public struct RatioCount: Sendable, Hashable {
    public var numerator = 0
    public var denominator = 0

    public init(numerator: Int = 0, denominator: Int = 0) {
        self.numerator = numerator
        self.denominator = denominator
    }

    @inline(__always)
    mutating func add(_ hit: Bool) {
        denominator += 1
        if hit { numerator += 1 }
    }

    public static func += (lhs: inout RatioCount, rhs: RatioCount) {
        lhs.numerator += rhs.numerator
        lhs.denominator += rhs.denominator
    }

    public static func + (lhs: RatioCount, rhs: RatioCount) -> RatioCount {
        var sum = lhs
        sum += rhs
        return sum
    }

    public var fraction: Fraction { Fraction(numerator, denominator) }
}

/// A name for a procedure the catalogue does not know, from one kept dossier (R23).
public struct NameCandidate: Sendable, Hashable {
    public var source: String
    public var dossierID: String
    /// As written on the dossier (normalised when assembled).
    public var name: String

    public init(source: String, dossierID: String, name: String) {
        self.source = source
        self.dossierID = dossierID
        self.name = name
    }

    /// R23's order: the smaller (source, dossier id) wins.
    public func ranks(before other: NameCandidate) -> Bool {
        (source, dossierID) < (other.source, other.dossierID)
    }
}

extension FigureTally {
    /// Adds `other` into this tally.
    public mutating func merge(_ other: FigureTally) {
        func add<Key>(_ lhs: inout [Key: ProgressCounters], _ rhs: [Key: ProgressCounters]) {
            lhs.merge(rhs, uniquingKeysWith: +)
        }
        province += other.province
        add(&byLevel, other.byLevel)
        add(&byField, other.byField)
        add(&byAgency, other.byAgency)
        add(&byProcedure, other.byProcedure)
        add(&byAgencyProcedure, other.byAgencyProcedure)
        add(&byAgencyLevel, other.byAgencyLevel)
        add(&byMonth, other.byMonth)
        onlineProcedures.merge(other.onlineProcedures) { $0.union($1) }
        postalProcedures.merge(other.postalProcedures) { $0.union($1) }
        onlineShare += other.onlineShare
        onlineShareByLevel.merge(other.onlineShareByLevel, uniquingKeysWith: +)
        digitisationByLevel.merge(other.digitisationByLevel, uniquingKeysWith: +)
        digitisationByAgency.merge(other.digitisationByAgency, uniquingKeysWith: +)
        noDueDate += other.noDueDate
        missingAgency += other.missingAgency
        unknownProcedures.merge(other.unknownProcedures, uniquingKeysWith: +)
        procedureNames.merge(other.procedureNames) { $1.ranks(before: $0) ? $1 : $0 }
        lateByAgency.merge(other.lateByAgency) { LateDossier.worst($0 + $1) }
    }

    /// The merge of many tallies.
    public static func merged(_ tallies: some Sequence<FigureTally>) -> FigureTally {
        var iterator = tallies.makeIterator()
        guard var result = iterator.next() else { return FigureTally() }
        while let tally = iterator.next() { result.merge(tally) }
        return result
    }

    /// The same tally with its lists in their canonical (sorted) order, so equal sets of dossiers
    /// give equal tallies whatever order they were counted in.
    public func canonical() -> FigureTally {
        var copy = self
        copy.noDueDate.sort()
        copy.missingAgency.sort()
        return copy
    }
}
