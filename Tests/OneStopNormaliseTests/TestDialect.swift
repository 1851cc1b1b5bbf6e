import OneStopModel

/// The `dvcqg` dialect of `Pipelines/dialects/dvcqg.yaml`, built in code so this stage's tests
/// need no YAML loader.
let dvcqg = Dialect(
    name: "dvcqg",
    recordPath: ["DanhSachHoSo", "HoSo"],
    exportTime: FieldPath(elements: ["DanhSachHoSo"], attribute: "NgayXuat"),
    fields: [
        .dossierID: FieldPath(elements: ["MaHoSo"]), .procedureCode: FieldPath(elements: ["MaTTHC"]),
        .procedureName: FieldPath(elements: ["TenTTHC"]), .field: FieldPath(elements: ["MaLinhVuc"]),
        .agency: FieldPath(elements: ["DonViXuLy"]), .channel: FieldPath(elements: ["KenhThucHien"]),
        .returnMethod: FieldPath(elements: ["HinhThuc"]), .status: FieldPath(elements: ["TrangThaiHoSo"]),
        .received: FieldPath(elements: ["NgayTiepNhan"]), .due: FieldPath(elements: ["NgayHenTra"]),
        .finished: FieldPath(elements: ["NgayKetThucXuLy"]), .returned: FieldPath(elements: ["NgayTra"]),
        .digitised: FieldPath(elements: ["HoSoCoThanhPhanSoHoa"]),
    ],
    supplements: RepeatedGroup(
        path: ["DanhSachHoSoBoSung", "HoSoBoSung"],
        fields: [
            .requested: FieldPath(elements: ["NgayYeuCau"]), .answered: FieldPath(elements: ["NgayBoSung"]),
            .newDue: FieldPath(elements: ["NgayHenTraMoi"]),
        ]),
    attachments: RepeatedGroup(path: ["TaiLieuNop", "TepDinhKem"], fields: [.digitised: FieldPath(elements: ["DuocSoHoa"])]),
    channelCodes: ["1": .inPerson, "2": .online, "3": .postal],
    returnCodes: ["0": .inPerson, "1": .postal],
    statusCodes: Dictionary(uniqueKeysWithValues: Status.allCases.map { (String($0.rawValue), $0) }),
    defaults: [.channel: "1"],
    dateFormats: ["yyyyMMddHHmmss", "dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy", "iso8601"]
)

let hoChiMinh = LocalClock(identifier: "Asia/Ho_Chi_Minh")!

/// The instant of a local wall-clock time in Hồ Chí Minh City (UTC+7).
func local(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Instant {
    let date = LocalDate(year: year, month: month, day: day)!
    return Instant(secondsSinceEpoch: date.daysSinceEpoch * 86_400 + Int64(hour * 3600 + minute * 60 + second) - 7 * 3600)
}

/// A valid, resolved dvcqg record; tests change one field at a time.
func record(line: Int = 3, _ changes: [CanonicalField: String?] = [:]) -> RawRecord {
    var raw = RawRecord(line: line)
    raw[.dossierID] = "000.00.12.H55-221115-00012"
    raw[.procedureCode] = "1.004227"
    raw[.procedureName] = "Cấp giấy phép xây dựng"
    raw[.field] = "XD"
    raw[.agency] = "000.00.12.H55"
    raw[.channel] = "2"
    raw[.returnMethod] = "1"
    raw[.status] = "10"
    raw[.received] = "20221115083000"
    raw[.due] = "20221125170000"
    raw[.finished] = "20221124100000"
    raw[.returned] = "20221125090000"
    raw[.digitised] = "0"
    for (field, value) in changes { raw[field] = value }
    return raw
}
