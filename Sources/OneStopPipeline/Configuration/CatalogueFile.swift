import Foundation
import OneStopModel
import OneStopNormalise

/// Loads the procedure catalogue CSV (docs/contract.md §2.2): header `code,name,field,level,online,postal`.
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
        var table = try ConfigurationTable(csv: text, file: file, columns: columns)
        var entries: [CatalogueEntry] = []
        var firstRow: [String: Int] = [:]
        while let fields = try table.next() {
            let row = table.row
            func fail(_ message: String) -> ConfigurationError { table.failure(message) }
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
        return Catalogue(entries: entries)
    }
}
