import Foundation
import Testing

/// A private PostgreSQL server made by `scripts/postgres-test-server.sh`: `make test-postgres`
/// starts one and names its folder in `ONESTOP_TEST_POSTGRES`; a test that must stop a server
/// starts one of its own. The folder holds the server's `port` and the password of user `onestop`.
struct PostgresServer: Sendable {
    let folder: String
    let port: String
    let password: String

    static let script = repositoryRoot + "/scripts/postgres-test-server.sh"

    /// The server `make test-postgres` started, when it did.
    static let shared: PostgresServer? = ProcessInfo.processInfo.environment["ONESTOP_TEST_POSTGRES"].flatMap {
        $0.isEmpty ? nil : try? PostgresServer(folder: $0)
    }

    init(folder: String) throws {
        self.folder = folder
        port = try String(contentsOfFile: folder + "/port", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        password = try String(contentsOfFile: folder + "/password", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts a server of its own in a new folder (stop it with `stop()`).
    static func start() throws -> PostgresServer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onestop-pg-\(UUID().uuidString)").path
        _ = try tool(["sh", script, "start", folder])
        return try PostgresServer(folder: folder)
    }

    func kill() throws { _ = try tool(["sh", Self.script, "kill", folder]) }
    func restart() throws { _ = try tool(["sh", Self.script, "restart", folder]) }

    func stop() {
        _ = try? tool(["sh", Self.script, "stop", folder])
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The connection URL over the Unix socket.
    func socketURL(database: String, password: String? = nil) -> String {
        "postgres://onestop:\(password ?? self.password)@/\(database)?host=\(folder)&port=\(port)"
    }

    /// The connection URL over TCP on 127.0.0.1 (the server takes TLS only there).
    func tcpURL(database: String, sslmode: String) -> String {
        "postgres://onestop:\(password)@127.0.0.1:\(port)/\(database)?sslmode=\(sslmode)"
    }

    /// Runs SQL with `psql` — an independent client — and returns its rows (`|` between columns).
    func psql(_ database: String, _ sql: String) throws -> [String] {
        try tool(
            ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", folder, "-p", port, "-U", "onestop", "-d", database,
             "-c", sql],
            environment: ["PGPASSWORD": password])
    }

    /// A new, empty database for one test.
    func createDatabase(_ prefix: String) throws -> String {
        let name = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
        _ = try psql("postgres", "CREATE DATABASE \(name)")
        return name
    }
}
