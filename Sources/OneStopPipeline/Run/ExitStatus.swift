/// The process exit codes of docs/contract.md §6 (sysexits).
public enum ExitStatus: Int32, Sendable {
    /// Done.
    case ok = 0
    /// Bad usage (flags, arguments).
    case usage = 64
    /// A file could not be read to its end, or the reject rate passed `maxRejectRate`.
    case dataError = 65
    /// No input files.
    case noInput = 66
    /// The output set could not be written (read-only or full disk, directory in use by another run).
    /// Not in docs/contract.md §6's list: sysexits' EX_CANTCREAT, so cron can tell it from bad input.
    case cannotWriteOutput = 73
    /// Internal error (a bug: an identity that must hold did not).
    case software = 70
    /// An operating-system limit (`ulimit -n`, `ulimit -v`) leaves too little for the work asked.
    /// Not in docs/contract.md §6's list: sysexits' EX_OSERR.
    case resourceLimit = 71
    /// The output set was published, but a database it goes to could not be reached (down,
    /// refused the login, lost the connection): sysexits' EX_TEMPFAIL — send it again later with
    /// `onestop sink`.
    case temporaryFailure = 75
    /// Invalid pipeline, dialect or catalogue file.
    case configuration = 78
}
