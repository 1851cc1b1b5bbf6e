import OneStopModel

/// The two shipped dialects (Pipelines/dialects/dvcqg.yaml and igate.yaml), built in code: the
/// fuzz build has no YAML loader. Codes are keyed as DialectFile keys them (trimmed, upper-cased).
enum FuzzDialects {
    static func path(_ text: String) -> FieldPath {
        guard let path = FieldPath(parsing: text) else { preconditionFailure("bad path \(text)") }
        return path
    }

    static let dvcqg = Dialect(
        name: "dvcqg",
        recordPath: ["DanhSachHoSo", "HoSo"],
        exportTime: path("DanhSachHoSo/@NgayXuat"),
        fields: [
            .dossierID: path("MaHoSo"), .procedureCode: path("MaTTHC"), .procedureName: path("TenTTHC"),
            .field: path("MaLinhVuc"), .agency: path("DonViXuLy"), .channel: path("KenhThucHien"),
            .returnMethod: path("HinhThuc"), .status: path("TrangThaiHoSo"), .received: path("NgayTiepNhan"),
            .due: path("NgayHenTra"), .finished: path("NgayKetThucXuLy"), .returned: path("NgayTra"),
            .digitised: path("HoSoCoThanhPhanSoHoa"),
        ],
        supplements: RepeatedGroup(
            path: ["DanhSachHoSoBoSung", "HoSoBoSung"],
            fields: [.requested: path("NgayYeuCau"), .answered: path("NgayBoSung"), .newDue: path("NgayHenTraMoi")]),
        attachments: RepeatedGroup(path: ["TaiLieuNop", "TepDinhKem"], fields: [.digitised: path("DuocSoHoa")]),
        channelCodes: ["1": .inPerson, "2": .online, "3": .postal],
        returnCodes: ["0": .inPerson, "1": .postal],
        statusCodes: Dictionary(uniqueKeysWithValues: Status.allCases.map { (String($0.rawValue), $0) }),
        defaults: [.channel: "1"],
        dateFormats: ["yyyyMMddHHmmss", "dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy", "iso8601"])

    static let igate = Dialect(
        name: "igate",
        recordPath: ["BaoCao", "DuLieu", "hoSo"],
        exportTime: path("BaoCao/ThongTin/@thoiDiemXuat"),
        fields: [
            .dossierID: path("@ma"), .procedureCode: path("@thuTuc"), .procedureName: path("tenThuTuc"),
            .field: path("@linhVuc"), .agency: path("@coQuan"), .channel: path("@kenh"),
            .returnMethod: path("@traKetQua"), .status: path("@trangThai"), .received: path("thoiGian/@tiepNhan"),
            .due: path("thoiGian/@henTra"), .finished: path("thoiGian/@ketThuc"), .returned: path("thoiGian/@traKQ"),
            .digitised: path("@soHoa"),
        ],
        supplements: RepeatedGroup(
            path: ["boSung"],
            fields: [.requested: path("@ngayYeuCau"), .answered: path("@ngayNop"), .newDue: path("@henTraMoi")]),
        attachments: RepeatedGroup(path: ["giayTo", "tep"], fields: [.digitised: path("@soHoa")]),
        channelCodes: ["TRUC_TIEP": .inPerson, "TRUC_TUYEN": .online, "ONLINE": .online, "BUU_CHINH": .postal],
        returnCodes: ["TRUC_TIEP": .inPerson, "BUU_CHINH": .postal],
        statusCodes: [
            "MOI_NOP": .submitted, "DA_TIEP_NHAN": .accepted, "TU_CHOI": .refused, "DANG_XU_LY": .processing,
            "CHO_BO_SUNG": .supplementRequested, "CHO_NOP_PHI": .feeRequested, "RUT_HO_SO": .withdrawn,
            "DUNG_XU_LY": .stopped, "DA_XU_LY": .finished, "DA_TRA_KQ": .returned,
        ],
        flagCodes: ["CO": true, "KHONG": false],
        defaults: [.channel: "truc_tiep", .digitised: "khong"],
        dateFormats: ["dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy", "iso8601"])
}
