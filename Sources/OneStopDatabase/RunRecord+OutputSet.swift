import Foundation
import OneStopEmit
import OneStopModel

extension RunRecord {
    /// What the run that published `directory` wrote, read back from its files — `summary.json`
    /// (the run, its accounting and files), `figures.csv`, `rejects.csv` and `dossiers.csv` when
    /// present — without reading any export. Gives the rows `init(report:)` gave that run.
    public init(outputDirectory directory: String) throws(DatabaseError) {
        let summaryPath = directory + "/" + OutputDocument.summary.fileName
        let summary = try SummaryReader(path: summaryPath)
        let pipeline = try summary.string("pipeline")
        let period = try summary.period()
        let fingerprint = try summary.string("configuration_fingerprint")
        let files = try summary.files()
        let problems = try summary.strings("problems")
        let accounting = try summary.object("accounting")
        func count(_ key: String) throws(DatabaseError) -> Int { try summary.int(key, in: accounting, at: "accounting") }
        let dossiersPath = directory + "/" + OutputDocument.dossiers.fileName
        dossiers = FileManager.default.fileExists(atPath: dossiersPath) ? DossierSource(csvFile: dossiersPath) : nil
        run = RunRow(
            identity: RunIdentity(pipeline: pipeline, period: period, configurationFingerprint: fingerprint, files: files),
            pipeline: pipeline, period: period, timezone: try summary.string("timezone", in: try summary.object("period"), at: "period"),
            asOf: try summary.asOf(), exitStatus: problems.isEmpty ? 0 : 65,
            accounting: RunRow.Accounting(
                files: files.count, failedFiles: files.count { $0.status == .failed },
                recordsRead: try count("records_read"), rejected: try count("rejected"),
                superseded: try count("superseded"), notAccepted: try count("not_accepted"), kept: try count("kept")),
            dossiers: nil, problems: problems)
        figures = try Self.figures(directory + "/" + OutputDocument.figures.fileName, period: period)
        rejects = try Self.rejects(directory + "/" + OutputDocument.rejects.fileName)
        self.files = files
    }

    private static func figures(_ path: String, period: Period) throws(DatabaseError) -> [FigureRow] {
        var rows: [FigureRow] = []
        try reading(path) {
            var line = 1
            try PublishedCSV.forEachRow(path: path, header: FiguresTable.columns) { fields in
                line += 1
                func fail(_ reason: String) -> DatabaseError { .unreadableOutputSet(path: path, reason: "line \(line): \(reason)") }
                guard fields.count == FiguresTable.columns.count else { throw fail("\(fields.count) fields") }
                guard fields[0] == period.from.description, fields[1] == period.to.description else {
                    throw fail("the period \(fields[0])…\(fields[1]) is not summary.json's")
                }
                guard let numerator = Int(fields[6]) else { throw fail("numerator '\(fields[6])' is not a whole number") }
                let denominator: Int?
                if fields[7].isEmpty {
                    denominator = nil
                } else if let number = Int(fields[7]) {
                    denominator = number
                } else {
                    throw fail("denominator '\(fields[7])' is not a whole number")
                }
                let met: Bool?
                switch fields[10] {
                case "true": met = true
                case "false": met = false
                case "": met = nil
                default: throw fail("met is '\(fields[10])', not true, false or empty")
                }
                for (name, text) in [("value", fields[8]), ("target", fields[9])] where !text.isEmpty && Double(text) == nil {
                    throw fail("\(name) '\(text)' is not a number")
                }
                rows.append(FigureRow(
                    scope: fields[2], dimension: fields[3], key: fields[4], measure: fields[5], numerator: numerator,
                    denominator: denominator, value: fields[8].isEmpty ? nil : fields[8],
                    target: fields[9].isEmpty ? nil : fields[9], met: met))
            }
        }
        return rows
    }

    private static func rejects(_ path: String) throws(DatabaseError) -> [RejectRow] {
        var rows: [RejectRow] = []
        try reading(path) {
            var line = 1
            try PublishedCSV.forEachRow(path: path, header: ["file", "line", "dossier_id", "field", "reason"]) { fields in
                line += 1
                guard fields.count == 5, let number = Int(fields[1]) else {
                    throw DatabaseError.unreadableOutputSet(path: path, reason: "line \(line) is not file,line,dossier_id,field,reason")
                }
                rows.append(RejectRow(
                    file: fields[0], line: number, dossierID: fields[2].isEmpty ? nil : fields[2], field: fields[3],
                    reason: fields[4]))
            }
        }
        return rows
    }

    /// Runs `body`, which throws only `DatabaseError`s, with the typed error restored.
    static func reading(_ path: String, _ body: () throws -> Void) throws(DatabaseError) {
        do {
            try body()
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw .unreadableOutputSet(path: path, reason: "\(error)")
        }
    }
}

/// `summary.json` of a published output set, read with Foundation's JSON parser.
private struct SummaryReader {
    let path: String
    let root: [String: Any]

    init(path: String) throws(DatabaseError) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableOutputSet(path: path, reason: "no summary.json: this is not a published onestop output set")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .unreadableOutputSet(path: path, reason: "not a JSON object")
        }
        root = object
    }

    func fail(_ key: String, _ what: String) -> DatabaseError {
        let hint = key == "configuration_fingerprint"
            ? " (an output set published before run histories existed: run the pipeline again)" : ""
        return .unreadableOutputSet(path: path, reason: "\(key) is missing or not \(what)\(hint)")
    }

    func object(_ key: String) throws(DatabaseError) -> [String: Any] {
        guard let value = root[key] as? [String: Any] else { throw fail(key, "an object") }
        return value
    }

    func string(_ key: String, in object: [String: Any]? = nil, at prefix: String? = nil) throws(DatabaseError) -> String {
        guard let value = (object ?? root)[key] as? String else { throw fail(prefix.map { "\($0).\(key)" } ?? key, "text") }
        return value
    }

    func int(_ key: String, in object: [String: Any], at prefix: String) throws(DatabaseError) -> Int {
        guard let number = object[key] as? Int else { throw fail("\(prefix).\(key)", "a whole number") }
        return number
    }

    func strings(_ key: String) throws(DatabaseError) -> [String] {
        guard let values = root[key] as? [String] else { throw fail(key, "a list of text") }
        return values
    }

    func period() throws(DatabaseError) -> Period {
        let period = try object("period")
        guard let from = LocalDate(iso: try string("from", in: period, at: "period")),
              let to = LocalDate(iso: try string("to", in: period, at: "period"))
        else { throw fail("period", "two dates YYYY-MM-DD") }
        return Period(from: from, to: to)
    }

    /// `freshness.as_of`, when the run judged freshness.
    func asOf() throws(DatabaseError) -> String? {
        guard let freshness = root["freshness"], !(freshness is NSNull) else { return nil }
        guard let object = freshness as? [String: Any] else { throw fail("freshness", "an object or null") }
        return object["as_of"] as? String
    }

    func files() throws(DatabaseError) -> [FileReport] {
        guard let list = try object("accounting")["files"] as? [[String: Any]] else {
            throw fail("accounting.files", "a list of objects")
        }
        var files: [FileReport] = []
        for (index, entry) in list.enumerated() {
            let at = "accounting.files[\(index)]"
            let statusText = try string("status", in: entry, at: at)
            guard let status = FileReport.Status(rawValue: statusText) else { throw fail("\(at).status", "ok or failed") }
            guard let bytes = entry["bytes"] as? Int else { throw fail("\(at).bytes", "a whole number") }
            files.append(FileReport(
                path: try string("path", in: entry, at: at), source: try string("source", in: entry, at: at),
                bytes: Int64(bytes), sha256: try string("sha256", in: entry, at: at), status: status,
                error: entry["error"] as? String, line: entry["line"] as? Int,
                exportTime: entry["export_time"] as? String, records: try int("records", in: entry, at: at),
                rejected: try int("rejected", in: entry, at: at)))
        }
        return files
    }
}
