import NIOCore
import NIOSSL
import OneStopDatabase
import PostgresNIO

/// postgres-nio's errors as messages a user can act on. postgres-nio hides its errors' details
/// from their descriptions (they may hold settings); what is safe to show is picked here: the
/// server's own message and SQLSTATE, or what the network said — never the password.
enum PostgresFailure {
    static func describe(_ error: any Error, target: PostgresTarget) -> DatabaseError {
        let name = "\(target)"
        if let error = error as? DatabaseError { return error }
        if error is ConnectionLost {
            return .unavailable(database: name, reason: "the connection was lost (the server stopped, or the network failed)")
        }
        if let error = error as? PostgresTransactionError {
            return describe(error.closureError ?? error.commitError ?? error.beginError ?? error.rollbackError ?? error, target: target)
        }
        if let error = error as? PSQLError {
            switch error.code {
            case .server:
                let state = error.serverInfo?[.sqlState] ?? ""
                let message = error.serverInfo?[.message] ?? "an error"
                if state.hasPrefix("28") {
                    return .unavailable(database: name, reason: "the server refused the login: \(message)")
                }
                if state.hasPrefix("08") || state.hasPrefix("57") || state.hasPrefix("53") || state == "3D000" {
                    return .unavailable(database: name, reason: "\(message) (SQLSTATE \(state))")
                }
                return .cannotWrite(database: name, reason: "\(message) (SQLSTATE \(state))")
            case .connectionError:
                return .unavailable(database: name, reason: "no connection: \(network(error.underlying))")
            case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
                return .unavailable(database: name, reason: "the connection was lost (the server stopped, or the network failed)")
            case .sslUnsupported:
                return .unavailable(database: name, reason: "the server does not offer TLS, which sslmode=\(target.tls.rawValue) asks for")
            case .failedToAddSSLHandler:
                return .unavailable(database: name, reason: "TLS could not be set up")
            case .authMechanismRequiresPassword:
                return .unavailable(database: name, reason: "the server asks for a password and the connection URL gives none")
            case .unsupportedAuthMechanism, .saslError:
                return .unavailable(database: name, reason: "the login failed (\(error.code))")
            default:
                return .unavailable(database: name, reason: "\(error.code)")
            }
        }
        return .unavailable(database: name, reason: network(error))
    }

    /// What the network or TLS layer said.
    private static func network(_ error: (any Error)?) -> String {
        switch error {
        case nil: "unknown"
        case let error as ChannelError: "\(error)"
        case let error as NIOSSLError: "TLS failed: \(error)"
        case let error as BoringSSLError: "TLS failed: \(error)"
        case let error?: "\(error)"
        }
    }
}
