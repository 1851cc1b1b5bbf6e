import CSV
import Foundation
import OneStopModel
import OneStopNormalise

/// Loads the procedure catalogue CSV (SPEC §2.2): header `code,name,field,level,online,postal`.
/// A duplicate code or a bad row is a configuration error naming the row (R22).
public enum CatalogueFile {
    static let columns = ["code", "name", "field", "level", "online", "postal"]

    public static func load(path: String) throws(ConfigurationError) -> Catalogue {
        let text = try ConfigurationText.read(
            path, what: "catalogue", howToFix: "in Excel, Save As → \"CSV UTF-8 (Comma delimited)\"")
        return try parse(csv: text, file: path)
    }

    /// Parses catalogue CSV text; rows are numbered from 1 (the header), as a spreadsheet shows them.
    public static func parse(csv text: String, file: String) throws(ConfigurationError) -> Catalogue {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let reader: CSVReader
        do {
            reader = try CSVReader(string: body, hasHeaderRow: true)
        } catch {
            throw ConfigurationError(file: file, line: 1, message: "row 1: cannot read the header row: \(error)")
        }
        let header = (reader.headerRow ?? []).map { $0.trimmingWhitespace().lowercased() }
        guard header == columns else {
            throw ConfigurationError(
                file: file, line: 1,
                message: "row 1: the header must be exactly '\(columns.joined(separator: ","))', found '\(header.joined(separator: ","))'")
        }
        var entries: [CatalogueEntry] = []
        var firstRow: [String: Int] = [:]
        var row = 1
        while let fields = reader.next() {
            row += 1
            if fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { continue }
            func fail(_ message: String) -> ConfigurationError {
                ConfigurationError(file: file, line: row, message: "row \(row): \(message)")
            }
            guard fields.count == columns.count else {
                throw fail("has \(fields.count) columns, expected \(columns.count) (\(columns.joined(separator: ",")))")
            }
            guard let code = TextNormaliser.code(fields[0]) else { throw fail("the procedure code is empty") }
            guard let level = Level(rawValue: fields[3].trimmingWhitespace().lowercased()) else {
                throw fail("level is '\(fields[3])'; allowed: province, district, commune")
            }
            guard let online = OnlineOffering(rawValue: fields[4].trimmingWhitespace().lowercased()) else {
                throw fail("online is '\(fields[4])'; allowed: none, partial, full")
            }
            let postal: Bool
            switch fields[5].trimmingWhitespace().lowercased() {
            case "yes": postal = true
            case "no": postal = false
            default: throw fail("postal is '\(fields[5])'; allowed: yes, no")
            }
            if let earlier = firstRow[code] {
                throw fail("procedure code '\(code)' already appears in row \(earlier); each code must appear once")
            }
            firstRow[code] = row
            entries.append(
                CatalogueEntry(
                    code: code, name: TextNormaliser.text(fields[1]) ?? "", field: TextNormaliser.code(fields[2]) ?? "",
                    level: level, online: online, postal: postal))
        }
        if let error = reader.error {
            throw ConfigurationError(file: file, line: row + 1, message: "row \(row + 1): not valid CSV: \(error)")
        }
        return Catalogue(entries: entries)
    }
}
