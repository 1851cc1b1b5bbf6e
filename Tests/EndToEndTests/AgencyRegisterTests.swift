import Foundation
import Testing

/// The agency register: names in every table, codes it lacks warned about, bad rows refused.
@Suite("End to end: the agency register")
struct AgencyRegisterTests {
    @Test("Names appear beside codes in agencies.csv and procedures.csv; codes not registered are warned about")
    func namesInTables() throws {
        // The register lacks one agency code of the data: 000.23.01.H55.
        let register = try String(contentsOfFile: repositoryRoot + "/Fixtures/demo/agencies.csv", encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("000.23.01.H55,") }.joined(separator: "\n") + "\n"
        let named = try DemoVariant("register") { $0.replacingOccurrences(
            of: "agencies: ../Fixtures/demo/agencies.csv", with: "agencies: agencies.csv") }
        try register.write(toFile: named.folder.path + "/agencies.csv", atomically: true, encoding: .utf8)
        defer { named.folder.remove() }
        let result = try named.run(quiet: false)
        #expect(result.status == 0, "\(result.stderr)")
        let agencies = try named.output("agencies.csv").split(separator: "\n")
        #expect(agencies[0].hasPrefix("agency,level,agency_name,received_online,"))
        #expect(agencies.contains { $0.hasPrefix("000.00.21.H55,district,UBND huyện Đại Từ,") })
        #expect(agencies.contains { $0.hasPrefix("000.00.15.H55,province,\"Sở Lao động, Thương binh và Xã hội\",") })
        // Agencies counted under their source's name are not in the register: empty name, and no
        // warning (the missing agency is warned about as such).
        #expect(agencies.contains { $0.hasPrefix("tinh,province,,") })
        #expect(agencies.contains { $0.hasPrefix("000.23.01.H55,district,,") })
        let procedures = try named.output("procedures.csv").split(separator: "\n")
        #expect(procedures[0].hasPrefix("agency,procedure,procedure_name,agency_name,"))
        #expect(procedures.contains { $0.hasPrefix("000.00.12.H55,") && $0.contains(",Sở Tài nguyên và Môi trường,") })
        let warnings = try named.summary()["warnings"] as? [String: Any]
        #expect(warnings?["unregistered_agencies"] as? [String] == ["000.23.01.H55"])
        #expect(result.stderr.contains("1 agency code(s) are not in the agency register: 000.23.01.H55"), "\(result.stderr)")
        // The figures are those of a run without the register.
        let plain = try DemoVariant("no-register") { $0.replacingOccurrences(
            of: "agencies: ../Fixtures/demo/agencies.csv\n", with: "") }
        defer { plain.folder.remove() }
        #expect(try plain.run().status == 0)
        #expect(try named.output("progress.csv") == plain.output("progress.csv"))
        #expect(try plain.output("agencies.csv").hasPrefix("agency,level,"))
    }

    @Test("A bad or duplicate row: exit 78 naming the file, the row and what is allowed", arguments: [
        ("code,name,level,parent\nA,Một,province,\nA,Hai,district,\n", "row 3: agency code 'A' already appears in row 2"),
        ("code,name,level,parent\nA,Một,county,\n", "row 2: level is 'county'; allowed: province, district, commune"),
        ("code,name,level,parent\nA,Một,province,B\n", "row 2: parent 'B' of agency 'A' is not in the register"),
        ("code,name,level,parent\nA,,province,\n", "row 2: agency 'A' has no name"),
        ("code,name,level\nA,Một,province\n", "row 1: the header must be exactly 'code,name,level,parent'"),
        ("\u{FEFF}code,name,level,parent\nA,Một,province,\nB,Hai,district,A\n", nil),
    ] as [(String, String?)])
    func badRegisters(_ text: String, _ message: String?) throws {
        let variant = try DemoVariant("bad-register") { $0.replacingOccurrences(
            of: "agencies: ../Fixtures/demo/agencies.csv", with: "agencies: agencies.csv") }
        defer { variant.folder.remove() }
        try text.write(toFile: variant.folder.path + "/agencies.csv", atomically: true, encoding: .utf8)
        let result = try variant.run()
        if let message {
            #expect(result.status == 78, "\(result.stderr)")
            #expect(result.stderr.contains("agencies.csv:"), "\(result.stderr)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: variant.folder.path + "/out"))
        } else {
            #expect(result.status == 0, "a register with a byte-order mark is read: \(result.stderr)")
        }
    }
}
