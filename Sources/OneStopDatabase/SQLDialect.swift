/// The two databases a run's figures go to. The schema is one; only a few type names differ.
public enum SQLDialect: Sendable, Hashable {
    /// The embedded history (`history.sqlite`).
    case sqlite
    /// A PostgreSQL database, for dashboards.
    case postgres

    /// The column type of a calendar day: `DATE` in PostgreSQL, ISO text (`YYYY-MM-DD`) in SQLite.
    var date: String { self == .postgres ? "DATE" : "TEXT" }

    /// The column type of an instant: `TIMESTAMPTZ` in PostgreSQL, ISO 8601 text in UTC in SQLite
    /// (fixed width, so it sorts as time does).
    var timestamp: String { self == .postgres ? "TIMESTAMPTZ" : "TEXT" }
}
