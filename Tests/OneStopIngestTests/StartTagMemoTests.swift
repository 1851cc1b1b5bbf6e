import OneStopModel
import Testing
@testable import OneStopIngest

@Suite("Start tags are matched by parent and name, however often a name repeats")
struct StartTagMemoTests {
    @Test("A name mapped under one parent and not under another, over many records")
    func sameNameDifferentParents() throws {
        // DuocSoHoa is mapped under TepDinhKem only; MaHoSo is mapped under HoSo only.
        var records = ""
        for index in 0..<500 {
            records += """
              <HoSo>
                <DuocSoHoa>9</DuocSoHoa>
                <MaHoSo>ID-\(index)</MaHoSo>
                <TaiLieuNop><TepDinhKem><MaHoSo>inner</MaHoSo><DuocSoHoa>\(index % 2)</DuocSoHoa></TepDinhKem></TaiLieuNop>
                <TrangThaiHoSo>4</TrangThaiHoSo>
              </HoSo>

            """
        }
        let dir = TempDir()
        let path = dir.write("memo.xml", dvcqgDocument(records))
        let outcome = readAll(path)
        #expect(outcome.error == nil)
        try #require(outcome.records.count == 500)
        for (index, record) in outcome.records.enumerated() {
            #expect(record[.dossierID] == "ID-\(index)")
            #expect(record[.digitised] == nil)
            #expect(record.attachments == [[String(index % 2)]])
        }
    }
}
