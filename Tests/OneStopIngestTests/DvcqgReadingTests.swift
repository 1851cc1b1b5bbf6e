import Foundation
import OneStopIngest
import OneStopModel
import Testing

@Suite("Reading dvcqg exports")
struct DvcqgReadingTests {
    /// docs/contract.md §2.1's example record, with two supplement requests and two attachments.
    static let fullDocument = """
        <?xml version="1.0" encoding="UTF-8"?>
        <DanhSachHoSo MaDonVi="000.00.12.H55" NgayXuat="20221201020000">
          <HoSo>
            <MaHoSo>000.00.12.H55-221115-00012</MaHoSo>
            <MaTTHC>1.004227</MaTTHC>
            <TenTTHC>Cấp giấy phép xây dựng</TenTTHC>
            <MaLinhVuc>XD</MaLinhVuc>
            <DonViXuLy>000.00.12.H55</DonViXuLy>
            <KenhThucHien>2</KenhThucHien>
            <HinhThuc>1</HinhThuc>
            <ChuHoSo>Nguyễn Văn A</ChuHoSo>
            <SoDienThoai>0912345678</SoDienThoai>
            <SoGiayToChuHoSo>019064310053</SoGiayToChuHoSo>
            <Email>nguoidan@example.vn</Email>
            <DiaChiChuHoSo>Xóm 18, thị trấn Hùng Sơn</DiaChiChuHoSo>
            <NgayTiepNhan>20221115083000</NgayTiepNhan>
            <NgayHenTra>20221125170000</NgayHenTra>
            <NgayKetThucXuLy>20221124100000</NgayKetThucXuLy>
            <NgayTra>20221125090000</NgayTra>
            <TrangThaiHoSo>10</TrangThaiHoSo>
            <HoSoCoThanhPhanSoHoa>1</HoSoCoThanhPhanSoHoa>
            <TaiLieuNop>
              <TepDinhKem><TenTepDinhKem>don.pdf</TenTepDinhKem><DuocSoHoa>1</DuocSoHoa></TepDinhKem>
              <TepDinhKem><TenTepDinhKem>cccd.pdf</TenTepDinhKem><DuocSoHoa>0</DuocSoHoa></TepDinhKem>
            </TaiLieuNop>
            <DanhSachHoSoBoSung>
              <HoSoBoSung><NgayYeuCau>20221117090000</NgayYeuCau><NgayBoSung>20221118150000</NgayBoSung>
                <NgayHenTraMoi>20221128170000</NgayHenTraMoi></HoSoBoSung>
              <HoSoBoSung><NgayYeuCau>20221120090000</NgayYeuCau></HoSoBoSung>
            </DanhSachHoSoBoSung>
          </HoSo>
          <HoSo>
            <MaHoSo>000.00.12.H55-221116-00013</MaHoSo>
            <TrangThaiHoSo>2</TrangThaiHoSo>
          </HoSo>
        </DanhSachHoSo>

        """

    @Test func everyMappedFieldOfARecord() throws {
        let dir = TempDir()
        let outcome = readAll(dir.write("a.xml", Self.fullDocument))
        #expect(outcome.error == nil)
        try #require(outcome.records.count == 2)
        let record = outcome.records[0]
        #expect(record[.dossierID] == "000.00.12.H55-221115-00012")
        #expect(record[.procedureCode] == "1.004227")
        #expect(record[.procedureName] == "Cấp giấy phép xây dựng")
        #expect(record[.field] == "XD")
        #expect(record[.agency] == "000.00.12.H55")
        #expect(record[.channel] == "2")
        #expect(record[.returnMethod] == "1")
        #expect(record[.status] == "10")
        #expect(record[.received] == "20221115083000")
        #expect(record[.due] == "20221125170000")
        #expect(record[.finished] == "20221124100000")
        #expect(record[.returned] == "20221125090000")
        #expect(record[.digitised] == "1")
        #expect(record.line == 3)

        #expect(record.supplements == [
            ["20221117090000", "20221118150000", "20221128170000"],
            ["20221120090000", nil, nil],
        ])
        #expect(record.attachments == [["1"], ["0"]])

        let second = outcome.records[1]
        #expect(second[.dossierID] == "000.00.12.H55-221116-00013")
        #expect(second[.status] == "2")
        #expect(second[.procedureCode] == nil)
        #expect(second.supplements.isEmpty)
        #expect(second.attachments.isEmpty)
        #expect(second.line == 32)

        #expect(outcome.summary?.exportTime == "20221201020000")
        #expect(outcome.summary?.records == 2)
        let size = Int64(Self.fullDocument.utf8.count)
        #expect(outcome.summary?.bytesOnDisk == size)
        #expect(outcome.summary?.uncompressedBytes == size)
    }

    @Test func personalDataIsNeverCollected() throws {
        let dir = TempDir()
        let outcome = readAll(dir.write("a.xml", Self.fullDocument))
        try #require(outcome.records.count == 2)
        let collected = outcome.records.map { record in
            (record.values + record.supplements.flatMap { $0 } + record.attachments.flatMap { $0 })
                .compactMap { $0 }.joined(separator: "|")
        }.joined(separator: "\n") + (outcome.summary?.exportTime ?? "")
        for personal in ["Nguyễn Văn A", "0912345678", "019064310053", "nguoidan@example.vn", "Hùng Sơn", "don.pdf", "cccd.pdf"] {
            #expect(!collected.contains(personal))
        }
        // Unmapped elements do not leak into neighbouring values either.
        #expect(outcome.records[0][.procedureName] == "Cấp giấy phép xây dựng")
    }

    @Test func emptyGroupElementsStillCountAsEntries() throws {
        let dir = TempDir()
        let extra = """

                <DanhSachHoSoBoSung><HoSoBoSung/><HoSoBoSung><GhiChu>x</GhiChu></HoSoBoSung></DanhSachHoSoBoSung>
                <TaiLieuNop><TepDinhKem/></TaiLieuNop>
            """
        let outcome = readAll(dir.write("a.xml", dvcqgDocument(dvcqgRecord(id: "A", extra: extra))))
        try #require(outcome.records.count == 1)
        #expect(outcome.records[0].supplements == [[nil, nil, nil], [nil, nil, nil]])
        #expect(outcome.records[0].attachments == [[nil]])
    }

    @Test func firstOccurrenceOfAFieldWins() throws {
        let dir = TempDir()
        let xml = dvcqgDocument("""
              <HoSo><MaHoSo>FIRST</MaHoSo><MaHoSo>SECOND</MaHoSo><MaTTHC/><MaTTHC>LATE</MaTTHC></HoSo>

            """)
        let outcome = readAll(dir.write("a.xml", xml))
        try #require(outcome.records.count == 1)
        #expect(outcome.records[0][.dossierID] == "FIRST")
        // An empty element is present (empty text); the normaliser treats it as missing (R1).
        #expect(outcome.records[0][.procedureCode] == "")
    }

    @Test func valuesAreUntrimmedAndEntitiesAndCDATAAreDecoded() throws {
        let dir = TempDir()
        let xml = dvcqgDocument("""
              <HoSo>
                <MaHoSo>  A&amp;B &lt;1&gt; &#x110;&#273; </MaHoSo>
                <TenTTHC><![CDATA[Cấp <phép> & "xây dựng"]]></TenTTHC>
                <MaLinhVuc>X<!-- comment -->D<?pi skipped?>Z</MaLinhVuc>
                <DonViXuLy>a<b>not this</b>c</DonViXuLy>
                <MaTTHC>
                  1.004227
                </MaTTHC>
              </HoSo>

            """)
        let outcome = readAll(dir.write("a.xml", xml))
        try #require(outcome.records.count == 1)
        let record = outcome.records[0]
        #expect(record[.dossierID] == "  A&B <1> Đđ ")
        #expect(record[.procedureName] == "Cấp <phép> & \"xây dựng\"")
        #expect(record[.field] == "XDZ")
        #expect(record[.agency] == "ac")
        #expect(record[.procedureCode] == "\n      1.004227\n    ")
    }

    @Test func exportTimeFromTheRootAttributeIsRawText() throws {
        let dir = TempDir()
        let xml = """
            <DanhSachHoSo NgayXuat=" 20221201020000 "><HoSo><MaHoSo>A</MaHoSo></HoSo></DanhSachHoSo>
            """
        let outcome = readAll(dir.write("a.xml", xml))
        #expect(outcome.summary?.exportTime == " 20221201020000 ")
        #expect(outcome.records.count == 1)
    }

    @Test func exportTimeMissingIsNil() throws {
        let dir = TempDir()
        let outcome = readAll(dir.write("a.xml", "<DanhSachHoSo><HoSo><MaHoSo>A</MaHoSo></HoSo></DanhSachHoSo>"))
        #expect(outcome.error == nil)
        #expect(outcome.summary?.exportTime == nil)
        #expect(outcome.summary?.records == 1)
    }

    @Test func exportTimeFromHeaderElementText() throws {
        let dir = TempDir()
        let xml = """
            <DanhSachHoSo>
              <ThongTinXuat><NgayXuat>20230120020500</NgayXuat><NgayXuat>ignored</NgayXuat></ThongTinXuat>
              <HoSo><MaHoSo>A</MaHoSo><NgayXuat>not the export time</NgayXuat></HoSo>
            </DanhSachHoSo>
            """
        let outcome = readAll(dir.write("a.xml", xml), dialect: Dialects.dvcqgHeaderText)
        #expect(outcome.summary?.exportTime == "20230120020500")
        #expect(outcome.records.map { $0[.dossierID] } == ["A"])
    }

    @Test func recordLinesAreTheLinesOfTheStartTags() throws {
        let dir = TempDir()
        let xml = """
            <?xml version="1.0"?>
            <DanhSachHoSo NgayXuat="1">
              <HoSo><MaHoSo>L3</MaHoSo></HoSo>
              <HoSo>
                <MaHoSo>L4</MaHoSo>
              </HoSo>

              <!-- a
                   comment -->
              <HoSo
                  Extra="x"
                  ><MaHoSo>L10</MaHoSo></HoSo><HoSo><MaHoSo>L12</MaHoSo></HoSo>
              <HoSo><MaHoSo><![CDATA[
              ]]>L13</MaHoSo></HoSo>
              <HoSo><MaHoSo>L15</MaHoSo></HoSo>
            </DanhSachHoSo>
            """
        let outcome = readAll(dir.write("a.xml", xml))
        #expect(outcome.error == nil)
        #expect(outcome.records.map(\.line) == [3, 4, 10, 12, 13, 15])
    }

    @Test func recordLinesStayRightAcrossChunkBoundaries() throws {
        // Enough records that the 256 KiB chunks cut through many of them.
        let dir = TempDir()
        var body = ""
        for index in 0..<3000 {
            body += dvcqgRecord(id: "R\(index)")
        }
        let xml = dvcqgDocument(body)
        let outcome = readAll(dir.write("a.xml", xml))
        #expect(outcome.error == nil)
        try #require(outcome.records.count == 3000)
        let linesPerRecord = dvcqgRecord(id: "x").split(separator: "\n", omittingEmptySubsequences: false).count - 1
        for (index, record) in outcome.records.enumerated() {
            #expect(record.line == 3 + index * linesPerRecord)
            #expect(record[.dossierID] == "R\(index)")
            if record.line != 3 + index * linesPerRecord { break }
        }
    }

    @Test func namespacedElementsMatchOnLocalNames() throws {
        let dir = TempDir()
        let xml = """
            <?xml version="1.0"?>
            <ds:DanhSachHoSo xmlns:ds="urn:dvcqg" xmlns="urn:default" xmlns:x="urn:x" ds:NgayXuat="20221201020000">
              <ds:HoSo>
                <ds:MaHoSo>NS-1</ds:MaHoSo>
                <MaTTHC>1.004227</MaTTHC>
                <x:TrangThaiHoSo>10</x:TrangThaiHoSo>
                <ds:DanhSachHoSoBoSung><x:HoSoBoSung x:other="1"><ds:NgayYeuCau>20221117090000</ds:NgayYeuCau></x:HoSoBoSung></ds:DanhSachHoSoBoSung>
              </ds:HoSo>
              <HoSo><u:MaHoSo>UNDECLARED-PREFIX</u:MaHoSo></HoSo>
            </ds:DanhSachHoSo>
            """
        let outcome = readAll(dir.write("a.xml", xml))
        #expect(outcome.error == nil)
        try #require(outcome.records.count == 2)
        #expect(outcome.records[0][.dossierID] == "NS-1")
        #expect(outcome.records[0][.procedureCode] == "1.004227")
        #expect(outcome.records[0][.status] == "10")
        #expect(outcome.records[0].supplements == [["20221117090000", nil, nil]])
        #expect(outcome.summary?.exportTime == "20221201020000")
        // An undeclared prefix is a namespace error, not a well-formedness error: tolerated.
        #expect(outcome.records[1][.dossierID] == "UNDECLARED-PREFIX")
    }

    @Test func aValueSpanningManyParserChunksIsWhole() throws {
        let dir = TempDir()
        let long = String(repeating: "Thủ tục ", count: 70_000)  // ≈ 700 KB, under the cap
        let xml = dvcqgDocument("<HoSo><TenTTHC>\(long)</TenTTHC><MaHoSo>A</MaHoSo></HoSo>\n")
        let outcome = readAll(dir.write("a.xml", xml))
        #expect(outcome.error == nil)
        #expect(outcome.records.first?[.procedureName] == long)
        #expect(outcome.records.first?[.dossierID] == "A")
    }
}
