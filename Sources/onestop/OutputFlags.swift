import ArgumentParser
import OneStopModel
import OneStopPipeline
import OneStopReport

/// The output options `run` and `merge` share: what to write besides the contract's files, in
/// which language, and when freshness is judged. Each overrides the pipeline's `output:`.
struct OutputFlags: ParsableArguments {
    @Flag(help: "Write CSVs with a UTF-8 byte-order mark and CRLF line ends, so Excel shows Vietnamese correctly.")
    var excel = false

    @Flag(help: "Also write monthly.csv: province-wide figures per month of the received date.")
    var monthly = false

    @Flag(help: "Also write onestop.xlsx: an Excel workbook with the scorecard and every CSV as a sheet.")
    var xlsx = false

    @Option(help: "Language of report.html and the workbook's labels: vi (default) or en; overrides output.language.")
    var language: String?

    @Flag(help: ArgumentHelp(
        "Also write dossiers.csv: one row per kept dossier with its classification and days late.",
        discussion: "For merge, every shard must have been computed with --dossiers."))
    var dossiers = false

    @Option(help: "When freshness is judged (YYYY-MM-DDTHH:MM[:SS] local, or with an offset); default now.")
    var asOf: String?

    func validate() throws {
        if let language, ReportLanguage(rawValue: language) == nil {
            throw ValidationError("--language must be vi or en, got '\(language)'")
        }
    }

    /// Sets the output options of `options`; a flag left off leaves the pipeline's choice.
    func apply(to options: inout RunOptions, asOf instant: Instant?) {
        options.excel = excel ? true : nil
        options.monthly = monthly ? true : nil
        options.xlsx = xlsx ? true : nil
        options.language = language.flatMap(ReportLanguage.init(rawValue:))
        options.dossiers = dossiers ? true : nil
        options.asOf = instant
    }
}
