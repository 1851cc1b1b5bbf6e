import OneStopModel

/// One line of the scorecard (docs/contract.md §4.4): an exact value against the plan's target.
public struct ScorecardLine: Sendable, Hashable {
    public var measure: ScorecardMeasure
    public var value: Fraction
    /// The plan's target; nil when the pipeline sets none.
    public var target: Fraction?
    /// value ≥ target, exactly (R21); nil when the value is empty (denominator 0) or there is no target.
    public var met: Bool?

    public init(measure: ScorecardMeasure, value: Fraction, target: Fraction?) {
        self.measure = measure
        self.value = value
        self.target = target
        self.met = target.flatMap { value.isAtLeast($0) }
    }

    /// How many more numerator units, with the same denominator, would meet the target: 0 when
    /// met; nil when the value is empty or there is no target.
    public var gap: Int? { target.flatMap { value.gap(to: $0) } }
}

/// The scorecard of one level: its lines in `ScorecardMeasure.allCases` order.
public struct LevelScorecard: Sendable, Hashable {
    public var level: Level
    public var lines: [ScorecardLine]
    /// Whether the pipeline has a source of this level; without one the lines are listed but
    /// read "no source", not 0 %.
    public var hasSources: Bool

    public init(level: Level, lines: [ScorecardLine], hasSources: Bool = true) {
        self.level = level
        self.lines = lines
        self.hasSources = hasSources
    }
}

/// The plan's targets checked province-wide and per level (docs/contract.md §4.4, R19–R21).
public struct Scorecard: Sendable, Hashable {
    /// Lines in `ScorecardMeasure.allCases` order.
    public var province: [ScorecardLine]
    /// Every level, province, district, commune in that order, even a level without sources.
    public var byLevel: [LevelScorecard]

    public init(province: [ScorecardLine] = [], byLevel: [LevelScorecard] = []) {
        self.province = province
        self.byLevel = byLevel
    }

    /// The province-wide line of a measure.
    public func line(_ measure: ScorecardMeasure) -> ScorecardLine? {
        province.first { $0.measure == measure }
    }

    /// The line of a measure for one level.
    public func line(_ measure: ScorecardMeasure, level: Level) -> ScorecardLine? {
        byLevel.first { $0.level == level }?.lines.first { $0.measure == measure }
    }
}
