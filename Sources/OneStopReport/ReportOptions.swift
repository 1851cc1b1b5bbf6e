/// The language of the report's labels. The data (procedure names, agency codes, reject values)
/// is shown as it is, whatever the language.
public enum ReportLanguage: String, Sendable, CaseIterable, Hashable {
    /// Vietnamese labels, `39,13%` and `1.234` — what the province's staff read (the default).
    case vi
    /// English labels, `39.13%` and `1,234`.
    case en
}

/// What the report files of a run hold.
public struct ReportOptions: Sendable, Hashable {
    /// Also write the Excel workbook `onestop.xlsx`.
    public var workbook: Bool
    /// Include the monthly figures (a Monthly sheet, the monthly trend); follows `OutputOptions.monthly`.
    public var monthly: Bool
    public var language: ReportLanguage
    /// The pipeline's name, shown in the report's heading; nil leaves it out.
    public var pipelineName: String?

    public init(workbook: Bool = false, monthly: Bool = false, language: ReportLanguage = .vi, pipelineName: String? = nil) {
        self.workbook = workbook
        self.monthly = monthly
        self.language = language
        self.pipelineName = pipelineName
    }
}
