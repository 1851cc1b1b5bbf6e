import Foundation

/// One export file of a run, with the source it belongs to.
public struct InputFile: Sendable, Hashable {
    /// Index into the pipeline's sources.
    public var source: Int
    /// Absolute path, `.` and `..` resolved as written: a link keeps the name the pipeline or
    /// the command line gave it (its name says which source it belongs to and what outputs show).
    public var path: String
    /// The path as outputs show it: relative to the common folder of all the run's inputs.
    public var displayPath: String
}

/// Finds the run's export files: the sources' glob patterns, or the files and folders given on
/// the command line (each assigned to the source whose patterns match its name).
enum InputResolver {
    static func resolve(sources: [SourceConfiguration], overrides: [String]) throws(RunError) -> [InputFile] {
        var found: [(source: Int, path: String)] = []
        if overrides.isEmpty {
            for (index, source) in sources.enumerated() {
                for pattern in source.patterns {
                    for path in glob(pattern) where isRegularFile(path) {
                        found.append((index, path))
                    }
                }
            }
        } else {
            for argument in overrides {
                let path = PipelineFile.lexical(argument)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    throw .noInput("input \(argument) does not exist")
                }
                let files = isDirectory.boolValue ? exportFiles(under: path) : [path]
                for file in files {
                    found.append((try source(of: file, among: sources), file))
                }
            }
        }
        found.sort { ($0.source, $0.path) < ($1.source, $1.path) }
        // One file reached by two names (a link beside its target, a folder given twice) is
        // read once, under the first name.
        var seen = Set<FileIdentity>()
        found = found.filter { seen.insert(FileIdentity(path: $0.path)).inserted }
        let root = commonFolder(found.map(\.path))
        return found.map { InputFile(source: $0.source, path: $0.path, displayPath: relative($0.path, to: root)) }
    }

    /// The source whose patterns match the file: by full path first, then by file name alone; a
    /// pipeline with one source takes every file.
    private static func source(of path: String, among sources: [SourceConfiguration]) throws(RunError) -> Int {
        if let index = sources.firstIndex(where: { $0.patterns.contains { fnmatch($0, path, 0) == 0 } }) {
            return index
        }
        let name = (path as NSString).lastPathComponent
        let byName = sources.indices.filter { index in
            sources[index].patterns.contains { fnmatch(($0 as NSString).lastPathComponent, name, 0) == 0 }
        }
        if byName.count == 1 { return byName[0] }
        if sources.count == 1 { return 0 }
        let names = (byName.isEmpty ? Array(sources.indices) : byName).map { sources[$0].name }
        throw .usage(
            "cannot tell which source \(path) belongs to (candidates: \(names.joined(separator: ", "))); name files so that one source's 'files' pattern matches them")
    }

    private static func exportFiles(under folder: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".xml") || relative.hasSuffix(".xml.gz") else { continue }
            let path = (folder as NSString).appendingPathComponent(relative)
            if isRegularFile(path) { files.append(path) }
        }
        return files.sorted()
    }

    static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Foundation.glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            if let cString = result.gl_pathv[index] { paths.append(PipelineFile.lexical(String(cString: cString))) }
        }
        return paths.sorted()
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Absolute and standardised, links resolved (the output directory: publishing swaps the
    /// real directory, never a link to it).
    static func standardised(_ path: String) -> String {
        (PipelineFile.absolute(path) as NSString).standardizingPath
    }

    static func commonFolder(_ paths: [String]) -> String {
        guard var common = paths.first.map({ ($0 as NSString).deletingLastPathComponent.split(separator: "/") }) else {
            return "/"
        }
        for path in paths.dropFirst() {
            let folder = (path as NSString).deletingLastPathComponent.split(separator: "/")
            var count = 0
            while count < min(common.count, folder.count), common[count] == folder[count] { count += 1 }
            common = Array(common.prefix(count))
        }
        return "/" + common.joined(separator: "/")
    }

    /// What makes two names one file: its device and inode (the name itself when it cannot be
    /// read, so such a file is still listed, and fails, once).
    private struct FileIdentity: Hashable {
        var device: UInt64 = 0
        var inode: UInt64 = 0
        var unreadable: String?

        init(path: String) {
            var info = stat()
            if stat(path, &info) == 0 {
                device = UInt64(info.st_dev)
                inode = UInt64(info.st_ino)
            } else {
                unreadable = path
            }
        }
    }

    private static func relative(_ path: String, to root: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
