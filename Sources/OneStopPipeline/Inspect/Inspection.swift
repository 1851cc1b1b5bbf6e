import Foundation
import OneStopIngest
import OneStopModel
import OneStopNormalise

/// What `onestop inspect` shows about one export under one dialect: enough to write or debug a
/// dialect file without reading the XML by hand. Holds no personal data: only mapped fields.
public struct Inspection: Sendable {
    public var file: String
    public var dialect: String
    public var records: Int
    public var exportTime: String?
    /// For each canonical field (dialect name → canonical key), in how many records it had a value.
    public var fieldCounts: [(canonical: String, source: String, found: Int)]
    public var supplementRequests: Int
    public var attachments: Int
    public var rejectedByReason: [(reason: String, count: Int)]
    /// The first few rejects, with line and field.
    public var sampleRejects: [Reject]
    /// The first few normalised dossiers.
    public var sampleDossiers: [Dossier]
    /// Set when the file could not be read to its end.
    public var failure: String?

    /// Reads `path` with `dialect`, normalising in `timezone`.
    public static func inspect(path: String, dialect: Dialect, clock: LocalClock, samples: Int = 3) throws(RunError)
        -> Inspection
    {
        let normaliser: RecordNormaliser
        do {
            normaliser = try RecordNormaliser(dialect: dialect, clock: clock)
        } catch {
            throw .configuration(ConfigurationError(file: dialect.name, line: nil, message: "\(error)"))
        }
        // The run's own implementation (`RecordPacker` over the reader's views), so inspect
        // rejects and keeps exactly what a run would.
        let packer = RecordPacker(normaliser: normaliser, strings: StringTable())
        var counts = Array(repeating: 0, count: CanonicalField.allCases.count)
        var supplementRequests = 0
        var attachments = 0
        var byReason: [String: Int] = [:]
        var rejects: [Reject] = []
        var dossiers: [Dossier] = []
        var records = 0
        var exportTime: String?
        var failure: String?
        do {
            let summary = try ExportReader(dialect: dialect).readViews(path: path, observeRawBytes: nil) { view in
                records += 1
                for field in CanonicalField.allCases {
                    guard let bytes = view.value(field),
                          TextNormaliser.text(String(decoding: bytes, as: UTF8.self)) != nil
                    else { continue }
                    counts[field.rawValue] += 1
                }
                supplementRequests += view.supplementCount
                attachments += view.attachmentCount
                switch packer.normalise(view, source: 0, file: path) {
                case .dossier(let dossier):
                    if dossiers.count < samples { dossiers.append(dossier) }
                case .rejected(let reject):
                    byReason[reject.reason.description, default: 0] += 1
                    if rejects.count < samples * 3 { rejects.append(reject) }
                }
            }
            exportTime = summary.exportTime.map { $0.trimmingWhitespace() }
        } catch {
            failure = error.message  // the message already ends with the line (and column)
        }
        let fieldCounts = CanonicalField.allCases.filter { dialect.fields[$0] != nil }.map {
            (canonical: $0.key, source: dialect.fields[$0]!.description, found: counts[$0.rawValue])
        }
        return Inspection(
            file: path, dialect: dialect.name, records: records, exportTime: exportTime, fieldCounts: fieldCounts,
            supplementRequests: supplementRequests, attachments: attachments,
            rejectedByReason: byReason.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, sampleRejects: rejects,
            sampleDossiers: dossiers, failure: failure)
    }

    /// A plain-text rendering for the terminal. Each line is escaped (`TerminalText`): ids,
    /// codes, reasons and the file name come from the export and could hold control characters.
    public func rendered(clock: LocalClock) -> String {
        var lines: [String] = []
        lines.append("file:        \(file)")
        lines.append("dialect:     \(dialect)")
        if let failure { lines.append("FAILED:      \(failure) — the whole file would not be counted") }
        lines.append("records:     \(records)")
        lines.append("export time: \(exportTime ?? "(not found — the file's modification time would be used)")")
        lines.append("")
        lines.append("mapped field       path in the export                 found in")
        for entry in fieldCounts {
            let share = records == 0 ? "" : " (\(entry.found * 100 / records)%)"
            lines.append(
                entry.canonical.padding(toLength: 18, withPad: " ", startingAt: 0) + " "
                    + entry.source.padding(toLength: 34, withPad: " ", startingAt: 0) + " \(entry.found)\(share)")
        }
        lines.append("supplement requests: \(supplementRequests), attachments: \(attachments)")
        lines.append("")
        if rejectedByReason.isEmpty {
            lines.append("rejects: none")
        } else {
            lines.append("rejects:")
            for entry in rejectedByReason { lines.append("  \(entry.count) × \(entry.reason)") }
            for reject in sampleRejects {
                lines.append("  line \(reject.line), \(reject.field), \(reject.dossierID ?? "(no id)"): \(reject.reason)")
            }
        }
        lines.append("")
        lines.append("first normalised dossiers (no personal data is ever collected):")
        for dossier in sampleDossiers {
            func show(_ instant: Instant?) -> String { instant.map { clock.iso8601($0) } ?? "–" }
            lines.append("  \(dossier.id): procedure \(dossier.procedure), agency \(dossier.agency ?? "–"), field \(dossier.field ?? "–")")
            lines.append("    status \(dossier.status.rawValue) (\(dossier.status.canonicalName)), channel \(dossier.channel.canonicalName), return \(dossier.returnMethod.canonicalName), digitised \(dossier.digitised)")
            lines.append("    received \(show(dossier.received)), due \(show(dossier.due)), finished \(show(dossier.finished)), returned \(show(dossier.returned))")
            for supplement in dossier.supplements {
                lines.append("    supplement requested \(show(supplement.requested)), answered \(show(supplement.answered)), new due \(show(supplement.newDue))")
            }
        }
        return lines.map(TerminalText.escaped).joined(separator: "\n")
    }
}
