import Testing
@testable import OneStopDatabase
@testable import OneStopPostgres

@Suite struct CopySpoolTests {
    @Test("COPY's text format: NULL, booleans, and text with backslash, tab, line feed and return escaped")
    func encoding() async throws {
        let spool = CopySpool(table: "t", columns: ["a"])
        try spool.append([.null, .bool(true), .bool(false), .integer(-12), .text("a\\b\tc\nd\re"), .decimal("0.5520"),
                          .date("2022-01-31"), .timestamp("2023-01-20T01:02:03.000004Z"), .text("Đà Nẵng")])
        var bytes: [UInt8] = []
        try await spool.forEachChunk { bytes += $0 }
        #expect(String(decoding: bytes, as: UTF8.self)
            == "\\N\tt\tf\t-12\ta\\\\b\\tc\\nd\\re\t0.5520\t2022-01-31\t2023-01-20T01:02:03.000004Z\tĐà Nẵng\n")
        #expect(spool.rows == 1)
    }

    @Test("Rows beyond the memory limit go to a file and come back whole, in order, in pieces of at most 1 MiB")
    func spillsToAFile() async throws {
        let spool = CopySpool(table: "t", columns: ["a", "b"])
        var expected: [UInt8] = []
        for index in 0..<120_000 {
            let values: [SQLValue] = [.integer(index), .text("row \(index) \u{09} with some text to make it longer")]
            try spool.append(values)
            for (position, value) in values.enumerated() {
                if position > 0 { expected.append(0x09) }
                CopySpool.encode(value, into: &expected)
            }
            expected.append(0x0A)
        }
        #expect(expected.count > 5 << 20)
        var received: [UInt8] = []
        var largest = 0
        try await spool.forEachChunk { chunk in
            received += chunk
            largest = max(largest, chunk.count)
        }
        #expect(received == expected)
        #expect(largest <= 1 << 20)
        #expect(spool.rows == 120_000)
    }
}
