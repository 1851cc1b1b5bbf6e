/// Why a generation could not be done.
public enum GenerationError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The options contradict each other or are out of range (exit 64).
    case invalidOptions(String)
    /// The dialect cannot express what the generator must write (exit 78).
    case unsupportedDialect(String)
    /// The output folder or a file in it could not be written (exit 73).
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidOptions(let message): message
        case .unsupportedDialect(let message): "the dialect cannot be generated: \(message)"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}
