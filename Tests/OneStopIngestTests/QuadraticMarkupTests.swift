import Foundation
import Testing
@testable import OneStopIngest

/// Markup that libxml2 2.9 works through in time growing with its square (issue 12, item 6):
/// each is bounded, and past the bound the file fails with a message naming the limit and the
/// line. Everything at the bound still reads. No timing here (see `make bench`): these check the
/// verdicts, with libxml2 fed in small and in large chunks.
@Suite("Markup that would make libxml2 quadratic")
struct QuadraticMarkupTests {
    static let chunkSizes = [4096, ExportReader.chunkSize]

    /// `count` distinct attribute names: a, b, …, z, A, …, aa, ab, …
    static func names(_ count: Int) -> [String] {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return (0..<count).map { index in
            var value = index
            var name = ""
            repeat {
                name.append(letters[value % letters.count])
                value = value / letters.count - 1
            } while value >= 0
            return name
        }
    }

    /// A dvcqg document whose third line is `element`, inside a record that must then count.
    static func document(element: String, prolog: String = "") -> String {
        "<?xml version=\"1.0\"?>\n\(prolog)<DanhSachHoSo NgayXuat=\"20221201020000\">\n"
            + element + "\n" + dvcqgRecord(id: "A") + "</DanhSachHoSo>\n"
    }

    func read(_ text: String, readSize: Int) -> ReadOutcome {
        let dir = TempDir()
        return readAll(dir.write("hostile.xml", text), readSize: readSize)
    }

    @Test("An element with 1 000 attributes reads; one more fails the file, however many there are", arguments: chunkSizes)
    func attributesPerElement(readSize: Int) {
        let limit = ExportReader.maxAttributesPerElement
        let names = Self.names(200_000)
        let atLimit = read(Self.document(element: "<x " + names.prefix(limit).map { "\($0)=\"v\"" }.joined(separator: " ") + "/>"),
                           readSize: readSize)
        #expect(atLimit.error == nil)
        #expect(atLimit.records.map { $0[.dossierID] } == ["A"])
        for count in [limit + 1, 200_000] {
            let over = read(Self.document(element: "<x " + names.prefix(count).map { "\($0)=\"\"" }.joined(separator: " ") + "/>"),
                            readSize: readSize)
            #expect(over.error == .tooManyAttributes(limit: limit, line: 3), "\(count) attributes")
            #expect(over.error?.message == "an element has more than 1000 attributes (line 3)")
        }
    }

    @Test("Namespace declarations count as attributes", arguments: chunkSizes)
    func namespaceDeclarationsPerElement(readSize: Int) {
        let declarations = Self.names(100_000).map { "xmlns:\($0)=\"urn:\($0)\"" }
        let outcome = read(Self.document(element: "<x " + declarations.joined(separator: " ") + "/>"), readSize: readSize)
        #expect(outcome.error == .tooManyAttributes(limit: ExportReader.maxAttributesPerElement, line: 3))
        let half = declarations.prefix(600).joined(separator: " ")
        let mixed = read(Self.document(element: "<x \(half) " + Self.names(401).map { "\($0)=\"\"" }.joined(separator: " ") + "/>"),
                         readSize: readSize)
        #expect(mixed.error == .tooManyAttributes(limit: ExportReader.maxAttributesPerElement, line: 3))
    }

    @Test("256 namespaces in scope read; one more fails the file")
    func namespacesInScope() {
        let limit = ExportReader.maxNamespacesInScope
        func nested(_ levels: Int) -> String {
            (0..<levels).map { "<y xmlns:p\($0)a=\"urn:a\" xmlns:p\($0)b=\"urn:b\">" }.joined()
                + String(repeating: "</y>", count: levels)
        }
        let atLimit = read(Self.document(element: nested(limit / 2)), readSize: ExportReader.chunkSize)
        #expect(atLimit.error == nil)
        #expect(atLimit.records.count == 1)
        let over = read(Self.document(element: nested(limit / 2 + 1)), readSize: ExportReader.chunkSize)
        #expect(over.error == .tooManyNamespaces(limit: limit, line: 3))
    }

    @Test("16 default attribute values per element name read, and apply; a 17th fails the file")
    func attributeDefaults() {
        let limit = ExportReader.maxAttributeDefaultsPerElement
        func prolog(_ count: Int) -> String {
            "<!DOCTYPE DanhSachHoSo [\n<!ATTLIST x " + Self.names(count).map { "\($0) CDATA \"v\"" }.joined(separator: " ")
                + ">\n<!ATTLIST HoSo ghiChu CDATA #IMPLIED>\n]>\n"
        }
        let atLimit = read(Self.document(element: "<x/><x/>", prolog: prolog(limit)), readSize: ExportReader.chunkSize)
        #expect(atLimit.error == nil)
        #expect(atLimit.records.count == 1)
        let over = read(Self.document(element: "<x/>", prolog: prolog(limit + 1)), readSize: ExportReader.chunkSize)
        #expect(over.error == .tooManyAttributeDefaults(element: "x", limit: limit, line: 3))
        #expect(over.error?.message.contains("more than 16 default attribute values for <x>") == true)
    }

    @Test("An internal subset with 1 000 alternatives reads; more fail the file before libxml2 checks them", arguments: chunkSizes)
    func dtdAlternatives(readSize: Int) {
        let limit = ExportReader.maxDTDAlternatives
        func prolog(_ values: Int) -> String {
            "<!DOCTYPE DanhSachHoSo [\n<!ATTLIST x a (" + Self.names(values).joined(separator: "|") + ") #IMPLIED>\n]>\n"
        }
        let atLimit = read(Self.document(element: "<x a=\"b\"/>", prolog: prolog(limit + 1)), readSize: readSize)
        #expect(atLimit.error == nil)
        let over = read(Self.document(element: "<x/>", prolog: prolog(limit + 2)), readSize: readSize)
        #expect(over.error == .tooManyDTDAlternatives(limit: limit, line: 2))
        let huge = read(Self.document(element: "<x/>", prolog: prolog(40_000)), readSize: readSize)
        #expect(huge.error != nil)
    }

    @Test("A comment before the root element may be 64 KiB; a longer one fails the file", arguments: chunkSizes)
    func prologMarkup(readSize: Int) {
        let limit = ExportReader.maxPrologMarkupBytes
        let fits = read(Self.document(element: "", prolog: "<!--" + String(repeating: "a>", count: limit / 2 - 8) + "-->\n"),
                        readSize: readSize)
        #expect(fits.error == nil)
        #expect(fits.records.count == 1)
        let over = read(Self.document(element: "", prolog: "<!--" + String(repeating: "a>", count: limit) + "-->\n"),
                        readSize: readSize)
        #expect(over.error == .prologMarkupTooLong(limit: limit, line: 2))
    }

    @Test("Large markup full of '>' reads, and a tag after it in the same chunk is still counted", arguments: chunkSizes)
    func largeWaitingMarkup(readSize: Int) {
        let noise = String(repeating: "x>y ", count: 250_000)  // 1 MB
        let fine = read(Self.document(element: "<x a=\"\(noise)\"/><y><![CDATA[\(noise)]]></y><!--\(noise)-->"),
                        readSize: readSize)
        #expect(fine.error == nil)
        #expect(fine.records.map { $0[.dossierID] } == ["A"])
        let crowded = "<z " + Self.names(1_500).map { "\($0)=\"\"" }.joined(separator: " ") + "/>"
        let hidden = read(Self.document(element: "<x a=\"\(noise)\"/>\n" + crowded), readSize: readSize)
        #expect(hidden.error == .tooManyAttributes(limit: ExportReader.maxAttributesPerElement, line: 4))
    }

    @Test("UTF-16: attributes past the bound fail the file too")
    func utf16() {
        let names = Self.names(5_000)
        let text = Self.document(element: "<x " + names.map { "\($0)=\"\"" }.joined(separator: " ") + "/>")
            .replacingOccurrences(of: "<?xml version=\"1.0\"?>", with: "<?xml version=\"1.0\" encoding=\"UTF-16\"?>")
        let dir = TempDir()
        let bytes: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8($0 >> 8)] }
        let outcome = readAll(dir.write("utf16.xml", bytes), readSize: 4096)
        #expect(outcome.error == .tooManyAttributes(limit: ExportReader.maxAttributesPerElement, line: 3))
    }
}
