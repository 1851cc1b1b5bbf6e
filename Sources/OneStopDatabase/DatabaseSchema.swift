/// The tables and views a run's figures are kept in, the same in the SQLite history and in
/// PostgreSQL (README "Figures in a database" documents every column), and the migrations that
/// build them: a database records the migrations applied in `schema_version`; an older one is
/// brought up to date, a newer one refused.
public enum DatabaseSchema {
    /// One step of the schema: the statements that take a database from `version - 1` to `version`.
    public struct Migration: Sendable {
        public var version: Int
        public var description: String
        public var statements: [String]
    }

    /// The version this onestop writes.
    public static var currentVersion: Int { migrations(for: .sqlite).last!.version }

    /// Where PostgreSQL keeps the tables: a schema of their own, so that a database shared with
    /// other applications never has a table of theirs touched (SQLite: the history file's own).
    public static let postgresSchema = "onestop"

    /// The tables of one run, in the order they are written (`runs` first: the others refer to it).
    public static let runTables = ["runs", "figures", "files", "rejects", "dossiers"]

    /// Every migration, oldest first.
    public static func migrations(for dialect: SQLDialect) -> [Migration] {
        [
            Migration(version: 1, description: "runs, figures, files, rejects, dossiers", statements: tables(dialect)),
            Migration(version: 2, description: "views latest_runs and scorecard_over_time", statements: views),
        ]
    }

    /// The table that records the migrations applied (created before the first migration).
    public static func versionTable(_ dialect: SQLDialect) -> String {
        """
        CREATE TABLE schema_version (
            version INTEGER PRIMARY KEY,
            description TEXT NOT NULL,
            applied_at \(dialect.timestamp) NOT NULL
        )
        """
    }

    /// Every statement that creates the current schema on an empty database, version table first.
    public static func creation(_ dialect: SQLDialect) -> [String] {
        [versionTable(dialect)] + migrations(for: dialect).flatMap(\.statements)
    }

    private static func tables(_ dialect: SQLDialect) -> [String] {
        [
            """
            CREATE TABLE runs (
                id \(dialect.runKey),
                identity TEXT NOT NULL UNIQUE,
                pipeline TEXT NOT NULL,
                period_from \(dialect.date) NOT NULL,
                period_to \(dialect.date) NOT NULL,
                period_kind TEXT NOT NULL,
                timezone TEXT NOT NULL,
                as_of TEXT,
                recorded_at \(dialect.timestamp) NOT NULL,
                configuration_fingerprint TEXT NOT NULL,
                inputs_sha256 TEXT NOT NULL,
                exit_status INTEGER NOT NULL,
                files INTEGER NOT NULL,
                failed_files INTEGER NOT NULL,
                records_read BIGINT NOT NULL,
                rejected BIGINT NOT NULL,
                superseded BIGINT NOT NULL,
                not_accepted BIGINT NOT NULL,
                kept BIGINT NOT NULL,
                dossiers BIGINT,
                problems TEXT NOT NULL
            )
            """,
            "CREATE INDEX runs_by_period ON runs (pipeline, period_from, period_to)",
            """
            CREATE TABLE figures (
                run_id BIGINT NOT NULL REFERENCES runs (id),
                scope TEXT NOT NULL,
                dimension TEXT NOT NULL,
                key TEXT NOT NULL,
                measure TEXT NOT NULL,
                numerator BIGINT NOT NULL,
                denominator BIGINT,
                value NUMERIC,
                target NUMERIC,
                met BOOLEAN
            )
            """,
            "CREATE INDEX figures_by_run ON figures (run_id, scope)",
            """
            CREATE TABLE files (
                run_id BIGINT NOT NULL REFERENCES runs (id),
                path TEXT NOT NULL,
                source TEXT NOT NULL,
                bytes BIGINT NOT NULL,
                sha256 TEXT NOT NULL,
                status TEXT NOT NULL,
                export_time TEXT,
                records BIGINT NOT NULL,
                rejected BIGINT NOT NULL,
                error TEXT,
                line BIGINT
            )
            """,
            "CREATE INDEX files_by_run ON files (run_id)",
            """
            CREATE TABLE rejects (
                run_id BIGINT NOT NULL REFERENCES runs (id),
                file TEXT NOT NULL,
                line BIGINT NOT NULL,
                dossier_id TEXT,
                field TEXT NOT NULL,
                reason TEXT NOT NULL
            )
            """,
            "CREATE INDEX rejects_by_run ON rejects (run_id)",
            """
            CREATE TABLE dossiers (
                run_id BIGINT NOT NULL REFERENCES runs (id),
                source TEXT NOT NULL,
                dossier_id TEXT NOT NULL,
                agency TEXT,
                level TEXT,
                procedure TEXT,
                field TEXT,
                channel TEXT,
                return_method TEXT,
                status TEXT,
                received TEXT,
                due TEXT,
                effective_due TEXT,
                ended TEXT,
                supplement_requests BIGINT,
                digitised TEXT,
                postal TEXT,
                scope TEXT,
                class TEXT,
                days_late BIGINT
            )
            """,
            "CREATE INDEX dossiers_by_run ON dossiers (run_id, source, dossier_id)",
        ]
    }

    /// The latest run of each (pipeline, period): the one kept last (the greatest `id`).
    /// Written without window functions, so it reads alike in both databases.
    private static let views = [
        """
        CREATE VIEW latest_runs AS
        SELECT r.* FROM runs r
        WHERE NOT EXISTS (
            SELECT 1 FROM runs later
            WHERE later.pipeline = r.pipeline AND later.period_from = r.period_from
              AND later.period_to = r.period_to AND later.id > r.id
        )
        """,
        """
        CREATE VIEW scorecard_over_time AS
        SELECT r.pipeline, r.period_from, r.period_to, r.period_kind, f.run_id, r.exit_status,
               f.dimension, f.key, f.measure, f.numerator, f.denominator, f.value, f.target, f.met
        FROM latest_runs r JOIN figures f ON f.run_id = r.id
        WHERE f.scope = 'scorecard'
        """,
    ]
}
