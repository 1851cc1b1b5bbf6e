import Foundation

/// Finds the dialect file a command names (`inspect --dialect`, `generate --dialect`), whatever
/// the directory it runs from:
///
/// - a name with a `/` or ending in `.yaml` is a path;
/// - else `NAME.yaml` in the `--dialects` folder when one is given; else in the folder of dialect
///   files of the `--pipeline` given (its `dialects:` key, default `dialects/` beside it); else
///   in `Pipelines/dialects` and `dialects` of the current directory, then in the
///   `Pipelines/dialects` of the nearest folder above the onestop binary that has one (a
///   checkout's `.build/debug/onestop` finds the checkout's shipped dialects).
///
/// When the file is not found the error lists every folder it looked in, and the dialects there.
public struct DialectLocator: Sendable {
    /// `--dialects`: the only folder looked in when given.
    public var folder: String?
    /// `--pipeline`: its folder of dialect files is looked in when `folder` is not given.
    public var pipeline: String?
    /// The onestop binary's real path.
    public var executable: String

    public init(folder: String?, pipeline: String?, executable: String) {
        self.folder = folder
        self.pipeline = pipeline
        self.executable = executable
    }

    /// Why a dialect file could not be found: a file named on the command line that does not
    /// exist is exit 66; a pipeline that cannot be read for its dialect folder, exit 78.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
        public var exitStatus: ExitStatus
    }

    /// The path of the dialect file `dialect` names.
    public func locate(_ dialect: String) throws(Failure) -> String {
        if dialect.contains("/") || dialect.hasSuffix(".yaml") {
            guard FileManager.default.fileExists(atPath: dialect) else {
                throw Failure(description: "dialect file \(dialect) does not exist", exitStatus: .noInput)
            }
            return dialect
        }
        let folders = try candidateFolders()
        for folder in folders.searched {
            let path = (folder as NSString).appendingPathComponent("\(dialect).yaml")
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        let available = Set(folders.searched.flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
                .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
        }).sorted()
        throw Failure(
            description: "dialect '\(dialect)' not found: no \(dialect).yaml in "
                + (folders.searched + folders.notFound).joined(separator: ", ")
                + "; available there: " + (available.isEmpty ? "none" : available.joined(separator: ", "))
                + "; name a folder with --dialects DIR or a pipeline with --pipeline FILE, or give the file's path",
            exitStatus: .noInput)
    }

    /// The folders to look in, in order, and a description of each place looked in vain for one.
    private func candidateFolders() throws(Failure) -> (searched: [String], notFound: [String]) {
        if let folder { return ([PipelineFile.lexical(folder)], []) }
        if let pipeline { return ([try Self.settings(ofPipeline: pipeline).dialects], []) }
        var searched = ["Pipelines/dialects", "dialects"].map(PipelineFile.lexical)
        let binaryFolder = (executable as NSString).deletingLastPathComponent
        var folder = binaryFolder
        while !folder.isEmpty {
            let shipped = (folder as NSString).appendingPathComponent("Pipelines/dialects")
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: shipped, isDirectory: &isFolder), isFolder.boolValue {
                if !searched.contains(shipped) { searched.append(shipped) }
                return (searched, [])
            }
            if folder == "/" { break }
            folder = (folder as NSString).deletingLastPathComponent
        }
        return (searched, ["Pipelines/dialects in any folder above \(binaryFolder)"])
    }

    /// What `inspect` takes from a pipeline file: its folder of dialect files, resolved, and its
    /// time zone. Reads only those keys (the rest is `validate`'s business).
    public static func settings(ofPipeline path: String) throws(Failure) -> (dialects: String, timezone: String?) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw Failure(description: "pipeline file \(path) does not exist", exitStatus: .noInput)
        }
        do throws(ConfigurationError) {
            let text = try ConfigurationText.read(path, what: "pipeline file", howToFix: "save it as UTF-8 in your editor")
            let top = try ConfigNode.load(yaml: text, file: path).mapping("a pipeline file", allowed: PipelineFile.topKeys)
            let folder = (PipelineFile.lexical(path) as NSString).deletingLastPathComponent
            let relative = try top["dialects"]?.string("dialects") ?? "dialects"
            let dialects = relative.hasPrefix("/") ? relative : (folder as NSString).appendingPathComponent(relative)
            return (PipelineFile.lexical(dialects), try top["timezone"]?.string("timezone"))
        } catch {
            throw Failure(description: error.description, exitStatus: .configuration)
        }
    }
}
