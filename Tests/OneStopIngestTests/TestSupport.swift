import CLibXML2
import Foundation
@testable import OneStopIngest
import OneStopModel
import Testing

/// Dialects built in code, mirroring `Pipelines/dialects/dvcqg.yaml` and `igate.yaml`.
enum Dialects {
    static func path(_ text: String) -> FieldPath {
        guard let path = FieldPath(parsing: text) else { fatalError("bad test path \(text)") }
        return path
    }

    static let dvcqg = Dialect(
        name: "dvcqg",
        recordPath: ["DanhSachHoSo", "HoSo"],
        exportTime: path("DanhSachHoSo/@NgayXuat"),
        fields: [
            .dossierID: path("MaHoSo"),
            .procedureCode: path("MaTTHC"),
            .procedureName: path("TenTTHC"),
            .field: path("MaLinhVuc"),
            .agency: path("DonViXuLy"),
            .channel: path("KenhThucHien"),
            .returnMethod: path("HinhThuc"),
            .status: path("TrangThaiHoSo"),
            .received: path("NgayTiepNhan"),
            .due: path("NgayHenTra"),
            .finished: path("NgayKetThucXuLy"),
            .returned: path("NgayTra"),
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
            .dossierID: path("@ma"),
            .procedureCode: path("@thuTuc"),
            .procedureName: path("tenThuTuc"),
            .field: path("@linhVuc"),
            .agency: path("@coQuan"),
            .channel: path("@kenh"),
            .returnMethod: path("@traKetQua"),
            .status: path("@trangThai"),
            .received: path("thoiGian/@tiepNhan"),
            .due: path("thoiGian/@henTra"),
            .finished: path("thoiGian/@ketThuc"),
            .returned: path("thoiGian/@traKQ"),
            .digitised: path("@soHoa"),
        ],
        supplements: RepeatedGroup(
            path: ["boSung"],
            fields: [.requested: path("@ngayYeuCau"), .answered: path("@ngayNop"), .newDue: path("@henTraMoi")]),
        attachments: RepeatedGroup(path: ["giayTo", "tep"], fields: [.digitised: path("@soHoa")]),
        channelCodes: ["TRUC_TIEP": .inPerson, "TRUC_TUYEN": .online, "ONLINE": .online, "BUU_CHINH": .postal],
        returnCodes: ["TRUC_TIEP": .inPerson, "BUU_CHINH": .postal],
        statusCodes: ["DA_TRA_KQ": .returned, "DANG_XU_LY": .processing],
        flagCodes: ["CO": true, "KHONG": false],
        defaults: [.channel: "truc_tiep", .digitised: "khong"],
        dateFormats: ["dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy", "iso8601"])

    /// dvcqg with the export time in the text of a header element instead of a root attribute.
    static var dvcqgHeaderText: Dialect {
        var dialect = dvcqg
        dialect.exportTime = path("DanhSachHoSo/ThongTinXuat/NgayXuat")
        return dialect
    }
}

/// A scratch directory removed when the value goes away.
final class TempDir {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("onestop-ingest-\(UUID().uuidString)", isDirectory: true)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `bytes` to `name` and returns the path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let file = url.appendingPathComponent(name)
        try! Data(bytes).write(to: file)
        return file.path
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        write(name, Array(text.utf8))
    }
}

/// Everything one `read` produced.
struct ReadOutcome: Equatable {
    var records: [RawRecord] = []
    var summary: ExportFileSummary?
    var error: IngestError?
    var rawBytes: [UInt8] = []
}

/// Reads `path` in line and again reading ahead on a helper thread, expects both to give the
/// same records, summary, error and raw bytes, and returns the outcome. Every ingest test that
/// reads through here is therefore also a test of `readingAhead`.
func readAll(_ path: String, dialect: Dialect = Dialects.dvcqg, readSize: Int = ExportReader.chunkSize) -> ReadOutcome {
    let inline = readOnce(path, dialect: dialect, readSize: readSize, readingAhead: false)
    let ahead = readOnce(path, dialect: dialect, readSize: readSize, readingAhead: true)
    #expect(ahead == inline, "reading ahead changed the outcome of \(path) in \(readSize)-byte chunks")
    return inline
}

/// One read of `path`, collecting everything it produced.
func readOnce(_ path: String, dialect: Dialect, readSize: Int, readingAhead: Bool) -> ReadOutcome {
    var outcome = ReadOutcome()
    var reader = ExportReader(dialect: dialect)
    reader.readSize = readSize
    do {
        outcome.summary = try reader.read(
            path: path,
            readingAhead: readingAhead,
            observeRawBytes: { outcome.rawBytes.append(contentsOf: $0) },
            onRecord: { outcome.records.append($0) })
    } catch {
        outcome.error = error
    }
    return outcome
}

/// Gzip helpers over zlib's gz* file API (each `gzopen(…, "ab")` appends one more member).
enum Gzip {
    static func compress(_ bytes: [UInt8], members: Int = 1) -> [UInt8] {
        let dir = TempDir()
        let path = dir.url.appendingPathComponent("x.gz").path
        let pieces = split(bytes, into: members)
        for (index, piece) in pieces.enumerated() {
            guard let file = gzopen(path, index == 0 ? "wb" : "ab") else { fatalError("gzopen") }
            piece.withUnsafeBytes { buffer in
                _ = gzwrite(file, buffer.baseAddress, UInt32(buffer.count))
            }
            gzclose(file)
        }
        return Array(try! Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// One gzip member with an FNAME header field of `nameLength` bytes, so a test can give the
    /// member an exact size (and put a member boundary exactly where the reader's chunks end).
    static func member(_ bytes: [UInt8], nameLength: Int) -> [UInt8] {
        var header: [UInt8] = [0x1F, 0x8B, 8, 0x08, 0, 0, 0, 0, 0, 3]  // FLG = FNAME
        header += Array(repeating: UInt8(ascii: "n"), count: nameLength) + [0]
        return header + rawDeflate(bytes) + trailer(bytes)
    }

    /// Size of `member(bytes, nameLength: 0)`.
    static func memberSize(_ bytes: [UInt8]) -> Int { member(bytes, nameLength: 0).count }

    private static func rawDeflate(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        precondition(deflateInit2_(&stream, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        var input = bytes
        let produced = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
                return target.count - Int(stream.avail_out)
            }
        }
        return Array(output[..<produced])
    }

    private static func trailer(_ bytes: [UInt8]) -> [UInt8] {
        let crc = bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
        let size = UInt32(truncatingIfNeeded: bytes.count)
        return (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * $0)) }
            + (0..<4).map { UInt8(truncatingIfNeeded: size >> (8 * $0)) }
    }

    private static func split(_ bytes: [UInt8], into parts: Int) -> [[UInt8]] {
        guard !bytes.isEmpty else { return [bytes] }
        let size = (bytes.count + parts - 1) / parts
        return stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
    }
}

/// A dvcqg record in the shape of docs/contract.md §2.1, with personal data around the mapped fields.
func dvcqgRecord(id: String, extra: String = "") -> String {
    """
      <HoSo>
        <MaHoSo>\(id)</MaHoSo>
        <MaTTHC>1.004227</MaTTHC>
        <TenTTHC>Cấp giấy phép xây dựng</TenTTHC>
        <MaLinhVuc>XD</MaLinhVuc>
        <DonViXuLy>000.00.12.H55</DonViXuLy>
        <KenhThucHien>2</KenhThucHien>
        <HinhThuc>1</HinhThuc>
        <ChuHoSo>Nguyễn Văn Riêng Tư</ChuHoSo>
        <SoDienThoai>0912345678</SoDienThoai>
        <NgayTiepNhan>20221115083000</NgayTiepNhan>
        <NgayHenTra>20221125170000</NgayHenTra>
        <TrangThaiHoSo>4</TrangThaiHoSo>\(extra)
      </HoSo>

    """
}

func dvcqgDocument(_ records: String, root: String = "DanhSachHoSo") -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <\(root) MaDonVi="000.00.12.H55" NgayXuat="20221201020000">
    \(records)</\(root)>

    """
}

/// The shared acceptance set, beside the repository (CI clones it so): `../shared/acceptance`.
let acceptanceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path + "/shared/acceptance/dvcqg-2022-small"
let acceptanceDataPresent = FileManager.default.fileExists(atPath: acceptanceDirectory + "/data")
