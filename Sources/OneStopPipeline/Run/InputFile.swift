import Foundation
import Logging
import OneStopIngest

/// Where `InputResolver.globMatches` collects the folders glob(3) could not read (its callback
/// cannot capture anything: a thread's own dictionary keeps concurrent globs apart).
private let globErrorsKey = "onestop.glob.errors"

/// One export file of a run, with the source it belongs to.
public struct InputFile: Sendable, Hashable {
    /// Index into the pipeline's sources.
    public var source: Int
    /// Absolute path, `.` and `..` resolved as written: a link keeps the name the pipeline or
    /// the command line gave it (its name says which source it belongs to and what outputs show).
    /// A name that is not UTF-8 is held as `LosslessPath` describes.
    public var path: String
    /// The path as outputs show it: relative to the common folder of all the run's inputs, bytes
    /// that are not UTF-8 as `\xNN`.
    public var displayPath: String
}

/// Finds the run's export files: the sources' glob patterns, or the files and folders given on
/// the command line (each assigned to the source whose patterns match its name). Nothing is
/// passed over in silence: a folder a pattern matches, a file in a given folder that no pattern
/// selects and a folder that cannot be listed each get a warning line naming them; a file that is
/// selected but cannot be read is an input, and fails as such.
enum InputResolver {
    /// One file found, the source it goes to and the pattern that says so.
    private struct Candidate {
        var source: Int
        var path: String
        var pattern: String
    }

    /// - Parameters:
    ///   - pipelineFile: named by the configuration error of a file two sources match (R25).
    ///   - logger: receives a warning for each thing passed over.
    static func resolve(
        sources: [SourceConfiguration], overrides: [String], pipelineFile: String, logger: Logger
    ) throws(RunError) -> [InputFile] {
        var found: [Candidate] = []
        var passedOver: [String] = []
        if overrides.isEmpty {
            for (index, source) in sources.enumerated() {
                for pattern in source.patterns {
                    let matches = globMatches(pattern)
                    passedOver += matches.unreadableFolders.map { "source \(source.name): \($0)" }
                    for path in matches.paths {
                        if kind(of: path) == .folder {
                            passedOver.append(
                                "source \(source.name): \(LosslessPath.displayed(path)) matches \(pattern) but is a "
                                    + "folder, whose files are not read (a pattern selects files, e.g. …/*.xml)")
                        } else {
                            found.append(Candidate(source: index, path: path, pattern: pattern))
                        }
                    }
                }
            }
        } else {
            for argument in overrides {
                let path = PipelineFile.lexical(rawArgument(argument))
                switch kind(of: path) {
                case .missing:
                    throw .noInput("input \(argument) does not exist")
                case .folder:
                    let listing = filesUnder(path)
                    passedOver += listing.passedOver
                    for file in listing.files {
                        let owners = try Self.sources(of: file, among: sources, takeAll: false)
                        found += owners.map { Candidate(source: $0.source, path: file, pattern: $0.pattern) }
                        if owners.isEmpty {
                            passedOver.append(
                                "\(LosslessPath.displayed(file)) (in \(argument)) matches no source's 'files' pattern: "
                                    + "not read")
                        }
                    }
                case .file:
                    let owners = try Self.sources(of: path, among: sources, takeAll: true)
                    found += owners.map { Candidate(source: $0.source, path: path, pattern: $0.pattern) }
                }
            }
        }
        for line in passedOver { logger.warning("\(line)") }
        let files = try oneSourceEach(found, sources: sources, pipelineFile: pipelineFile)
        let root = commonFolder(files.map(\.path))
        return files.map {
            InputFile(source: $0.source, path: $0.path, displayPath: LosslessPath.displayed(relative($0.path, to: root)))
        }
    }

    /// Each file once, under the first of its names (sources in order, then paths); a file that
    /// two sources match, by any of its names, is a configuration error naming both (R25).
    private static func oneSourceEach(
        _ found: [Candidate], sources: [SourceConfiguration], pipelineFile: String
    ) throws(RunError) -> [Candidate] {
        let sorted = found.sorted { ($0.source, $0.path) < ($1.source, $1.path) }
        var owners: [FileIdentity: Candidate] = [:]
        var files: [Candidate] = []
        for candidate in sorted {
            let identity = FileIdentity(path: candidate.path)
            guard let owner = owners[identity] else {
                owners[identity] = candidate
                files.append(candidate)
                continue
            }
            guard owner.source != candidate.source else { continue }
            let name = LosslessPath.displayed(owner.path)
            let also = owner.path == candidate.path ? "" : " (also reached as \(LosslessPath.displayed(candidate.path)))"
            throw .configuration(ConfigurationError(
                file: pipelineFile, line: nil,
                message: "\(name)\(also) is matched by the patterns of two sources, '\(sources[owner.source].name)' "
                    + "(\(owner.pattern)) and '\(sources[candidate.source].name)' (\(candidate.pattern)); a file must "
                    + "belong to one source: narrow the patterns so that only one matches it"))
        }
        return files
    }

    /// The sources whose patterns match the file, each with the pattern: those that match its
    /// full path (two of them make R25's error), else the one that matches its name alone; with
    /// `takeAll`, a pipeline with one source takes any file. Empty when no pattern matches (and
    /// not `takeAll`).
    private static func sources(of path: String, among sources: [SourceConfiguration], takeAll: Bool)
        throws(RunError) -> [(source: Int, pattern: String)]
    {
        let bytes = LosslessPath.bytes(path)
        let name = Array(bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).last ?? [])
        func matching(_ subject: [UInt8], flags: Int32, _ pattern: (String) -> String) -> [(source: Int, pattern: String)] {
            (subject.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { text in
                sources.indices.compactMap { index in
                    sources[index].patterns.first { fnmatch(pattern($0), text.baseAddress!, flags) == 0 }
                        .map { (index, $0) }
                }
            }
        }
        // As glob(3) matches: `*` stops at `/` and skips a leading `.`.
        let byPath = matching(bytes, flags: FNM_PATHNAME | FNM_PERIOD) { $0 }
        if !byPath.isEmpty { return byPath }
        let byName = matching(name, flags: FNM_PERIOD) { ($0 as NSString).lastPathComponent }
        if byName.count == 1 { return byName }
        if byName.isEmpty {
            if takeAll, sources.count == 1 { return [(0, "the only source")] }
            if !takeAll { return [] }
        }
        let names = (byName.isEmpty ? Array(sources.indices) : byName.map(\.source)).map { sources[$0].name }
        throw .usage(
            "cannot tell which source \(LosslessPath.displayed(path)) belongs to (candidates: "
                + "\(names.joined(separator: ", "))); name files so that one source's 'files' pattern matches them")
    }

    // MARK: - The file system

    enum Kind { case file, folder, missing }

    /// A folder (a link to one counts), anything else that exists (a file, a FIFO, a link whose
    /// target is gone: it is an input, which fails when opened), or nothing.
    static func kind(of path: String) -> Kind {
        var info = stat()
        if LosslessPath.withFileSystemPath(path, { stat($0, &info) }) == 0 {
            return info.st_mode & S_IFMT == S_IFDIR ? .folder : .file
        }
        return LosslessPath.withFileSystemPath(path, { lstat($0, &info) }) == 0 ? .file : .missing
    }

    /// Every file below `folder`, sorted, through links to files and folders (a folder reached
    /// twice, e.g. by a link back up, is listed once); and a warning for each folder that cannot
    /// be listed.
    static func filesUnder(_ folder: String) -> (files: [String], passedOver: [String]) {
        var files: [String] = []
        var passedOver: [String] = []
        var visited = Set<FileIdentity>()
        var pending = [folder]
        while let current = pending.popLast() {
            guard visited.insert(FileIdentity(path: current)).inserted else { continue }
            guard let directory = LosslessPath.withFileSystemPath(current, { opendir($0) }) else {
                passedOver.append(
                    "cannot list folder \(LosslessPath.displayed(current)) (\(String(cString: strerror(errno)))): "
                        + "the files in it are not read")
                continue
            }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    Array(raw.prefix { $0 != 0 })
                }
                if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
                let path = (current == "/" ? "" : current) + "/" + LosslessPath.decoding(name)
                if kind(of: path) == .folder {
                    pending.append(path)
                } else {
                    files.append(path)
                }
            }
        }
        return (files.sorted(), passedOver)
    }

    /// What a pattern matches (paths as `LosslessPath` holds them), and a warning for each folder
    /// it could not look into.
    static func globMatches(_ pattern: String) -> (paths: [String], unreadableFolders: [String]) {
        var result = glob_t()
        defer { globfree(&result) }
        // glob(3) reports a folder it cannot read through a C callback, on this thread.
        Thread.current.threadDictionary[globErrorsKey] = [String]()
        defer { Thread.current.threadDictionary[globErrorsKey] = nil }
        let status = Foundation.glob(pattern, 0, { path, code in
            // A folder that does not exist holds no files: that is no error here.
            if code == ENOENT || code == ENOTDIR { return 0 }
            let folder = path.map { LosslessPath.displayed(LosslessPath.decoding(UnsafeRawBufferPointer(start: $0, count: strlen($0)))) } ?? "?"
            var errors = Thread.current.threadDictionary[globErrorsKey] as? [String] ?? []
            errors.append("cannot look into folder \(folder) (\(String(cString: strerror(code)))): files in it are not read")
            Thread.current.threadDictionary[globErrorsKey] = errors
            return 0
        }, &result)
        let errors = Thread.current.threadDictionary[globErrorsKey] as? [String] ?? []
        guard status == 0 else { return ([], errors) }
        var paths: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            if let path = result.gl_pathv[index] {
                let bytes = UnsafeRawBufferPointer(start: path, count: strlen(path))
                paths.append(PipelineFile.lexical(LosslessPath.decoding(bytes)))
            }
        }
        return (paths.sorted(), errors)
    }

    /// The paths a pattern matches (`onestop validate` counts them).
    static func glob(_ pattern: String) -> [String] {
        globMatches(pattern).paths
    }

    /// A command-line argument as the file system names it: Swift repairs an argument that is
    /// not UTF-8 (each bad byte becomes U+FFFD), so its bytes are taken from the raw arguments.
    private static func rawArgument(_ argument: String) -> String {
        guard argument.unicodeScalars.contains("\u{FFFD}") else { return argument }
        for index in 0..<Int(CommandLine.argc) {
            guard let raw = CommandLine.unsafeArgv[index], String(cString: raw) == argument else { continue }
            return LosslessPath.decoding(UnsafeRawBufferPointer(start: raw, count: strlen(raw)))
        }
        return argument
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
            if LosslessPath.withFileSystemPath(path, { stat($0, &info) }) == 0 {
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
