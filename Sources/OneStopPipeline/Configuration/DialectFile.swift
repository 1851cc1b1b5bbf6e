import Foundation
import OneStopModel
import OneStopNormalise

/// Loads a dialect file (`Pipelines/dialects/NAME.yaml`) into a `Dialect`, checking every key,
/// path, code and date format (README "Dialect files" documents the format).
public enum DialectFile {
    static let topKeys = [
        "dialect", "description", "record", "exportTime", "fields", "supplements", "attachments", "codes", "defaults",
        "dateFormats", "personalData",
    ]

    /// Reads and checks a dialect file.
    public static func load(path: String) throws(ConfigurationError) -> Dialect {
        let text = try ConfigurationText.read(path, what: "dialect file", howToFix: "save it as UTF-8 in your editor")
        return try parse(yaml: text, file: path)
    }

    /// Parses dialect YAML; `file` names it in errors.
    public static func parse(yaml: String, file: String) throws(ConfigurationError) -> Dialect {
        let root = try ConfigNode.load(yaml: yaml, file: file)
        let top = try root.mapping("a dialect file", allowed: topKeys)
        let name = try top.required("dialect").string("dialect")
        if let description = top["description"] { _ = try description.string("description (free text)") }

        let recordNode = try top.required("record")
        let recordPath = try elementPath(recordNode, "record")
        let exportTime = try top["exportTime"].map { node throws(ConfigurationError) in
            try fieldPath(node, "exportTime")
        }
        if let exportTime, exportTime.elements.first != recordPath.first {
            throw top["exportTime"]!.error("exportTime must start at the root element '\(recordPath[0])'")
        }

        let fieldsMap = try top.required("fields").mapping("fields", allowed: CanonicalField.allCases.map(\.key))
        var fields: [CanonicalField: FieldPath] = [:]
        for entry in fieldsMap.entries {
            fields[CanonicalField(key: entry.key)!] = try fieldPath(entry.value, "fields.\(entry.key)")
        }
        for required in [CanonicalField.dossierID, .procedureCode, .status, .received] where fields[required] == nil {
            throw fieldsMap.owner.error("fields needs '\(required.key)' (the canonical record cannot do without it)")
        }

        let supplements = try top["supplements"].map { node throws(ConfigurationError) in
            try group(node, "supplements", SupplementField.allCases.map(\.key), SupplementField.init(key:))
        }
        let attachments = try top["attachments"].map { node throws(ConfigurationError) in
            try group(node, "attachments", AttachmentField.allCases.map(\.key), AttachmentField.init(key:))
        }

        var channelCodes: [String: Channel] = [:]
        var returnCodes: [String: ReturnMethod] = [:]
        var statusCodes: [String: Status] = [:]
        var flagCodes: [String: Bool] = ["0": false, "1": true]
        if let codes = try top["codes"]?.mapping("codes", allowed: ["channel", "returnMethod", "status", "flag"]) {
            if let node = codes["channel"] {
                channelCodes = try codeMap(node, "codes.channel", Channel.allCases.map { ($0.canonicalName, $0) })
            }
            if let node = codes["returnMethod"] {
                returnCodes = try codeMap(
                    node, "codes.returnMethod", ReturnMethod.allCases.map { ($0.canonicalName, $0) })
            }
            if let node = codes["status"] {
                statusCodes = try codeMap(
                    node, "codes.status",
                    Status.allCases.map { ($0.canonicalName, $0) } + Status.allCases.map { (String($0.rawValue), $0) })
            }
            if let node = codes["flag"] {
                flagCodes = try codeMap(node, "codes.flag", [("true", true), ("false", false), ("1", true), ("0", false)])
            }
        }
        if fields[.channel] != nil, channelCodes.isEmpty {
            throw top.owner.error("fields.channel is mapped, so codes.channel must list its codes")
        }
        if fields[.returnMethod] != nil, returnCodes.isEmpty {
            throw top.owner.error("fields.returnMethod is mapped, so codes.returnMethod must list its codes")
        }
        if statusCodes.isEmpty { throw top.owner.error("codes.status must map the system's status codes to 1–10") }

        var defaults: [CanonicalField: String] = [:]
        var defaultNodes: [(field: CanonicalField, node: ConfigNode)] = []
        if let node = top["defaults"] {
            let map = try node.mapping("defaults", allowed: CanonicalField.allCases.map(\.key))
            for entry in map.entries {
                let field = CanonicalField(key: entry.key)!
                defaults[field] = try entry.value.string("defaults.\(entry.key)")
                defaultNodes.append((field, entry.value))
            }
        }

        let formatsNode = try top.required("dateFormats")
        let dateFormats = try formatsNode.strings("dateFormats")
        guard !dateFormats.isEmpty else { throw formatsNode.error("dateFormats must list at least one format") }
        for format in dateFormats {
            do {
                _ = try DatePattern(format)
            } catch {
                throw formatsNode.error("\(error)")
            }
        }

        try checkDefaults(
            defaultNodes, defaults, dateFormats: dateFormats,
            codes: [
                .channel: ("codes.channel", Array(channelCodes.keys)),
                .returnMethod: ("codes.returnMethod", Array(returnCodes.keys)),
                .status: ("codes.status", Array(statusCodes.keys)),
                .digitised: ("codes.flag", Array(flagCodes.keys)),
            ])

        let personal = try top["personalData"]?.strings("personalData") ?? []
        var mappedNames = Set(fields.values.map(\.leafName))
        mappedNames.formUnion(supplements?.fields.values.map(\.leafName) ?? [])
        mappedNames.formUnion(attachments?.fields.values.map(\.leafName) ?? [])
        if let leak = personal.first(where: mappedNames.contains) {
            throw top["personalData"]!.error("'\(leak)' is personal data and must not be mapped to a field")
        }

        return Dialect(
            name: name, recordPath: recordPath, exportTime: exportTime, fields: fields, supplements: supplements,
            attachments: attachments, channelCodes: channelCodes, returnCodes: returnCodes, statusCodes: statusCodes,
            flagCodes: flagCodes, defaults: defaults, dateFormats: dateFormats)
    }

    /// A default stands for a value the export did not write and goes through the same value
    /// map or date formats, so a typo in it would reject every record that lacks the field:
    /// check each would pass.
    private static func checkDefaults(
        _ nodes: [(field: CanonicalField, node: ConfigNode)], _ defaults: [CanonicalField: String],
        dateFormats: [String], codes: [CanonicalField: (map: String, keys: [String])]
    ) throws(ConfigurationError) {
        var patterns: [DatePattern] = []
        for format in dateFormats { if let pattern = try? DatePattern(format) { patterns.append(pattern) } }
        let dates = LocalClock(identifier: "UTC").map { DateParser(patterns: patterns, clock: $0) }
        for (field, node) in nodes {
            guard let raw = defaults[field], let text = TextNormaliser.text(raw) else { continue }
            if let (map, keys) = codes[field] {
                let key = TextNormaliser.code(text) ?? text
                guard keys.contains(key) else {
                    throw node.error(
                        "defaults.\(field.key) is '\(raw)', which \(map) does not map; allowed: "
                            + (keys.isEmpty ? "none (\(map) is empty)" : keys.sorted().joined(separator: ", ")))
                }
            } else if [.received, .due, .finished, .returned].contains(field), let dates,
                      dates.instant(from: text, endOfDayIfDateOnly: field == .due) == nil {
                throw node.error(
                    "defaults.\(field.key) is '\(raw)', which none of dateFormats reads; allowed: a date in one of "
                        + dateFormats.joined(separator: ", "))
            }
        }
    }

    private static func elementPath(_ node: ConfigNode, _ what: String) throws(ConfigurationError) -> [String] {
        let path = try fieldPath(node, what)
        guard path.attribute == nil else { throw node.error("\(what) must be a path of elements, without @attribute") }
        return path.elements
    }

    private static func fieldPath(_ node: ConfigNode, _ what: String) throws(ConfigurationError) -> FieldPath {
        let text = try node.string(what)
        guard let path = FieldPath(parsing: text) else {
            throw node.error(
                "\(what) is '\(text)'; a path is element names separated by '/', optionally ending in '@attribute' (e.g. HoSo/MaHoSo, thoiGian/@tiepNhan, @ma)")
        }
        return path
    }

    private static func group<Field: Hashable & Sendable>(
        _ node: ConfigNode, _ what: String, _ keys: [String], _ make: (String) -> Field?
    ) throws(ConfigurationError) -> RepeatedGroup<Field> {
        let map = try node.mapping(what, allowed: ["each", "fields"])
        let each = try elementPath(try map.required("each"), "\(what).each")
        let fieldsMap = try map.required("fields").mapping("\(what).fields", allowed: keys)
        var fields: [Field: FieldPath] = [:]
        for entry in fieldsMap.entries {
            fields[make(entry.key)!] = try fieldPath(entry.value, "\(what).fields.\(entry.key)")
        }
        return RepeatedGroup(path: each, fields: fields)
    }

    private static func codeMap<Value>(
        _ node: ConfigNode, _ what: String, _ allowed: [(String, Value)]
    ) throws(ConfigurationError) -> [String: Value] {
        let map = try node.mapping(what, allowed: [])
        var result: [String: Value] = [:]
        for entry in map.entries {
            let key = TextNormaliser.code(entry.key) ?? entry.key
            if result[key] != nil {
                throw entry.value.error("\(what): code '\(entry.key)' is listed twice (codes compare case-insensitively)")
            }
            result[key] = try entry.value.choice("\(what).\(entry.key)", from: allowed)
        }
        return result
    }
}
