import OneStopModel

/// Every label the report and the workbook show, in one language. The data itself (agency codes,
/// procedure names, file names) is never translated.
struct ReportText: Sendable {
    var language: ReportLanguage
    var htmlLanguage: String

    var title: String
    var pipeline: String
    var period: String
    var timezone: String
    var contents: String

    var scorecardSection: String
    var scorecardIntro: String
    var byLevel: String
    var agenciesSection: String
    var monthlySection: String
    var monthlyIntro: String
    var lateSection: String
    var lateIntro: String
    var rejectsSection: String
    var accountingSection: String
    var warningsSection: String

    var provinceWide: String
    var measureColumn: String
    var scopeColumn: String
    var codeColumn: String
    var value: String
    var numerator: String
    var denominator: String
    var target: String
    var result: String
    var met: String
    var notMet: String
    var noData: String
    var noTarget: String
    var targetLine: String
    var legendMet: String
    var legendNotMet: String
    var legendNoTarget: String


    var month: String
    var received: String
    var carriedOver: String
    var outsidePeriodNote: String
    var seriesOnline: String
    var seriesPostal: String
    var seriesDigitised: String
    var seriesOnTime: String

    var procedure: String
    var procedureName: String
    var dossiers: String
    var lateTotal: String
    var resolvedLate: String
    var overdue: String
    var onTimeRate: String
    var noLate: String

    var reason: String
    var records: String
    var fields: String
    var example: String
    var noRejects: String

    var recordsRead: String
    var rejected: String
    var superseded: String
    var notAccepted: String
    var kept: String
    var identityHolds: String
    var identityFails: String
    var file: String
    var fileCount: String
    var source: String
    var size: String
    var status: String
    var fileOK: String
    var fileFailed: String
    var failedFiles: String
    var noWarnings: String
    var footer: String

    /// The labels of a language.
    static func of(_ language: ReportLanguage) -> ReportText {
        switch language {
        case .vi: vietnamese
        case .en: english
        }
    }

    /// The scorecard measure's name as the plan words it.
    func measure(_ measure: ScorecardMeasure) -> String {
        switch (language, measure) {
        case (.vi, .onlineProcedureCoverage): "Tỷ lệ TTHC có phát sinh hồ sơ trực tuyến"
        case (.vi, .onlineDossierShare): "Tỷ lệ hồ sơ tiếp nhận và xử lý trực tuyến"
        case (.vi, .postalProcedureCoverage): "Tỷ lệ TTHC có hồ sơ qua dịch vụ bưu chính công ích (BCCI)"
        case (.vi, .onTimeRate): "Tỷ lệ hồ sơ giải quyết đúng hạn"
        case (.vi, .digitisationRate): "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC"
        case (.en, .onlineProcedureCoverage): "Procedures with at least one online dossier"
        case (.en, .onlineDossierShare): "Dossiers received and processed online"
        case (.en, .postalProcedureCoverage): "Procedures with a dossier through the public postal service (BCCI)"
        case (.en, .onTimeRate): "Dossiers resolved on time"
        case (.en, .digitisationRate): "Dossiers and results digitised"
        }
    }

    /// A level as a scope: "Cấp huyện", "District level".
    func level(_ level: Level) -> String {
        switch (language, level) {
        case (.vi, .province): "Cấp tỉnh"
        case (.vi, .district): "Cấp huyện"
        case (.vi, .commune): "Cấp xã"
        case (.en, .province): "Province level"
        case (.en, .district): "District level"
        case (.en, .commune): "Commune level"
        }
    }

    /// A level in a chart label: "tỉnh", "district".
    func shortLevel(_ level: Level) -> String {
        switch (language, level) {
        case (.vi, .province): "tỉnh"
        case (.vi, .district): "huyện"
        case (.vi, .commune): "xã"
        case (.en, _): level.rawValue
        }
    }

    /// The kind of a reject reason, without the offending value.
    func reason(_ reason: RejectReason) -> String {
        switch (language, reason) {
        case (.vi, .missingDossierID): "Thiếu mã hồ sơ"
        case (.vi, .missingProcedureCode): "Thiếu mã thủ tục"
        case (.vi, .missingStatus): "Thiếu trạng thái hồ sơ"
        case (.vi, .missingReceivedDate): "Hồ sơ đã tiếp nhận nhưng thiếu ngày tiếp nhận"
        case (.vi, .unparseableDate): "Ngày tháng không đọc được"
        case (.vi, .implausibleDate): "Ngày tháng không hợp lý (trước năm 1990)"
        case (.vi, .unmappedCode): "Mã không có trong bảng mã của định dạng"
        case (.vi, .dueBeforeReceived): "Ngày hẹn trả trước ngày tiếp nhận"
        case (.vi, .resolvedWithoutEnd): "Đã giải quyết nhưng thiếu ngày kết thúc"
        case (.vi, .missingSupplementRequestDate): "Yêu cầu bổ sung thiếu ngày yêu cầu"
        case (.vi, .valueTooLong): "Giá trị dài quá mức cho phép"
        case (.en, .missingDossierID): "Missing dossier id"
        case (.en, .missingProcedureCode): "Missing procedure code"
        case (.en, .missingStatus): "Missing status"
        case (.en, .missingReceivedDate): "Accepted dossier without received date"
        case (.en, .unparseableDate): "Unparseable date"
        case (.en, .implausibleDate): "Implausible date (before 1990)"
        case (.en, .unmappedCode): "Code not in the dialect's map"
        case (.en, .dueBeforeReceived): "Due date before received date"
        case (.en, .resolvedWithoutEnd): "Resolved status without end date"
        case (.en, .missingSupplementRequestDate): "Supplement request without request date"
        case (.en, .valueTooLong): "Value longer than allowed"
        }
    }

    /// What a warning kind means, for the warnings list.
    func warning(_ kind: RunWarnings.Kind) -> String {
        switch (language, kind) {
        case (.vi, .noDueDate): "Hồ sơ không có ngày hẹn trả (được tính là đúng hạn)"
        case (.vi, .unknownProcedure): "Hồ sơ có mã thủ tục không có trong danh mục"
        case (.vi, .missingAgency): "Hồ sơ không ghi cơ quan xử lý (tính theo tên nguồn)"
        case (.vi, .exportTimeFromModificationTime): "Tệp không có thời điểm xuất (dùng thời gian sửa tệp)"
        case (.vi, .unregisteredAgency): "Mã cơ quan không có trong danh mục cơ quan"
        case (.en, .noDueDate): "Dossiers without a due date (counted on time)"
        case (.en, .unknownProcedure): "Dossiers whose procedure is not in the catalogue"
        case (.en, .missingAgency): "Dossiers without an agency (counted under the source's name)"
        case (.en, .exportTimeFromModificationTime): "Files without an export time (file modification time used)"
        case (.en, .unregisteredAgency): "Agency codes not in the agency register"
        }
    }

    /// The met / not met / no data word of a scorecard line.
    func outcome(_ met: Bool?, hasTarget: Bool) -> String {
        switch met {
        case true?: self.met
        case false?: notMet
        case nil: hasTarget ? noData : noTarget
        }
    }
}
