import COneStopSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin POSIX helpers for publishing: every failure comes back as the errno's text, so the
/// caller can name the path in a typed `EmitError`.
enum FileSystem {
    /// The system's text for an errno value, e.g. "Read-only file system".
    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// What is at a path, without following a final symbolic link.
    enum Kind { case missing, directory, symbolicLink, other }

    static func kind(of path: String) -> (kind: Kind, errno: Int32) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return (errno == ENOENT ? .missing : .other, errno) }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return (.directory, 0)
        case S_IFLNK: return (.symbolicLink, 0)
        default: return (.other, 0)
        }
    }

    /// `mkdir -p`: creates the directory and its missing parents. Throws the errno text and the
    /// path that could not be created.
    static func makeDirectories(_ path: String) throws(EmitError) {
        var prefix: String? = path.hasPrefix("/") ? "" : nil
        for component in path.split(separator: "/") {
            let current = prefix.map { $0 + "/" + component } ?? String(component)
            prefix = current
            if mkdir(current, 0o755) == 0 { continue }
            let code = errno
            if code == EEXIST, isDirectory(current) { continue }
            throw .cannotCreateDirectory(path: current, reason: describe(code == EEXIST ? ENOTDIR : code))
        }
    }

    /// Whether the path is a directory, following symbolic links.
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Writes a new file completely and flushes it to disk (`fsync`) before closing it.
    static func writeFile(_ path: String, contents: [UInt8]) throws(EmitError) {
        try writeFile(OutputFile(name: path, contents: contents), to: path)
    }

    /// Renders `file` into a new file at `path` and flushes it to disk before closing it.
    static func writeFile(_ file: OutputFile, to path: String) throws(EmitError) {
        let writer = try OutputWriter(creating: path)
        try file.write(to: writer)
        try writer.finish()
    }

    /// For EFBIG, what the file-size limit is (the process ignores SIGXFSZ, so passing the
    /// limit is this error rather than the end of the process).
    static func fileSizeLimitNote(_ code: Int32) -> String {
        guard code == EFBIG else { return "" }
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return "" }
        return " (the file-size limit, ulimit -f, is \(limit.rlim_cur) bytes)"
    }

    /// The device a path is on, without following a final symbolic link; nil when it is missing.
    static func device(of path: String) -> UInt64? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return UInt64(info.st_dev)
    }

    /// Gives `destination` the permission bits of `source` (a shared folder's group write bit,
    /// say). Best effort: a failure loses nothing but the bits.
    static func copyPermissions(from source: String, to destination: String) {
        var info = stat()
        guard stat(source, &info) == 0 else { return }
        _ = chmod(destination, info.st_mode & 0o7777)
    }

    /// Renames `source` to `destination` unless something is already there (then EEXIST).
    /// Returns 0 or the errno value.
    static func renameWithoutReplacing(_ source: String, _ destination: String) -> Int32 {
        if onestop_rename_noreplace(source, destination) == 0 { return 0 }
        let code = errno
        guard code == ENOSYS || code == EINVAL else { return code }
        // Without renameat2: check, then rename (a name created in between would be replaced).
        guard kind(of: destination).kind == .missing else { return EEXIST }
        return rename(source, destination) == 0 ? 0 : errno
    }

    /// Flushes a directory's entries (new names, renames) to disk. Best effort: some file
    /// systems cannot fsync a directory, which loses nothing but durability.
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = close(fd)
    }

    /// Removes a file or a directory tree; missing paths are fine. Best effort, for cleanup.
    static func removeTree(_ path: String) {
        switch kind(of: path).kind {
        case .missing: return
        case .directory:
            for name in entries(of: path) { removeTree(path + "/" + name) }
            _ = rmdir(path)
        case .symbolicLink, .other:
            _ = unlink(path)
        }
    }

    /// The names in a directory, without `.` and `..`; empty when it cannot be read.
    static func entries(of path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
