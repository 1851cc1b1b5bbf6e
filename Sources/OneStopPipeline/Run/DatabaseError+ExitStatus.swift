import OneStopDatabase

extension DatabaseError {
    /// 75 for a database that cannot be reached now (try again later), 73 for one that cannot
    /// be written, 65 for an output set that cannot be read back, 78 for wrong settings.
    public var exitStatus: ExitStatus {
        switch self {
        case .unavailable: .temporaryFailure
        case .newerSchema, .foreign, .cannotWrite: .cannotWriteOutput
        case .unreadableOutputSet: .dataError
        case .configuration: .configuration
        }
    }
}
