import Foundation
import OneStopDatabase
import OneStopHistory

/// `onestop history`: what a run history holds, as text for a terminal or CSV for a chart.
public struct HistoryQuery: Sendable {
    public var path: String

    public init(path: String) {
        self.path = path
    }

    /// Every run kept, one line each, aligned; `*` marks the latest run of its (pipeline, period).
    public func list() throws(RunError) -> String {
        let history = try open()
        let runs = try reading { () throws(DatabaseError) in try history.runs() }
        guard !runs.isEmpty else { return "\(path) holds no run yet\n" }
        var rows = [["", "id", "identity", "pipeline", "period", "kind", "recorded (UTC)", "exit", "files", "read", "kept", "rejected", "dossiers"]]
        for run in runs {
            rows.append([
                run.isLatest ? "*" : "", String(run.id), String(run.identity.prefix(12)), run.pipeline, "\(run.periodFrom)..\(run.periodTo)",
                run.periodKind, String(run.recordedAt.prefix(19)).replacingOccurrences(of: "T", with: " "),
                String(run.exitStatus), String(run.files), String(run.recordsRead), String(run.kept), String(run.rejected),
                run.dossiers.map(String.init) ?? "–",
            ])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        let numeric: Set = [1, 7, 8, 9, 10, 11, 12]
        return rows.map { row in
            row.indices.map { column in
                let padding = String(repeating: " ", count: widths[column] - row[column].count)
                return numeric.contains(column) ? padding + row[column] : row[column] + padding
            }
            .joined(separator: "  ").trimmingTrailingSpaces()
        }
        .joined(separator: "\n") + "\n* the latest run of its pipeline and period: the one comparisons and scorecard_over_time use\n"
    }

    /// One measure over time as CSV (`pipeline,period_from,period_to,dimension,key,measure,numerator,denominator,value`),
    /// from the latest run of each period, oldest first.
    public func series(measure: String, dimension: String, pipeline: String?) throws(RunError) -> String {
        let history = try open()
        let points = try reading { () throws(DatabaseError) in
            try history.series(measure: measure, dimension: dimension, pipeline: pipeline)
        }
        var text = "pipeline,period_from,period_to,dimension,key,measure,numerator,denominator,value\n"
        for point in points {
            text += [point.pipeline, point.periodFrom, point.periodTo, dimension, point.key, point.measure,
                     String(point.numerator), point.denominator.map(String.init) ?? "", point.value]
                .map(Self.csvField).joined(separator: ",") + "\n"
        }
        return text
    }

    private func open() throws(RunError) -> HistoryDatabase {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .noInput("no run history at \(path): name one (onestop history PATH), or run a pipeline first")
        }
        do {
            return try HistoryDatabase(path: path)
        } catch {
            throw .database(error)
        }
    }

    private func reading<T>(_ body: () throws(DatabaseError) -> T) throws(RunError) -> T {
        do {
            return try body()
        } catch {
            throw .database(error)
        }
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
