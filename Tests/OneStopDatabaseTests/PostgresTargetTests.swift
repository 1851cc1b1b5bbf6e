import Testing
@testable import OneStopDatabase
@testable import OneStopPostgres

@Suite struct PostgresTargetTests {
    @Test("A TCP URL: user, password (percent-decoded), host, port, database, TLS mode")
    func tcp() throws {
        let target = try PostgresTarget(url: "postgres://bi%40tinh:p%40ss%2Fw0rd@db.example.vn:6543/figures?sslmode=verify-full", variable: "V")
        #expect(target.user == "bi@tinh")
        #expect(target.password == "p@ss/w0rd")
        #expect(target.host == "db.example.vn")
        #expect(target.port == 6543)
        #expect(target.database == "figures")
        #expect(target.tls == .verifyFull)
        #expect(target.description == "PostgreSQL database 'figures' at db.example.vn:6543 as user 'bi@tinh'")
    }

    @Test("A Unix socket URL (host=/folder), with the defaults: port 5432, database = user, sslmode prefer")
    func socket() throws {
        let target = try PostgresTarget(url: "postgresql://onestop:secret@/?host=/run/postgresql", variable: "V")
        #expect(target.host == "/run/postgresql")
        #expect(target.port == 5432)
        #expect(target.database == "onestop")
        #expect(target.tls == .prefer)
        #expect(target.description == "PostgreSQL database 'onestop' at /run/postgresql/.s.PGSQL.5432 as user 'onestop'")
        #expect(try target.configuration().unixSocketPath == "/run/postgresql/.s.PGSQL.5432")
    }

    @Test("A URL that does not read is refused without being quoted (it may hold a password)", arguments: [
        "mysql://u:hunter2-SECRET@h/db",
        "postgres://:hunter2-SECRET@h/db",
        "postgres://u:hunter2-SECRET@h/db?sslmode=always",
        "postgres://u:hunter2-SECRET@h/db?options=-csearch_path",
        "postgres://u:hunter2-SECRET@h/db?port=none",
        "postgres://u:hunter2-SECRET@/db?host=/tmp&sslmode=require",
    ])
    func refused(url: String) {
        #expect {
            try PostgresTarget(url: url, variable: "DASHBOARD_URL")
        } throws: { error in
            guard case .configuration(let message)? = error as? DatabaseError else { return false }
            return message.hasPrefix("DASHBOARD_URL is not a PostgreSQL connection URL") && !message.contains("hunter2")
        }
    }
}
