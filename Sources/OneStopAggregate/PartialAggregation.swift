import OneStopModel

/// Counters keyed by a small integer (a `StringTable` index, or two packed together), in an
/// open-addressing table: one multiply to find a group, no String hashing per dossier.
struct CounterMap: Sendable {
    private(set) var keys: [UInt64] = []
    private(set) var values: [ProgressCounters] = []
    private var slots = [Int32](repeating: -1, count: 16)
    private var mask = 15

    /// Adds `counters` to the group `key`; true when the group is new.
    @inline(__always)
    @discardableResult
    mutating func add(_ key: UInt64, _ counters: ProgressCounters) -> Bool {
        var position = Self.position(key, mask)
        while true {
            let slot = slots[position]
            if slot < 0 { break }
            if keys[Int(slot)] == key {
                values[Int(slot)] += counters
                return false
            }
            position = (position &+ 1) & mask
        }
        slots[position] = Int32(keys.count)
        keys.append(key)
        values.append(counters)
        if keys.count * 2 > mask + 1 { grow() }
        return true
    }

    @inline(__always)
    private static func position(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    private mutating func grow() {
        mask = (mask + 1) * 2 - 1
        slots = [Int32](repeating: -1, count: mask + 1)
        for (index, key) in keys.enumerated() {
            var position = Self.position(key, mask)
            while slots[position] >= 0 { position = (position &+ 1) & mask }
            slots[position] = Int32(index)
        }
    }

    mutating func merge(_ other: CounterMap) {
        for index in other.keys.indices { add(other.keys[index], other.values[index]) }
    }
}

/// For a procedure not in the catalogue: the kept dossier that names it, ranked by
/// (source name, dossier id) (R23) — a table index, compared by id when needed.
struct DossierNameCandidate: Sendable {
    var sourceRank: Int
    var dossier: Int
    /// `StringTable` index of the (non-blank) name.
    var name: Int32
}

/// A late or overdue dossier (table index) and its days late.
struct LateCandidate: Sendable {
    var dossier: Int
    var overdue: Bool
    var daysLate: Int?
}

/// The counters one worker builds over its chunk of dossiers. Merging is addition and set union,
/// associative and commutative, so the merged result does not depend on how dossiers were split.
/// Group keys are `StringTable` indexes; `Aggregator.assemble` turns them back into strings.
struct PartialAggregation: Sendable {
    var province = ProgressCounters()
    /// Key: the level's position in `Level.allCases`.
    var byLevel = CounterMap()
    var byField = CounterMap()
    var byAgency = CounterMap()
    var byProcedure = CounterMap()
    /// Key: agency << 32 | procedure.
    var byAgencyProcedure = CounterMap()
    /// Key: agency << 2 | level position.
    var byAgencyLevel = CounterMap()
    /// Key: the first local day of the month (days since epoch, bit pattern).
    var byMonth = CounterMap()
    var scorecard = ScorecardTally()
    /// Digitised / received after the level's effective date, keyed by agency (`StringTable` index).
    var digitisationByAgency: [UInt64: RatioCount] = [:]
    /// `source:dossier id` of in-scope dossiers decided without a due date, and of kept dossiers
    /// without an agency.
    var noDueDate: [String] = []
    var missingAgency: [String] = []
    /// Kept dossiers per unknown procedure (`StringTable` index).
    var unknownProcedures: [Int32: Int] = [:]
    /// Keyed by procedure (`StringTable` index).
    var dossierNames: [Int32: DossierNameCandidate] = [:]
    /// Late and overdue dossiers, by agency (`StringTable` index).
    var late: [UInt64: [LateCandidate]] = [:]
    /// Whether a name (`StringTable` index) is blank once trimmed, as far as looked up.
    var blankNames: [Int32: Bool] = [:]

    mutating func isBlank(_ name: Int32, _ strings: [String]) -> Bool {
        if let blank = blankNames[name] { return blank }
        let blank = strings[Int(name)].trimmingWhitespace().isEmpty
        blankNames[name] = blank
        return blank
    }

    mutating func merge(
        _ other: PartialAggregation, ranksBefore: (DossierNameCandidate, DossierNameCandidate) -> Bool
    ) {
        province += other.province
        byLevel.merge(other.byLevel)
        byField.merge(other.byField)
        byAgency.merge(other.byAgency)
        byProcedure.merge(other.byProcedure)
        byAgencyProcedure.merge(other.byAgencyProcedure)
        byAgencyLevel.merge(other.byAgencyLevel)
        byMonth.merge(other.byMonth)
        scorecard.merge(other.scorecard)
        digitisationByAgency.merge(other.digitisationByAgency, uniquingKeysWith: +)
        noDueDate += other.noDueDate
        missingAgency += other.missingAgency
        unknownProcedures.merge(other.unknownProcedures, uniquingKeysWith: +)
        late.merge(other.late, uniquingKeysWith: +)
        for (procedure, candidate) in other.dossierNames {
            if let current = dossierNames[procedure], !ranksBefore(candidate, current) { continue }
            dossierNames[procedure] = candidate
        }
    }
}
