import OneStopModel

/// What the command line says about the run history and database sinks.
public struct DatabaseOptions: Sendable {
    /// `--history PATH | none` (nil: the pipeline's `output.history`).
    public var history: HistoryLocation?
    /// `--sink postgres` (true) or `--sink none` (false); nil: the pipeline's `output.sinks`.
    public var postgres: Bool?
    /// `--compare FROM..TO`: the earlier period to compare with (nil: the period before).
    public var compare: Period?

    public init(history: HistoryLocation? = nil, postgres: Bool? = nil, compare: Period? = nil) {
        self.history = history
        self.postgres = postgres
        self.compare = compare
    }
}
