import OneStopDatabase

/// Why a run stopped without publishing figures; each maps to an exit status.
public enum RunError: Error, Sendable, CustomStringConvertible {
    case configuration(ConfigurationError)
    case usage(String)
    case noInput(String)
    /// `--strict`: the first file that could not be read to its end.
    case strictFailure(path: String, message: String)
    case output(String)
    case internalInconsistency(String)
    /// A partial figures file that cannot be read (another format version, damaged).
    case partial(String)
    /// Partials of another configuration or period than the pipeline's.
    case mismatch(String)
    /// Partials that are not one whole split: a shard twice, or missing.
    case incomplete(String)
    /// The run history or a database sink cannot be used (checked before anything is read).
    case database(DatabaseError)

    public var exitStatus: ExitStatus {
        switch self {
        case .configuration: .configuration
        case .usage: .usage
        case .noInput: .noInput
        case .strictFailure: .dataError
        case .output: .cannotWriteOutput
        case .internalInconsistency: .software
        case .partial, .incomplete: .dataError
        case .mismatch: .configuration
        case .database(let error): error.exitStatus
        }
    }

    public var description: String {
        switch self {
        case .configuration(let error): "\(error)"
        case .usage(let message): message
        case .noInput(let message): message
        case .strictFailure(let path, let message): "\(path): \(message) (--strict: stopped at the first failed file)"
        case .output(let message): message
        case .internalInconsistency(let message): "internal error: \(message)"
        case .partial(let message), .mismatch(let message), .incomplete(let message): message
        case .database(let error): "\(error)"
        }
    }
}
