import OneStopEmit

/// The report files of a run, rendered beside the CSVs and `summary.json`: `report.html` always,
/// `onestop.xlsx` when asked. Equal reports and options give byte-identical files.
public enum ReportFiles {
    /// The workbook's file name.
    public static let workbookName = "onestop.xlsx"
    /// The HTML report's file name.
    public static let htmlName = "report.html"
    /// Every name the report may add to an output set.
    public static let fileNames = [workbookName, htmlName]

    /// The files in writing order: `onestop.xlsx` (with `options.workbook`), then `report.html`.
    public static func render(_ report: RunReport, options: ReportOptions) throws(ReportError) -> [OutputFile] {
        var files: [OutputFile] = []
        if options.workbook {
            let workbook = Workbook.onestop(report, options: options)
            files.append(OutputFile(name: workbookName, contents: try workbook.xlsx()))
        }
        files.append(OutputFile(name: htmlName, contents: Array(HTMLReport(report, options: options).render().utf8)))
        return files
    }

    /// The run's output set with the report files added before `summary.json`, which stays last
    /// so that a `summary.json` present always describes a complete set.
    public static func outputSet(
        _ report: RunReport, outputOptions: OutputOptions, options: ReportOptions
    ) throws(ReportError) -> [OutputFile] {
        var files = OutputSet.render(report, options: outputOptions)
        let extra = try render(report, options: options)
        let summary = files.firstIndex { $0.name == "summary.json" } ?? files.endIndex
        files.insert(contentsOf: extra, at: summary)
        return files
    }
}
