import OneStopAggregate
import OneStopEmit
import OneStopModel

extension PeriodComparison {
    /// The earlier period's scorecard from its kept `figures` rows of scope `scorecard`:
    /// province-wide (`province`/`ALL`), per level and per agency. Lines keep value and target;
    /// an agency line's dossier count and rank are not kept in a database, so they read 0 and nil.
    public init(period: Period, figures: [FigureRow]) {
        func line(_ row: FigureRow) -> ScorecardLine? {
            guard row.scope == "scorecard", let measure = ScorecardMeasure(rawValue: row.measure),
                  let denominator = row.denominator
            else { return nil }
            return ScorecardLine(
                measure: measure, value: Fraction(row.numerator, denominator),
                target: row.target.flatMap { Fraction(decimal: $0) })
        }
        func ordered(_ lines: [ScorecardLine]) -> [ScorecardLine] {
            ScorecardMeasure.allCases.compactMap { measure in lines.first { $0.measure == measure } }
        }
        let province = ordered(figures.filter { $0.dimension == "province" }.compactMap(line))
        let levels = Level.allCases.compactMap { level -> LevelScorecard? in
            let lines = ordered(figures.filter { $0.dimension == "level" && $0.key == level.rawValue }.compactMap(line))
            return lines.isEmpty ? nil : LevelScorecard(level: level, lines: lines)
        }
        let agencyRows = Dictionary(grouping: figures.filter { $0.dimension == "agency" }, by: \.key)
        let agencies = agencyRows.keys.sorted().map { agency in
            AgencyScorecard(
                agency: agency, dossiers: 0,
                lines: ordered(agencyRows[agency]!.compactMap(line)).map { AgencyScorecardLine(line: $0, dossiers: 0) })
        }
        self.init(period: period, scorecard: Scorecard(province: province, byLevel: levels), agencyScorecards: agencies)
    }
}
