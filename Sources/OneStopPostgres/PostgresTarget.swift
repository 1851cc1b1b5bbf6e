import Foundation
import NIOCore
import NIOSSL
import OneStopDatabase
import PostgresNIO

/// Where and how to reach a PostgreSQL database, read from a connection URL
/// (`postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=require`, or over a Unix socket with
/// `?host=/run/postgresql`). The password is kept for the login only: `description`, and every
/// message built from it, never contains it.
public struct PostgresTarget: Sendable, CustomStringConvertible {
    /// libpq's `sslmode`: whether to use TLS and how far to trust the server's certificate.
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var user: String
    var password: String?
    public var database: String
    /// A host name or address, or the folder of a Unix socket (starts with `/`).
    public var host: String
    public var port: Int
    public var tls: TLSMode
    /// `sslrootcert`: the CA certificates to verify the server's certificate against (else the system's).
    public var rootCertificates: String?
    /// `connect_timeout`, in seconds.
    public var connectTimeout: Int64 = 10

    static let queryKeys = ["host", "port", "sslmode", "sslrootcert", "connect_timeout", "application_name"]

    /// Reads a connection URL; `variable` names where it came from, for messages (which never
    /// quote the URL: it may hold a password).
    public init(url text: String, variable: String) throws(DatabaseError) {
        func fail(_ what: String) -> DatabaseError {
            .configuration(
                "\(variable) is not a PostgreSQL connection URL of the form "
                    + "postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=require: \(what)")
        }
        guard let components = URLComponents(string: text.trimmingCharacters(in: .whitespaces)) else {
            throw fail("it does not read as a URL (a character such as @ or / in the password must be written %40, %2F)")
        }
        guard let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme.lowercased()) else {
            throw fail("it must start with postgres:// or postgresql://")
        }
        guard let user = components.user, !user.isEmpty else { throw fail("it names no user (USER@ before the host)") }
        self.user = user
        password = components.password
        host = components.host ?? ""
        port = components.port ?? 5432
        tls = .prefer
        var path = components.path
        if path.hasPrefix("/") { path.removeFirst() }
        database = path.isEmpty ? user : path
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "host": host = value
            case "port":
                guard let number = Int(value), (1...65535).contains(number) else { throw fail("port=\(value) is not a port number") }
                port = number
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw fail("sslmode=\(value) is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tls = mode
            case "sslrootcert": rootCertificates = value
            case "connect_timeout":
                guard let seconds = Int64(value), seconds > 0 else { throw fail("connect_timeout=\(value) is not a number of seconds") }
                connectTimeout = seconds
            case "application_name": break
            default:
                throw fail("the parameter '\(item.name)' is not known (known: \(Self.queryKeys.joined(separator: ", ")))")
            }
        }
        if host.isEmpty { host = "localhost" }
        if isUnixSocket, tls == .require || tls == .verifyCA || tls == .verifyFull {
            throw fail("sslmode=\(tls.rawValue) asks for TLS, which a Unix socket (host=\(host)) does not use")
        }
    }

    var isUnixSocket: Bool { host.hasPrefix("/") }

    /// `PostgreSQL database DB at HOST:PORT as USER` — what messages name; never the password.
    public var description: String {
        let place = isUnixSocket ? "\(host)/.s.PGSQL.\(port)" : "\(host):\(port)"
        return "PostgreSQL database '\(database)' at \(place) as user '\(user)'"
    }

    /// The connection settings for postgres-nio.
    func configuration() throws(DatabaseError) -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if isUnixSocket {
            configuration = .init(
                unixSocketPath: "\(host)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            configuration = .init(
                host: host, port: port, username: user, password: password, database: database, tls: try tlsSetting())
        }
        configuration.options.connectTimeout = .seconds(connectTimeout)
        return configuration
    }

    private func tlsSetting() throws(DatabaseError) -> PostgresConnection.Configuration.TLS {
        guard tls != .disable else { return .disable }
        var settings = TLSConfiguration.makeClientConfiguration()
        switch tls {
        case .disable, .allow, .prefer, .require: settings.certificateVerification = .none
        case .verifyCA: settings.certificateVerification = .noHostnameVerification
        case .verifyFull: settings.certificateVerification = .fullVerification
        }
        if let rootCertificates { settings.trustRoots = .file(rootCertificates) }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: settings)
        } catch {
            throw .configuration("\(self): the TLS settings do not load (sslrootcert=\(rootCertificates ?? "")): \(error)")
        }
        return tls == .allow || tls == .prefer ? .prefer(context) : .require(context)
    }
}
