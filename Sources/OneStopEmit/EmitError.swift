/// Why an output set could not be written or published. Every message names the path concerned
/// and what the system said, so the user can act on it.
public enum EmitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another onestop run holds the output directory's lock file.
    case outputInUse(directory: String, pid: Int32?)
    /// A directory (the output's parent, or the staging directory) could not be created.
    case cannotCreateDirectory(path: String, reason: String)
    /// A file could not be created, written or flushed to disk.
    case cannotWrite(path: String, reason: String)
    /// The output path exists and is not a directory.
    case notADirectory(path: String)
    /// The output directory exists, is not empty and holds no `summary.json`: it is not an
    /// earlier output set, and publishing would replace (delete) what it holds. `sample` names a
    /// few of its entries.
    case notAnOutputSet(path: String, sample: [String])
    /// The lock file could not be opened or locked.
    case cannotLock(path: String, reason: String)
    /// The staged set could not be moved into place.
    case cannotPublish(path: String, reason: String)
    /// An input of a renderer (a partial's dossier rows) could not be read.
    case cannotRead(path: String, reason: String)
    /// An entry of the output directory that onestop did not write is a mount point: it cannot
    /// be carried into the new directory, so the run is refused before it starts.
    case userMountPoint(directory: String, entry: String)
    /// Entries of the user's (`names`) could not be moved back into the output directory from
    /// `holder`, where they still are; `reason` is the system's for the first.
    case userEntriesLeft(directory: String, holder: String, names: [String], reason: String)

    public var description: String {
        switch self {
        case .outputInUse(let directory, let pid):
            "output directory '\(directory)' is in use by another onestop run"
                + (pid.map { " (pid \($0))" } ?? "") + "; wait for it to finish or choose another output directory"
        case .cannotCreateDirectory(let path, let reason):
            "cannot create directory '\(path)': \(reason)"
        case .cannotWrite(let path, let reason):
            "cannot write '\(path)': \(reason)"
        case .notADirectory(let path):
            "output path '\(path)' exists and is not a directory; remove it or choose another output directory"
        case .notAnOutputSet(let path, let sample):
            "output directory '\(path)' is not an earlier onestop output (it holds "
                + sample.map { $0 == "…" ? $0 : "'\($0)'" }.joined(separator: ", ")
                + " and no summary.json); onestop replaces the whole directory, so choose a new or empty folder"
        case .cannotLock(let path, let reason):
            "cannot create or lock the lock file '\(path)': \(reason)"
        case .cannotRead(let path, let reason):
            "cannot read '\(path)': \(reason)"
        case .cannotPublish(let path, let reason):
            "cannot publish the output set to '\(path)': \(reason); the previous set, if any, is unchanged"
        case .userMountPoint(let directory, let entry):
            "output directory '\(directory)' holds '\(entry)', a mount point: onestop publishes a new directory and "
                + "moves your own files and folders into it, which a mount point cannot follow; unmount it or "
                + "choose another output directory"
        case .userEntriesLeft(let directory, let holder, let names, let reason):
            "could not move " + names.prefix(3).map { "'\($0)'" }.joined(separator: ", ") + (names.count > 3 ? ", …" : "")
                + " back into the output directory '\(directory)': \(reason); "
                + (names.count == 1 ? "it is" : "they are") + " in '\(holder)': move "
                + (names.count == 1 ? "it" : "them") + " back yourself, then run again"
        }
    }
}
