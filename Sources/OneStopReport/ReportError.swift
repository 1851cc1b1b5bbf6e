/// Why a report file could not be rendered.
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The workbook's zip container could not be built (the zip library's message).
    case cannotBuildWorkbook(reason: String)

    public var description: String {
        switch self {
        case .cannotBuildWorkbook(let reason): "cannot build the workbook onestop.xlsx: \(reason)"
        }
    }
}
