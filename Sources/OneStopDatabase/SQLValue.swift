/// One value of a row to write, typed as the column that takes it.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int)
    case text(String)
    /// An exact decimal written as text (`0.5520`), for a `NUMERIC` column.
    case decimal(String)
    case bool(Bool)
    /// A calendar day, for a `DATE` column (`YYYY-MM-DD`).
    case date(String)
    /// An instant as ISO 8601 text in UTC with microseconds, for a `TIMESTAMPTZ` column.
    case timestamp(String)

    static func text(_ value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }
    static func integer(_ value: Int?) -> SQLValue { value.map(SQLValue.integer) ?? .null }
}
