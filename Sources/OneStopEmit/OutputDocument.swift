/// Every file an output set may hold — the one place that names them. The case order is the
/// writing order: `summary.json` last, so a `summary.json` present always describes a complete
/// set. The renderer of each is chosen by an exhaustive switch (`OutputRenderers` in
/// OneStopReport), so a new document does not compile until it has one.
public enum OutputDocument: String, CaseIterable, Sendable, Hashable {
    case progress = "progress.csv"
    case procedures = "procedures.csv"
    case agencies = "agencies.csv"
    case agencyScorecard = "agency_scorecard.csv"
    case monthly = "monthly.csv"
    case figures = "figures.csv"
    case dossiers = "dossiers.csv"
    case rejects = "rejects.csv"
    case workbook = "onestop.xlsx"
    case report = "report.html"
    case summary = "summary.json"

    /// The file's name in the output directory.
    public var fileName: String { rawValue }

    /// Every name an output set may hold: onestop's names in an output directory. Publishing
    /// removes these when the new set lacks them; any other name there is the user's and is kept.
    public static let fileNames = allCases.map(\.fileName)
}
