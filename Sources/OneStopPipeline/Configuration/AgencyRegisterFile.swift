import Foundation
import OneStopModel
import OneStopNormalise

/// Loads the agency register CSV named by a pipeline's `agencies:` key: UTF-8 (a byte-order mark
/// is accepted), header `code,name,level,parent`. A bad or duplicate row is a configuration error
/// naming the file, the row and what is allowed, like the catalogue's.
public enum AgencyRegisterFile {
    static let columns = ["code", "name", "level", "parent"]

    public static func load(path: String) throws(ConfigurationError) -> AgencyRegister {
        let text = try ConfigurationText.read(
            path, what: "agency register", howToFix: "in Excel, Save As → \"CSV UTF-8 (Comma delimited)\"")
        return try parse(csv: text, file: path)
    }

    /// Parses register CSV text; rows are numbered from 1 (the header), as a spreadsheet shows them.
    public static func parse(csv text: String, file: String) throws(ConfigurationError) -> AgencyRegister {
        var table = try ConfigurationTable(csv: text, file: file, columns: columns)
        var entries: [AgencyEntry] = []
        var firstRow: [String: Int] = [:]
        var parents: [(code: String, parent: String, row: Int)] = []
        while let fields = try table.next() {
            let row = table.row
            func fail(_ message: String) -> ConfigurationError { table.failure(message) }
            guard let code = TextNormaliser.code(fields[0]) else { throw fail("the agency code is empty") }
            guard let name = TextNormaliser.text(fields[1]) else {
                throw fail("agency '\(code)' has no name; write the name people know it by")
            }
            guard let level = Level(rawValue: fields[2].trimmingWhitespace().lowercased()) else {
                throw fail("level is '\(fields[2])'; allowed: province, district, commune")
            }
            if let earlier = firstRow[code] {
                throw fail("agency code '\(code)' already appears in row \(earlier); each code must appear once")
            }
            firstRow[code] = row
            let parent = TextNormaliser.code(fields[3])
            if let parent {
                guard parent != code else { throw fail("agency '\(code)' names itself as its parent") }
                parents.append((code, parent, row))
            }
            entries.append(AgencyEntry(code: code, name: name, level: level, parent: parent))
        }
        for link in parents where firstRow[link.parent] == nil {
            throw ConfigurationError(
                file: file, line: link.row,
                message: "row \(link.row): parent '\(link.parent)' of agency '\(link.code)' is not in the register; "
                    + "allowed: a code of another row, or empty")
        }
        return AgencyRegister(entries: entries)
    }
}
