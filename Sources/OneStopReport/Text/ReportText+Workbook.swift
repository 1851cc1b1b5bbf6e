/// The workbook's own column names and remarks (the data sheets take the CSVs' column names).
extension ReportText {
    var gapColumn: String { language == .vi ? "Còn thiếu để đạt" : "Gap to target" }
    var periodFromColumn: String { language == .vi ? "Từ ngày" : "Period from" }
    var periodToColumn: String { language == .vi ? "Đến ngày" : "Period to" }
    var comparedPeriodColumn: String { language == .vi ? "Kỳ so sánh" : "Compared with" }
    var previousValueColumn: String { language == .vi ? "Giá trị kỳ so sánh" : "Previous value" }
    var changeColumn: String { language == .vi ? "Thay đổi (điểm %)" : "Change (percentage points)" }
    var agencyColumn: String { language == .vi ? "Mã cơ quan" : "Agency" }
    var agencyNameColumn: String { language == .vi ? "Tên cơ quan" : "Agency name" }
    var dossierCountColumn: String { language == .vi ? "Số hồ sơ (n)" : "Dossiers (n)" }
    var rankColumn: String { language == .vi ? "Hạng" : "Rank" }
    var remarkColumn: String { language == .vi ? "Ghi chú" : "Remark" }
    var tooFewDossiers: String { language == .vi ? "Quá ít hồ sơ để xếp hạng" : "Too few dossiers to rank" }
    var noSource: String { language == .vi ? "Chưa có nguồn" : "No source" }

    /// Beside the header of a sheet that could not hold every row.
    func sheetCut(shown: String, total: String, file: String) -> String {
        switch language {
        case .vi: "Sheet này chỉ chứa \(shown) trên \(total) dòng (giới hạn số dòng của Excel); đủ cả trong \(file)."
        case .en: "This sheet holds the first \(shown) of \(total) rows (Excel's row limit); all of them are in \(file)."
        }
    }
}
