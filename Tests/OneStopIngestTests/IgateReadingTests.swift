import Foundation
import OneStopIngest
import OneStopModel
import Testing

@Suite("Reading igate exports")
struct IgateReadingTests {
    static let document = """
        <?xml version="1.0" encoding="UTF-8"?>
        <BaoCao phienBan="2">
          <ThongTin donVi="UBND huyện" thoiDiemXuat="20/01/2023 02:00:00"/>
          <DuLieu>
            <hoSo ma="IG-0001" thuTuc="2.000123" linhVuc="TP" coQuan="000.12.34.H55" kenh="truc_tuyen"
                  traKetQua="buu_chinh" trangThai="da_tra_kq" soHoa="co" nguoiNop="Trần Thị Bí Mật">
              <tenThuTuc>Chứng thực bản sao từ bản chính</tenThuTuc>
              <nguoiNop hoTen="Trần Thị Bí Mật" dienThoai="0987654321" email="bimat@example.vn"/>
              <thoiGian tiepNhan="02/12/2022 08:30:00" henTra="05/12/2022" ketThuc="04/12/2022 16:00:00"
                        traKQ="05/12/2022 09:15:00"/>
              <boSung ngayYeuCau="03/12/2022 09:00:00" ngayNop="03/12/2022 15:00:00" henTraMoi="07/12/2022"/>
              <boSung ngayYeuCau="04/12/2022 09:00:00"/>
              <giayTo>
                <tep ten="don.pdf" soHoa="co"/>
                <tep ten="cmnd.pdf" soHoa="khong"/>
                <tep ten="anh.jpg"/>
              </giayTo>
            </hoSo>
            <hoSo ma="IG-0002" thuTuc="2.000124" trangThai="dang_xu_ly" ghiChu="A &amp; B &lt;c&gt; &#38;#38;">
              <thoiGian tiepNhan="03/12/2022"/>
            </hoSo>
          </DuLieu>
        </BaoCao>

        """

    @Test func attributesNestedAttributesAndHeaderExportTime() throws {
        let dir = TempDir()
        let outcome = readAll(dir.write("ig.xml", Self.document), dialect: Dialects.igate)
        #expect(outcome.error == nil)
        try #require(outcome.records.count == 2)
        let record = outcome.records[0]
        #expect(record.line == 5)
        #expect(record[.dossierID] == "IG-0001")
        #expect(record[.procedureCode] == "2.000123")
        #expect(record[.procedureName] == "Chứng thực bản sao từ bản chính")
        #expect(record[.field] == "TP")
        #expect(record[.agency] == "000.12.34.H55")
        #expect(record[.channel] == "truc_tuyen")
        #expect(record[.returnMethod] == "buu_chinh")
        #expect(record[.status] == "da_tra_kq")
        #expect(record[.digitised] == "co")
        #expect(record[.received] == "02/12/2022 08:30:00")
        #expect(record[.due] == "05/12/2022")
        #expect(record[.finished] == "04/12/2022 16:00:00")
        #expect(record[.returned] == "05/12/2022 09:15:00")
        #expect(record.supplements == [
            ["03/12/2022 09:00:00", "03/12/2022 15:00:00", "07/12/2022"],
            ["04/12/2022 09:00:00", nil, nil],
        ])
        #expect(record.attachments == [["co"], ["khong"], [nil]])

        let second = outcome.records[1]
        #expect(second.line == 19)
        #expect(second[.dossierID] == "IG-0002")
        #expect(second[.received] == "03/12/2022")
        #expect(second[.due] == nil)
        #expect(second[.channel] == nil)
        #expect(second.supplements.isEmpty)

        #expect(outcome.summary?.exportTime == "20/01/2023 02:00:00")
    }

    @Test func personalDataInAttributesIsNeverCollected() throws {
        let dir = TempDir()
        let outcome = readAll(dir.write("ig.xml", Self.document), dialect: Dialects.igate)
        let everything = outcome.records.flatMap { record in
            record.values + record.supplements.flatMap { $0 } + record.attachments.flatMap { $0 }
        }.compactMap { $0 }.joined(separator: "|")
        for personal in ["Trần Thị Bí Mật", "0987654321", "bimat@example.vn", "don.pdf", "UBND"] {
            #expect(!everything.contains(personal))
        }
    }

    @Test func attributeReferencesAreDecoded() throws {
        var dialect = Dialects.igate
        dialect.fields[.procedureName] = Dialects.path("@ghiChu")
        let dir = TempDir()
        let outcome = readAll(dir.write("ig.xml", Self.document), dialect: dialect)
        try #require(outcome.records.count == 2)
        // `&#38;#38;` in the file is the literal text `&#38;`.
        #expect(outcome.records[1][.procedureName] == "A & B <c> &#38;")
    }

    @Test func longStartTagsSpanningLinesGiveTheLineOfTheirStart() throws {
        let dir = TempDir()
        var xml = "<BaoCao><DuLieu>\n"
        var expected: [Int] = []
        var line = 2
        for index in 0..<200 {
            // Attributes spread over 0...4 lines, some values with newlines (normalised to spaces).
            let breaks = index % 5
            let spread = (0..<breaks).map { "\n        x\($0)=\"a\nb \(String(repeating: "v", count: index % 37))\"" }.joined()
            expected.append(line)
            xml += "  <hoSo ma=\"\(index)\" ghiChu=\"\(String(repeating: "w", count: index))\"\(spread)\n  thuTuc=\"p\"/>\n"
            line += 2 + 2 * breaks
        }
        xml += "</DuLieu></BaoCao>\n"
        let outcome = readAll(dir.write("ig.xml", xml), dialect: Dialects.igate)
        #expect(outcome.error == nil)
        #expect(outcome.records.map(\.line) == expected)
        #expect(outcome.records.last?[.procedureCode] == "p")
    }

    @Test func exportTimeAfterTheRecordsIsStillFound() throws {
        let dir = TempDir()
        let xml = """
            <BaoCao><DuLieu><hoSo ma="1"/><hoSo ma="2"/></DuLieu><ThongTin thoiDiemXuat="late"/></BaoCao>
            """
        let outcome = readAll(dir.write("ig.xml", xml), dialect: Dialects.igate)
        #expect(outcome.records.map { $0[.dossierID] } == ["1", "2"])
        #expect(outcome.summary?.exportTime == "late")
    }

    @Test func recordsOutsideTheRecordPathAreIgnored() throws {
        let dir = TempDir()
        let xml = """
            <BaoCao>
              <hoSo ma="top-level, not a record"/>
              <Khac><DuLieu><hoSo ma="wrong parent"/></DuLieu></Khac>
              <DuLieu><nhom><hoSo ma="too deep"/></nhom><hoSo ma="real"/></DuLieu>
            </BaoCao>
            """
        let outcome = readAll(dir.write("ig.xml", xml), dialect: Dialects.igate)
        #expect(outcome.error == nil)
        #expect(outcome.records.map { $0[.dossierID] } == ["real"])
        #expect(outcome.records.map(\.line) == [4])
    }
}
