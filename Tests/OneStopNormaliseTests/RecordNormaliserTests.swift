import OneStopModel
import Testing
@testable import OneStopNormalise

@Suite("Record normalisation and rejects (docs/contract.md §3.1, R1–R4)")
struct RecordNormaliserTests {
    let normaliser = try! RecordNormaliser(dialect: dvcqg, clock: hoChiMinh)

    func dossier(_ raw: RawRecord) -> Dossier? {
        if case .dossier(let dossier) = normaliser.normalise(raw, source: 2, file: "tinh/a.xml") { return dossier }
        return nil
    }

    func reject(_ raw: RawRecord) -> Reject? {
        if case .rejected(let reject) = normaliser.normalise(raw, source: 2, file: "tinh/a.xml") { return reject }
        return nil
    }

    @Test func validRecordBecomesACanonicalDossier() throws {
        let result = try #require(dossier(record()))
        #expect(result.source == 2)
        #expect(result.id == "000.00.12.H55-221115-00012")
        #expect(result.procedure == "1.004227")
        #expect(result.channel == .online)
        #expect(result.returnMethod == .postal)
        #expect(result.status == .returned)
        #expect(result.received == local(2022, 11, 15, 8, 30))
        #expect(result.due == local(2022, 11, 25, 17))
        #expect(result.end == local(2022, 11, 24, 10))
        #expect(result.digitised == false)
    }

    @Test("R1: codes are trimmed, NFC and upper-cased; whitespace-only counts as missing")
    func codesAreNormalised() throws {
        let decomposedField = "l\u{0111}"  // "lđ": đ has no decomposition; use a decomposable letter too
        let result = try #require(dossier(record([
            .procedureCode: "  1.004227a \n", .agency: " 000.00.12.h55 ", .field: decomposedField,
            .procedureName: "Ca\u{0302}\u{0301}p gia\u{0302}\u{0301}y", .dossierID: "\tabc-1 ",
        ])))
        #expect(result.procedure == "1.004227A")
        #expect(result.agency == "000.00.12.H55")
        #expect(result.field == "L\u{0110}")
        #expect(result.id == "ABC-1")
        #expect(result.procedureName == "Cấp giấy")
        #expect(result.procedureName?.unicodeScalars.count == 8)  // composed: C ấ p space g i ấ y
        let blank = try #require(reject(record([.dossierID: "   "])))
        #expect(blank.reason == .missingDossierID)
        #expect(blank.dossierID == nil)
        #expect(blank.field == "MaHoSo")
    }

    @Test("Each reject reason names the file, line, dossier id and source field", arguments: [
        (CanonicalField.procedureCode, nil as String?, "MaTTHC", RejectReason.missingProcedureCode),
        (.status, nil, "TrangThaiHoSo", .missingStatus),
        (.status, "11", "TrangThaiHoSo", .unmappedCode("11")),
        (.channel, "7", "KenhThucHien", .unmappedCode("7")),
        (.returnMethod, "2", "HinhThuc", .unmappedCode("2")),
        (.digitised, "x", "HoSoCoThanhPhanSoHoa", .unmappedCode("x")),
        (.due, "20220229170000", "NgayHenTra", .unparseableDate("20220229170000")),
        (.received, "2022-13-01", "NgayTiepNhan", .unparseableDate("2022-13-01")),
        (.finished, " chưa xác định ", "NgayKetThucXuLy", .unparseableDate("chưa xác định")),
        (.due, "20221114170000", "NgayHenTra", .dueBeforeReceived),
    ])
    func rejects(field: CanonicalField, value: String?, sourceName: String, reason: RejectReason) throws {
        let result = try #require(reject(record(line: 42, [field: value])))
        #expect(result.file == "tinh/a.xml")
        #expect(result.line == 42)
        #expect(result.dossierID == "000.00.12.H55-221115-00012")
        #expect(result.field == sourceName)
        #expect(result.reason == reason)
    }

    @Test("Accepted status without received date is rejected; status 1 and 3 are not")
    func receivedDateRule() throws {
        let accepted = try #require(reject(record([.received: nil, .status: "4", .finished: nil, .returned: nil])))
        #expect(accepted.reason == .missingReceivedDate)
        #expect(accepted.field == "NgayTiepNhan")
        #expect(dossier(record([.received: nil, .status: "1", .finished: nil, .returned: nil, .due: nil])) != nil)
        #expect(dossier(record([.received: nil, .status: "3", .finished: nil, .returned: nil, .due: nil])) != nil)
    }

    @Test("R3: the date rules apply to every status, status 1 and 3 included")
    func dateRulesApplyToEveryStatus() throws {
        let refused = try #require(reject(record([.status: "3", .received: "2022-13-01"])))
        #expect(refused.reason == .unparseableDate("2022-13-01"))
    }

    @Test("R3: due before received compares local days")
    func dueBeforeReceivedComparesDays() throws {
        // Due earlier in the same day as receipt: same local day, not "before".
        #expect(dossier(record([.received: "20221115083000", .due: "20221115070000"])) != nil)
        #expect(reject(record([.received: "20221115083000", .due: "20221114235959"]))?.reason == .dueBeforeReceived)
    }

    @Test("R3: a resolved status needs a finished or returned instant")
    func resolvedNeedsAnEnd() throws {
        let result = try #require(reject(record([.status: "9", .finished: nil, .returned: nil])))
        #expect(result.reason == .resolvedWithoutEnd)
        #expect(result.field == "NgayKetThucXuLy")
        let returnedOnly = try #require(dossier(record([.status: "10", .finished: nil])))
        #expect(returnedOnly.end == local(2022, 11, 25, 9))
        #expect(dossier(record([.status: "4", .finished: nil, .returned: nil])) != nil)
    }

    @Test("R2: missing channel is in person, missing HinhThuc is unknown, codes compare case-insensitively")
    func defaultsAndUnknownReturn() throws {
        let result = try #require(dossier(record([.channel: nil, .returnMethod: "  "])))
        #expect(result.channel == .inPerson)
        #expect(result.returnMethod == .unknown)
        var other = dvcqg
        other.channelCodes = ["TRUC_TUYEN": .online]
        let slug = try RecordNormaliser(dialect: other, clock: hoChiMinh)
        guard case .dossier(let online) = slug.normalise(record([.channel: " truc_tuyen "]), source: 0, file: "f") else {
            Issue.record("lower-case code should match the map")
            return
        }
        #expect(online.channel == .online)
    }

    @Test("Digitised: the record flag, or any attachment flag")
    func digitisedFlag() throws {
        var raw = record([.digitised: "0"])
        raw.attachments = [[nil], ["0"], ["1"]]
        #expect(try #require(dossier(raw)).digitised == true)
        raw.attachments = [["0"], [nil]]
        #expect(try #require(dossier(raw)).digitised == false)
        raw.attachments = [["2"]]
        #expect(try #require(reject(raw)).reason == .unmappedCode("2"))
        #expect(try #require(reject(raw)).field == "DuocSoHoa")
        #expect(try #require(dossier(record([.digitised: "1"]))).digitised == true)
        #expect(try #require(dossier(record([.digitised: nil]))).digitised == false)
    }

    @Test("Supplements: dates parsed, date-only new due is end of day, a bad date rejects the record")
    func supplements() throws {
        var raw = record()
        raw.supplements = [
            ["20221117090000", "20221118150000", "28/11/2022"],
            ["20221120090000", nil, nil],
            [nil, nil, nil],
        ]
        let result = try #require(dossier(raw))
        #expect(result.supplements == [
            Supplement(requested: local(2022, 11, 17, 9), answered: local(2022, 11, 18, 15),
                       newDue: local(2022, 11, 28, 23, 59, 59)),
            Supplement(requested: local(2022, 11, 20, 9)),
        ])
        raw.supplements = [["20221117090000", "20221132150000", nil]]
        let bad = try #require(reject(raw))
        #expect(bad.reason == .unparseableDate("20221132150000"))
        #expect(bad.field == "NgayBoSung")
        raw.supplements = [[nil, "20221118150000", nil]]
        #expect(try #require(reject(raw)).reason == .missingSupplementRequestDate)
    }
}
