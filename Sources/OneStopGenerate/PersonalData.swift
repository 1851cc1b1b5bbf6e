/// Fake personal data for the unmapped elements of a record (never real people). Exports carry
/// it; `onestop` must skip it without collecting it (docs/contract.md §2.1), so it is there to cost what it
/// costs in real files.
enum PersonalData {
    static let familyNames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Dương", "Ma", "Lường"]
        .map { Array($0.utf8) }
    static let middleNames = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Xuân"]
        .map { Array($0.utf8) }
    static let givenNames = [
        "An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hạnh", "Hiếu", "Huệ", "Khánh", "Lan", "Long", "Mai", "Nam", "Nga",
        "Phúc", "Quyên", "Sơn", "Thảo", "Tuấn", "Vân", "Yến",
    ].map { Array($0.utf8) }
    static let places = [
        "phường Hoàng Văn Thụ, thành phố Thái Nguyên", "phường Phan Đình Phùng, thành phố Thái Nguyên",
        "xã Hùng Sơn, huyện Đại Từ", "xã Quân Chu, huyện Đại Từ", "thị trấn Hương Sơn, huyện Phú Bình",
        "xã Tân Đức, huyện Phú Bình", "thị trấn Chùa Hang, huyện Đồng Hỷ", "xã Hóa Thượng, huyện Đồng Hỷ",
    ].map { Array($0.utf8) }
    static let streets = ["Lương Ngọc Quyến", "Hoàng Văn Thụ", "Quang Trung", "Bến Oánh", "Phù Liễn", "Thống Nhất"]
        .map { Array($0.utf8) }
    static let summaryPrefix = Array("Đề nghị giải quyết thủ tục ".utf8)
    static let summaryJoin = Array(" của công dân ".utf8)
    static let addressPrefix = Array("Số ".utf8)
    static let comma = Array(", ".utf8)
    static let streetPrefix = Array(" đường ".utf8)
    static let province = Array(", tỉnh Thái Nguyên".utf8)
    static let mailDomain = Array("@gmail.com".utf8)
    static let mailUser = Array("congdan".utf8)

    /// Writes the extras of one dossier into `values`; the same seed gives the same person.
    static func fill(_ values: RecordValues, seed: UInt64, procedureName: [UInt8], slots: [Bool]) {
        var random = SplitMix64(seed: seed)
        let family = familyNames[random.below(familyNames.count)]
        let middle = middleNames[random.below(middleNames.count)]
        let given = givenNames[random.below(givenNames.count)]
        let number = random.below(1_000_000)
        if slots[ExtraField.applicant.rawValue] {
            let start = values.begin()
            values.append(family)
            values.append(byte: 0x20)
            values.append(middle)
            values.append(byte: 0x20)
            values.append(given)
            values.set(.applicant, from: start)
        }
        if slots[ExtraField.idNumber.rawValue] {
            let start = values.begin()
            values.append(byte: 0x30)
            values.appendNumber(random.below(100_000_000_000), width: 11)
            values.set(.idNumber, from: start)
        }
        if slots[ExtraField.phone.rawValue] {
            let start = values.begin()
            values.append(byte: 0x30)
            values.append(byte: UInt8(ascii: "9"))
            values.appendNumber(random.below(100_000_000), width: 8)
            values.set(.phone, from: start)
        }
        if slots[ExtraField.email.rawValue] {
            let start = values.begin()
            values.append(mailUser)
            values.appendNumber(number, width: 6)
            values.append(mailDomain)
            values.set(.email, from: start)
        }
        if slots[ExtraField.address.rawValue] {
            let start = values.begin()
            values.append(addressPrefix)
            values.appendNumber(1 + random.below(400))
            values.append(streetPrefix)
            values.append(streets[random.below(streets.count)])
            values.append(comma)
            values.append(places[random.below(places.count)])
            values.append(province)
            values.set(.address, from: start)
        }
        if slots[ExtraField.summary.rawValue] {
            let start = values.begin()
            values.append(summaryPrefix)
            values.append(procedureName)
            values.append(summaryJoin)
            values.append(family)
            values.append(byte: 0x20)
            values.append(middle)
            values.append(byte: 0x20)
            values.append(given)
            values.set(.summary, from: start)
        }
    }
}
