import Foundation
import OneStopIngest
import OneStopModel
import Testing

@Suite("Parser safety: DTDs and entities (docs/contract.md §6, R8)")
struct ParserSafetyTests {
    /// A file whose content must never show up anywhere.
    static func secretFile(_ dir: TempDir) -> (path: String, secret: String) {
        let secret = "TOP-SECRET-\(UUID().uuidString)"
        return (dir.write("secret.txt", secret), secret)
    }

    static func everything(_ outcome: ReadOutcome) -> String {
        let values = outcome.records.flatMap { record in
            record.values + record.supplements.flatMap { $0 } + record.attachments.flatMap { $0 }
        }.compactMap { $0 }
        return (values + [outcome.summary?.exportTime ?? "", outcome.error?.message ?? ""]).joined(separator: "|")
    }

    @Test func externalEntityFailsAndIsNeverRead() {
        let dir = TempDir()
        let (secretPath, secret) = Self.secretFile(dir)
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE DanhSachHoSo [
              <!ENTITY xxe SYSTEM "file://\(secretPath)">
            ]>
            <DanhSachHoSo NgayXuat="&xxe;">
              <HoSo><MaHoSo>&xxe;</MaHoSo><TenTTHC>&xxe;</TenTTHC></HoSo>
            </DanhSachHoSo>
            """
        let outcome = readAll(dir.write("xxe.xml", xml))
        #expect(outcome.error == .entityDeclaration(line: 3))
        #expect(outcome.records.isEmpty)
        #expect(!Self.everything(outcome).contains(secret))
    }

    @Test func etcPasswdEntityFails() {
        let dir = TempDir()
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE DanhSachHoSo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
            <DanhSachHoSo><HoSo><MaHoSo>&xxe;</MaHoSo></HoSo></DanhSachHoSo>
            """
        let outcome = readAll(dir.write("xxe.xml", xml))
        #expect(outcome.error == .entityDeclaration(line: 2))
        #expect(!Self.everything(outcome).contains("root:"))
    }

    @Test func parameterEntityFails() {
        let dir = TempDir()
        let (secretPath, secret) = Self.secretFile(dir)
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE DanhSachHoSo [
              <!ENTITY % remote SYSTEM "file://\(secretPath)">
              %remote;
            ]>
            <DanhSachHoSo><HoSo><MaHoSo>A</MaHoSo></HoSo></DanhSachHoSo>
            """
        let outcome = readAll(dir.write("pe.xml", xml))
        #expect(outcome.error == .entityDeclaration(line: 3))
        #expect(!Self.everything(outcome).contains(secret))
    }

    @Test func unparsedEntityFails() {
        let dir = TempDir()
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE DanhSachHoSo [
              <!NOTATION gif SYSTEM "image/gif">
              <!ENTITY logo SYSTEM "logo.gif" NDATA gif>
            ]>
            <DanhSachHoSo><HoSo><MaHoSo>A</MaHoSo></HoSo></DanhSachHoSo>
            """
        let outcome = readAll(dir.write("ndata.xml", xml))
        #expect(outcome.error == .entityDeclaration(line: 4))
    }

    @Test func billionLaughsFailsFast() {
        let dir = TempDir()
        var xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE DanhSachHoSo [\n  <!ENTITY lol \"lol\">\n"
        var previous = "lol"
        for level in 1...9 {
            xml += "  <!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">\n"
            previous = "lol\(level)"
        }
        xml += "]>\n<DanhSachHoSo><HoSo><MaHoSo>A</MaHoSo><TenTTHC>&lol9;</TenTTHC></HoSo></DanhSachHoSo>\n"
        let path = dir.write("lol.xml", xml)
        let clock = ContinuousClock()
        var outcome = ReadOutcome()
        let elapsed = clock.measure { outcome = readAll(path) }
        #expect(outcome.error == .entityDeclaration(line: 3))
        #expect(outcome.records.isEmpty)
        #expect(elapsed < .seconds(1))
    }

    @Test func externalDTDFails() {
        let dir = TempDir()
        let (secretPath, _) = Self.secretFile(dir)
        let system = """
            <?xml version="1.0"?>
            <!DOCTYPE DanhSachHoSo SYSTEM "file://\(secretPath)">
            <DanhSachHoSo><HoSo><MaHoSo>A</MaHoSo></HoSo></DanhSachHoSo>
            """
        #expect(readAll(dir.write("sys.xml", system)).error == .externalDTD(line: 2))

        let publicID = """
            <?xml version="1.0"?>

            <!DOCTYPE DanhSachHoSo PUBLIC "-//ONESTOP//DTD X//EN" "http://127.0.0.1:9/x.dtd">
            <DanhSachHoSo><HoSo><MaHoSo>A</MaHoSo></HoSo></DanhSachHoSo>
            """
        let outcome = readAll(dir.write("pub.xml", publicID))
        #expect(outcome.error == .externalDTD(line: 3))
        #expect(outcome.error?.message.contains("external DTD") == true)
    }

    @Test func plainDoctypeIsAllowed() throws {
        let dir = TempDir()
        for doctype in [
            "<!DOCTYPE DanhSachHoSo>",
            "<!DOCTYPE DanhSachHoSo [ <!ELEMENT DanhSachHoSo ANY> <!ATTLIST DanhSachHoSo NgayXuat CDATA #IMPLIED> ]>",
        ] {
            let xml = "<?xml version=\"1.0\"?>\n\(doctype)\n<DanhSachHoSo NgayXuat=\"20221201020000\">\n"
                + dvcqgRecord(id: "A") + "</DanhSachHoSo>\n"
            let outcome = readAll(dir.write("doctype.xml", xml))
            #expect(outcome.error == nil, "\(doctype)")
            #expect(outcome.records.map { $0[.dossierID] } == ["A"])
            #expect(outcome.records.first?.line == 4)
            #expect(outcome.summary?.exportTime == "20221201020000")
        }
    }

    @Test func predefinedEntitiesNeedNoDeclaration() throws {
        let dir = TempDir()
        let xml = dvcqgDocument("<HoSo><MaHoSo>&lt;&gt;&amp;&apos;&quot;</MaHoSo></HoSo>\n")
        let outcome = readAll(dir.write("pre.xml", xml))
        #expect(outcome.error == nil)
        #expect(outcome.records.first?[.dossierID] == "<>&'\"")
    }
}
