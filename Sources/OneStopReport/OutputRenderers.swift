import OneStopEmit

/// How a run's output set is rendered: the CSV and JSON options and the report files' options.
public struct RenderOptions: Sendable {
    public var output: OutputOptions
    public var report: ReportOptions

    public init(output: OutputOptions = OutputOptions(), report: ReportOptions = ReportOptions()) {
        self.output = output
        self.report = report
    }
}

/// The render stage: a run's figures → the files of its output set. Every document
/// (`OutputDocument`) gets its renderer in the one exhaustive switch below, so a new output file
/// does not compile until it is rendered here, and its name lives in one place.
public enum OutputRenderers {
    /// The files `options` asks for, in writing order (`summary.json` last). Equal reports and
    /// options give byte-identical files.
    public static func render(_ report: RunReport, options: RenderOptions) throws(ReportError) -> [OutputFile] {
        var files: [OutputFile] = []
        for document in OutputDocument.allCases {
            if let file = try render(document, report, options: options) { files.append(file) }
        }
        return files
    }

    /// One document, or nil when `options` does not ask for it.
    public static func render(
        _ document: OutputDocument, _ report: RunReport, options: RenderOptions
    ) throws(ReportError) -> OutputFile? {
        let output = options.output
        switch document {
        case .progress: return OutputSet.progress(report, options: output)
        case .procedures: return OutputSet.procedures(report, options: output)
        case .agencies: return OutputSet.agencies(report, options: output)
        case .agencyScorecard: return OutputSet.agencyScorecard(report, options: output)
        case .monthly: return output.monthly ? OutputSet.monthly(report, options: output) : nil
        case .figures: return FiguresTable.render(report, options: output)
        case .dossiers: return output.dossiers ? OutputSet.dossiers(report, options: output) : nil
        case .rejects: return OutputSet.rejects(report, options: output)
        case .workbook:
            return options.report.workbook ? Workbook.file(report, options: options.report) : nil
        case .report:
            return OutputFile(
                name: document.fileName, contents: Array(HTMLReport(report, options: options.report).render().utf8))
        case .summary: return OutputSet.summary(report)
        }
    }
}
