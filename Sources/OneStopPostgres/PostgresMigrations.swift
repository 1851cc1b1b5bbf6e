import Logging
import OneStopDatabase
import PostgresNIO

/// `DatabaseSchema`'s migrations applied to PostgreSQL, in the schema `onestop`, in one
/// transaction under an advisory lock (two first runs at once create it once). Sets the
/// connection's `search_path` to that schema.
enum PostgresMigrations {
    static func migrate(_ connection: PostgresConnection, name: String, logger: Logger) async throws {
        let schema = DatabaseSchema.postgresSchema
        try await connection.query("BEGIN", logger: logger)
        do {
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('onestop-schema'))", logger: logger)
            if try await count(connection, "SELECT COUNT(*) FROM pg_namespace WHERE nspname = \(schema)", logger) == 0 {
                try await connection.query("CREATE SCHEMA \(unescaped: schema)", logger: logger)
            }
            try await connection.query("SET search_path TO \(unescaped: schema)", logger: logger)
            var applied = 0
            let hasVersions = try await count(
                connection,
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = \(schema) AND table_name = 'schema_version'",
                logger)
            if hasVersions == 0 {
                let others = try await count(
                    connection, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = \(schema)", logger)
                guard others == 0 else {
                    throw DatabaseError.foreign(
                        database: name, reason: "its schema '\(schema)' holds \(others) other table(s) and no schema_version")
                }
                try await connection.query(PostgresQuery(unsafeSQL: DatabaseSchema.versionTable(.postgres)), logger: logger)
            } else {
                applied = try await count(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_version", logger)
            }
            guard applied <= DatabaseSchema.currentVersion else {
                throw DatabaseError.newerSchema(database: name, found: applied, known: DatabaseSchema.currentVersion)
            }
            for migration in DatabaseSchema.migrations(for: .postgres) where migration.version > applied {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_version (version, description, applied_at) VALUES (\(migration.version), \(migration.description), now())",
                    logger: logger)
            }
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    static func count(_ connection: PostgresConnection, _ query: PostgresQuery, _ logger: Logger) async throws -> Int {
        var value = 0
        for try await number in try await connection.query(query, logger: logger).decode(Int.self) { value = number }
        return value
    }
}
