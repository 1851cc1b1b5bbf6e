import Foundation
import Testing
@testable import OneStopDatabase

@Suite struct CSVFileReaderTests {
    static func rows(_ text: String, bufferSize: Int) throws -> [[String]] {
        let folder = Folder("csv-reader")
        let path = folder.file("t.csv")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let reader = try CSVFileReader(path: path, bufferSize: bufferSize)
        var rows: [[String]] = []
        while let row = try reader.next() { rows.append(row) }
        return rows
    }

    static let expected = [
        ["a", "b", "c"],
        ["comma, inside", "quote \" inside", "line\nbreak\r\nkept"],
        ["", "Đà Nẵng", ""],
        ["\"", "x", "last"],
    ]

    @Test("Quotes, commas, line breaks inside quotes, empty fields, UTF-8; LF or BOM + CRLF; any read size",
          arguments: [4, 5, 7, 64, 1 << 20])
    func readsWhatTheWriterWrites(bufferSize: Int) throws {
        let lf = "a,b,c\n\"comma, inside\",\"quote \"\" inside\",\"line\nbreak\r\nkept\"\n,Đà Nẵng,\n\"\"\"\",x,last\n"
        #expect(try Self.rows(lf, bufferSize: bufferSize) == Self.expected)
        let excel = "\u{FEFF}a,b,c\r\n\"comma, inside\",\"quote \"\" inside\",\"line\nbreak\r\nkept\"\r\n,Đà Nẵng,\r\n\"\"\"\",x,last\r\n"
        #expect(try Self.rows(excel, bufferSize: bufferSize) == Self.expected)
        #expect(try Self.rows("a,b\nc,d", bufferSize: bufferSize) == [["a", "b"], ["c", "d"]])
    }

    @Test("A damaged file is refused, naming the row", arguments: [
        ("a,b\n\"cut off,c\n", "row 2: the file ends inside a quoted field"),
        ("a,b\nx\"y,z\n", "row 2: a quote inside an unquoted field"),
        ("a,b\n\"x\"y,z\n", "row 2: text after a field's closing quote"),
    ])
    func damaged(text: String, message: String) throws {
        #expect {
            try Self.rows(text, bufferSize: 1 << 20)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test("A field that is not UTF-8 is refused")
    func notUTF8() throws {
        let folder = Folder("csv-reader-bytes")
        let path = folder.file("t.csv")
        try Data([0x61, 0x2C, 0xC3, 0x28, 0x0A]).write(to: URL(fileURLWithPath: path))
        let reader = try CSVFileReader(path: path)
        #expect(throws: DatabaseError.unreadableOutputSet(path: path, reason: "row 1: a field is not UTF-8")) {
            try reader.next()
        }
    }
}
