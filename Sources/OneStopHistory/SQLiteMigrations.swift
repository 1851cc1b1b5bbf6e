import GRDB
import OneStopDatabase

/// `DatabaseSchema`'s migrations applied to an SQLite history.
enum SQLiteMigrations {
    /// The schema version of the file (0 when it has no table at all); throws when the file holds
    /// other tables than onestop's, or is newer than this onestop.
    static func appliedVersion(_ db: Database, name: String) throws -> Int {
        guard try db.tableExists("schema_version") else {
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")
            guard tables.isEmpty else {
                throw DatabaseError.foreign(
                    database: name,
                    reason: "it holds other tables (\(tables.prefix(3).joined(separator: ", "))\(tables.count > 3 ? ", …" : "")) and no schema_version")
            }
            return 0
        }
        let version = try Int.fetchOne(db, sql: "SELECT MAX(version) FROM schema_version") ?? 0
        guard version <= DatabaseSchema.currentVersion else {
            throw DatabaseError.newerSchema(database: name, found: version, known: DatabaseSchema.currentVersion)
        }
        return version
    }

    /// Brings the file to `DatabaseSchema.currentVersion` (or `target`), inside the caller's transaction.
    static func migrate(_ db: Database, name: String, upTo target: Int = DatabaseSchema.currentVersion) throws {
        let applied = try appliedVersion(db, name: name)
        if applied == 0 {
            try db.execute(sql: DatabaseSchema.versionTable(.sqlite))
        }
        for migration in DatabaseSchema.migrations(for: .sqlite) where migration.version > applied && migration.version <= target {
            for statement in migration.statements { try db.execute(sql: statement) }
            try db.execute(
                sql: "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                arguments: [migration.version, migration.description, RecordedAt.now()])
        }
    }
}
