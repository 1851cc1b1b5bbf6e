import OneStopEmit
import OneStopModel

extension RunRecord {
    /// What a run writes, from its report: the figures of `figures.csv`, the files of
    /// `summary.json`, the rows of `rejects.csv` and, when the run writes it, `dossiers.csv`.
    public init(report: RunReport) throws(DatabaseError) {
        guard let fingerprint = report.configurationFingerprint else {
            throw .configuration("the run's report has no configuration fingerprint")
        }
        let accounting = report.accounting
        let problems = report.problems.map(\.description)
        run = RunRow(
            identity: RunIdentity(
                pipeline: report.pipeline, period: report.period, configurationFingerprint: fingerprint,
                files: accounting.files),
            pipeline: report.pipeline, period: report.period, timezone: report.timezone, asOf: report.asOf,
            exitStatus: problems.isEmpty ? 0 : 65,
            accounting: RunRow.Accounting(
                files: accounting.files.count, failedFiles: accounting.files.count { $0.status == .failed },
                recordsRead: accounting.recordsRead, rejected: accounting.rejected, superseded: accounting.superseded,
                notAccepted: accounting.notAccepted, kept: accounting.kept),
            dossiers: report.dossiers?.count, problems: problems)
        figures = FiguresTable.rows(of: report).map { row in
            FigureRow(
                scope: row.scope, dimension: row.dimension, key: row.key, measure: row.measure, numerator: row.numerator,
                denominator: row.denominator, value: row.value, target: row.target.map(SummaryJSON.decimalText),
                met: row.met)
        }
        files = accounting.files
        rejects = report.rejects.map {
            RejectRow(file: $0.file, line: $0.line, dossierID: $0.dossierID, field: $0.field, reason: $0.reason.description)
        }
        dossiers = report.dossiers.map(DossierSource.init)
    }
}
