/// Why a run's figures could not be kept in, or read from, a database. Messages name the
/// database as `DatabaseTarget` describes it (never with a password) and say what to do.
public enum DatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database cannot be reached or used now: the server is down, refused the login, lost
    /// the connection, or the TLS handshake failed. Worth trying again (EX_TEMPFAIL).
    case unavailable(database: String, reason: String)
    /// The database was written by a newer onestop, whose schema this one does not know.
    case newerSchema(database: String, found: Int, known: Int)
    /// The file or schema holds something else than onestop's tables; it is left untouched.
    case foreign(database: String, reason: String)
    /// A statement failed, or the file could not be written (full disk, permissions).
    case cannotWrite(database: String, reason: String)
    /// A published output set could not be read back (missing or damaged file).
    case unreadableOutputSet(path: String, reason: String)
    /// The connection settings are wrong: no URL, or one that does not read.
    case configuration(String)

    public var description: String {
        switch self {
        case .unavailable(let database, let reason):
            "\(database) cannot be reached: \(reason)"
        case .newerSchema(let database, let found, let known):
            "\(database) was written by a newer onestop (its schema is version \(found), this onestop knows up to "
                + "\(known)); upgrade onestop, or keep this run elsewhere"
        case .foreign(let database, let reason):
            "\(database) is not an onestop history: \(reason); it is left as it is — name another database"
        case .cannotWrite(let database, let reason):
            "cannot write to \(database): \(reason)"
        case .unreadableOutputSet(let path, let reason):
            "cannot read the output set \(path): \(reason)"
        case .configuration(let message):
            message
        }
    }
}
