import Foundation

/// The demo pipeline rewritten into a scratch folder with absolute paths, so a test can change
/// one thing of it (a source's files, a block added) and run it from there.
struct DemoVariant {
    let folder: ScratchFolder
    let path: String

    /// `edit` changes the pipeline text as written (paths relative to Pipelines/); `extra` is
    /// appended to it.
    init(_ name: String, edit: (String) -> String = { $0 }, extra: String = "") throws {
        folder = ScratchFolder(name)
        let text = edit(try read(repositoryRoot + "/Pipelines/demo.yaml"))
            .replacingOccurrences(of: "../Fixtures/", with: repositoryRoot + "/Fixtures/")
            .replacingOccurrences(of: "dialects: dialects", with: "dialects: \(repositoryRoot)/Pipelines/dialects")
            .replacingOccurrences(of: "directory: ../out/demo", with: "directory: \(folder.path)/out")
            + "\n" + extra
        path = folder.path + "/pipeline.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Runs it with `arguments`, writing into `out` under the scratch folder.
    func run(_ arguments: [String] = [], out: String = "out", quiet: Bool = true) throws -> CommandResult {
        try OneStopCommand.run(["run", path, "--out", folder.path + "/" + out] + (quiet ? ["--quiet"] : []) + arguments)
    }

    func output(_ file: String, out: String = "out") throws -> String {
        try read(folder.path + "/" + out + "/" + file)
    }

    func summary(out: String = "out") throws -> [String: Any] {
        try readJSON(folder.path + "/" + out + "/summary.json")
    }

    func sources(out: String = "out") throws -> [String: String] {
        let list = try summary(out: out)["sources"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as? String ?? "", $0["status"] as? String ?? "") })
    }
}
