import Foundation
import OneStopModel

/// One procedure the generator files dossiers under, with what the catalogue says about it and
/// how long it takes.
struct Procedure: Sendable {
    var code: String
    var name: String
    var field: String
    var level: Level
    var online: OnlineOffering
    var postal: Bool
    /// Working days from receipt to the appointment (due) date.
    var workingDays: Int
    /// Relative popularity among the procedures of its level.
    var weight: Double
    /// `name`, XML-escaped, composed (NFC) and decomposed (NFD): Vietnamese arrives in both.
    var nameComposed: [UInt8]
    var nameDecomposed: [UInt8]
    var codeBytes: [UInt8]
    var fieldBytes: [UInt8]
}

/// The procedure catalogue of a generated province (docs/contract.md §2.2): real procedure names of
/// provincial, district and commune level, with online and postal offerings mixed so that every
/// scorecard line has a numerator and a denominator. Fixed: the seed changes the dossiers, not
/// the catalogue.
struct ProcedureCatalogue: Sendable {
    let procedures: [Procedure]
    /// Indexes into `procedures` by level, with cumulative weights for drawing one.
    private let byLevel: [Level: (indexes: [Int], cumulative: [Double])]
    /// Codes that dossiers use but the catalogue lacks (docs/contract.md §2.2: counted, warned about).
    let unknownCodes: [[UInt8]] = [Array("9.000001".utf8), Array("9.000002".utf8)]

    init() {
        // name, field, level, online, postal, working days
        let rows: [(String, String, Level, OnlineOffering, Bool, Int)] = [
            ("Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II", "XD", .province, .full, true, 20),
            ("Điều chỉnh giấy phép xây dựng công trình cấp I, cấp II", "XD", .province, .partial, false, 15),
            ("Cấp giấy phép môi trường", "MT", .province, .full, true, 30),
            ("Cấp lại Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất", "DD", .province, .partial, true, 10),
            ("Đăng ký thành lập doanh nghiệp tư nhân", "KD", .province, .full, true, 3),
            ("Đăng ký thay đổi nội dung đăng ký doanh nghiệp", "KD", .province, .full, true, 3),
            ("Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", "LĐ", .province, .partial, true, 5),
            ("Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh", "YT", .province, .partial, false, 20),
            ("Cấp đổi giấy phép lái xe do ngành Giao thông vận tải cấp", "GT", .province, .full, true, 5),
            ("Cấp giấy phép liên vận Việt - Lào", "GT", .province, .full, false, 2),
            ("Công nhận trường tiểu học đạt chuẩn quốc gia", "GD", .province, .none, false, 20),
            ("Cấp giấy phép tổ chức lễ hội", "VH", .province, .none, true, 10),
            ("Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "TP", .province, .full, true, 10),
            ("Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "NN", .province, .partial, false, 15),
            ("Cấp giấy phép kinh doanh vận tải bằng xe ô tô", "GT", .province, .full, true, 5),
            ("Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở", "XD", .province, .partial, false, 25),
            ("Cấp giấy phép khai thác khoáng sản", "MT", .province, .none, false, 45),
            ("Đăng ký hoạt động văn phòng công chứng", "TP", .province, .partial, true, 10),
            ("Cấp chứng chỉ hành nghề dược", "YT", .province, .full, true, 15),
            ("Cấp giấy phép hoạt động điện lực", "CT", .province, .partial, false, 15),
            ("Đăng ký thành lập hộ kinh doanh", "KD", .district, .full, true, 3),
            ("Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "KD", .district, .partial, false, 3),
            ("Cấp giấy phép xây dựng nhà ở riêng lẻ", "XD", .district, .partial, true, 15),
            ("Đăng ký kết hôn có yếu tố nước ngoài", "HT", .district, .full, true, 15),
            ("Cấp bản sao trích lục hộ tịch", "HT", .district, .full, false, 1),
            ("Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "DD", .district, .partial, true, 10),
            ("Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp", "CT", .district, .none, false, 1),
            ("Giải quyết trợ cấp xã hội hằng tháng đối với đối tượng bảo trợ xã hội", "LĐ", .district, .partial, true, 15),
            ("Cấp giấy phép bán lẻ sản phẩm rượu", "TM", .district, .full, true, 10),
            ("Cho phép trường mẫu giáo, trường mầm non tư thục hoạt động giáo dục", "GD", .district, .none, false, 20),
            ("Công nhận gia đình văn hóa tiêu biểu", "VH", .district, .partial, false, 5),
            ("Thẩm định, phê duyệt phương án ứng phó thiên tai", "NN", .district, .partial, true, 10),
            ("Cấp giấy phép khai thác nước dưới đất", "MT", .district, .full, false, 20),
            ("Đăng ký lần đầu quyền sử dụng đất", "DD", .district, .partial, true, 30),
            ("Thu hồi Giấy chứng nhận đăng ký hộ kinh doanh", "KD", .district, .none, false, 5),
            ("Cấp giấy chứng nhận đủ điều kiện kinh doanh khí dầu mỏ hóa lỏng", "TM", .district, .full, true, 15),
            ("Đăng ký khai sinh", "HT", .commune, .full, true, 1),
            ("Đăng ký khai tử", "HT", .commune, .full, false, 1),
            ("Đăng ký kết hôn", "HT", .commune, .partial, true, 1),
            ("Chứng thực chữ ký trong các giấy tờ, văn bản", "CT", .commune, .partial, false, 1),
            ("Đăng ký giám hộ", "HT", .commune, .none, false, 3),
            ("Xác nhận tình trạng hôn nhân", "HT", .commune, .full, true, 3),
            ("Hỗ trợ khắc phục hậu quả thiên tai cho hộ gia đình", "NN", .commune, .none, true, 10),
            ("Đăng ký nhận cha, mẹ, con", "HT", .commune, .partial, false, 3),
            ("Xác nhận đơn đề nghị hỗ trợ học phí", "GD", .commune, .none, false, 2),
            ("Cấp giấy xác nhận thông tin về cư trú", "CA", .commune, .full, true, 3),
            ("Đăng ký thường trú", "CA", .commune, .full, true, 7),
            ("Đăng ký tạm trú", "CA", .commune, .full, false, 3),
        ]
        var procedures: [Procedure] = []
        for (index, row) in rows.enumerated() {
            let (name, field, level, online, postal, days) = row
            // Codes shaped like the national database's (1.00xxxx / 2.00xxxx), fixed per row.
            let serial = 1_000 + (index * 7_919) % 9_000
            let code = "\(index % 3 == 2 ? 2 : 1).00\(serial)"
            let escaped = ProcedureCatalogue.escape(name)
            procedures.append(
                Procedure(
                    code: code, name: name, field: field, level: level, online: online, postal: postal,
                    workingDays: days,
                    // Zipf-like popularity within a level: a few procedures take most dossiers.
                    weight: 1.0 / Double(1 + index % 12),
                    nameComposed: Array(escaped.precomposedStringWithCanonicalMapping.utf8),
                    nameDecomposed: Array(escaped.decomposedStringWithCanonicalMapping.utf8),
                    codeBytes: Array(code.utf8), fieldBytes: Array(ProcedureCatalogue.escape(field).utf8)))
        }
        self.procedures = procedures
        var byLevel: [Level: (indexes: [Int], cumulative: [Double])] = [:]
        for level in Level.allCases {
            let indexes = procedures.indices.filter { procedures[$0].level == level }
            var total = 0.0
            let cumulative = indexes.map { index -> Double in
                total += procedures[index].weight
                return total
            }
            byLevel[level] = (indexes, cumulative)
        }
        self.byLevel = byLevel
    }

    /// Draws a procedure of `level` by popularity.
    func draw(level: Level, _ random: inout SplitMix64) -> Int {
        let (indexes, cumulative) = byLevel[level]!
        let target = random.unit() * cumulative[cumulative.count - 1]
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > target { high = mid } else { low = mid + 1 }
        }
        return indexes[low]
    }

    /// `catalogue.csv`: `code,name,field,level,online,postal`, UTF-8, RFC 4180.
    var csv: String {
        var lines = ["code,name,field,level,online,postal"]
        for procedure in procedures {
            let name = procedure.name.contains(",") || procedure.name.contains("\"")
                ? "\"" + procedure.name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : procedure.name
            lines.append(
                [procedure.code, name, procedure.field, procedure.level.rawValue, procedure.online.rawValue,
                 procedure.postal ? "yes" : "no"].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
