import Foundation
import OneStopModel
import OneStopReport

/// Loads a pipeline file (`Pipelines/NAME.yaml`), the dialect files it names and its catalogue,
/// checking every key (README "Pipeline files" documents the format). Relative paths are
/// resolved against the pipeline file's folder.
public enum PipelineFile {
    static let topKeys = [
        "pipeline", "description", "period", "timezone", "catalogue", "agencies", "dialects", "sources", "targets",
        "digitisationEffective", "rules", "freshness", "report", "output",
    ]

    public static func load(path: String) throws(ConfigurationError) -> PipelineConfiguration {
        let text = try ConfigurationText.read(path, what: "pipeline file", howToFix: "save it as UTF-8 in your editor")
        let folder = (absolute(path) as NSString).deletingLastPathComponent
        return try parse(yaml: text, file: path, folder: folder)
    }

    /// Parses pipeline YAML; `folder` is where relative paths start.
    public static func parse(yaml: String, file: String, folder: String) throws(ConfigurationError) -> PipelineConfiguration {
        let top = try ConfigNode.load(yaml: yaml, file: file).mapping("a pipeline file", allowed: topKeys)
        func resolve(_ relative: String) -> String {
            relative.hasPrefix("/") ? relative : lexical((folder as NSString).appendingPathComponent(relative))
        }

        let nameNode = try top.required("pipeline")
        let name = try nameNode.string("pipeline")
        // The name is also the default output folder (../out/<pipeline>): it must be one folder name.
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw nameNode.error("pipeline is '\(name)'; write a name for the run: non-empty text without '/' (e.g. thai-nguyen-2022)")
        }
        if let description = top["description"] { _ = try description.string("description (free text)") }

        let periodNode = try top.required("period")
        let periodMap = try periodNode.mapping("period", allowed: ["from", "to"])
        let from = try date(periodMap.required("from"), "period.from")
        let toNode = try periodMap.required("to")
        let to = try date(toNode, "period.to")
        guard from <= to else { throw toNode.error("period.from (\(from)) is after period.to (\(to))") }

        let zoneNode = try top.required("timezone")
        let zone = try zoneNode.string("timezone")
        guard let clock = LocalClock(identifier: zone) else {
            throw zoneNode.error("timezone '\(zone)' is not an IANA zone name (e.g. Asia/Ho_Chi_Minh)")
        }

        let catalogueNode = try top.required("catalogue")
        let catalogueFile = resolve(try catalogueNode.string("catalogue"))
        var catalogueIsFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: catalogueFile, isDirectory: &catalogueIsFolder) else {
            throw catalogueNode.error("catalogue file \(catalogueFile) does not exist")
        }
        guard !catalogueIsFolder.boolValue else {
            throw catalogueNode.error("catalogue \(catalogueFile) is a folder; write the path of the catalogue CSV file")
        }
        let catalogue = try CatalogueFile.load(path: catalogueFile)
        var fingerprint = ConfigurationFingerprint()
        fingerprint.add("pipeline", name)
        fingerprint.add("timezone", zone)
        fingerprint.add("catalogue", contentsOf: catalogueFile)

        var agencies: AgencyRegister?
        if let node = top["agencies"] {
            let registerFile = resolve(try node.string("agencies"))
            guard FileSystemCheck.isRegularFile(registerFile) else {
                throw node.error("agency register \(registerFile) does not exist or is not a file; write the path of a CSV with the header code,name,level,parent")
            }
            agencies = try AgencyRegisterFile.load(path: registerFile)
            fingerprint.add("agencies", contentsOf: registerFile)
        }

        let dialectFolder = resolve(try top["dialects"]?.string("dialects") ?? "dialects")
        var dialects: [String: Dialect] = [:]

        let sourcesNode = try top.required("sources")
        var sources: [SourceConfiguration] = []
        // A set, not a search of `sources`: a pipeline may list tens of thousands of sources.
        var sourceNames: Set<String> = []
        for node in try sourcesNode.sequence("sources") {
            let map = try node.mapping("a source", allowed: ["name", "level", "dialect", "files", "optional"])
            let sourceName = try map.required("name").string("source name")
            guard !sourceName.isEmpty, !sourceName.contains(":") else {
                throw node.error("a source name must be non-empty text without ':'")
            }
            guard sourceNames.insert(sourceName).inserted else {
                throw node.error("source name '\(sourceName)' is used twice; names must be unique")
            }
            let level = try map.required("level").choice("level", from: Level.allCases.map { ($0.rawValue, $0) })
            let dialectNode = try map.required("dialect")
            let dialectName = try dialectNode.string("dialect")
            let dialect: Dialect
            if let known = dialects[dialectName] {
                dialect = known
            } else {
                let dialectPath = (dialectFolder as NSString).appendingPathComponent("\(dialectName).yaml")
                guard !dialectName.isEmpty, !dialectName.contains("/"), FileManager.default.fileExists(atPath: dialectPath)
                else {
                    let available = ((try? FileManager.default.contentsOfDirectory(atPath: dialectFolder)) ?? [])
                        .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
                    throw dialectNode.error(
                        "dialect '\(dialectName)' not found: no file \(dialectPath); allowed: "
                            + (available.isEmpty ? "none (no .yaml file in \(dialectFolder))" : available.joined(separator: ", ")))
                }
                dialect = try DialectFile.load(path: dialectPath)
                dialects[dialectName] = dialect
                fingerprint.add("dialect \(dialectName)", contentsOf: dialectPath)
            }
            let filesNode = try map.required("files")
            let written = try filesNode.strings("files")
            let patterns = written.map(resolve)
            guard !patterns.isEmpty, !patterns.contains(where: { $0 == folder }) else {
                throw filesNode.error("files must list at least one glob pattern of export files (e.g. \"exports/*.xml.gz\")")
            }
            let optional = try map["optional"]?.bool("optional") ?? false
            fingerprint.add("source", [sourceName, level.rawValue, dialectName, optional ? "optional" : "required"] + written)
            sources.append(SourceConfiguration(
                name: sourceName, level: level, dialect: dialect, patterns: patterns, writtenPatterns: written,
                optional: optional))
        }
        guard !sources.isEmpty else { throw sourcesNode.error("sources must list at least one source") }

        var targets = Targets()
        if let node = top["targets"] {
            let map = try node.mapping("targets", allowed: ScorecardMeasure.allCases.map(\.rawValue))
            for entry in map.entries {
                let text = try entry.value.string("targets.\(entry.key)")
                guard let fraction = Fraction(decimal: text), fraction.numerator <= fraction.denominator else {
                    throw entry.value.error(
                        "targets.\(entry.key) is '\(text)'; write a fraction between 0 and 1 as a decimal (0.999), a percentage (99.9%) or n/d (999/1000)")
                }
                targets.values[ScorecardMeasure(rawValue: entry.key)!] = fraction
            }
        }
        if let node = top["digitisationEffective"] {
            let map = try node.mapping("digitisationEffective", allowed: Level.allCases.map(\.rawValue))
            for entry in map.entries {
                targets.digitisationEffective[Level(rawValue: entry.key)!] = try date(
                    entry.value, "digitisationEffective.\(entry.key)")
            }
        }

        var rules = Rules()
        if let node = top["rules"] {
            let map = try node.mapping("rules", allowed: ["onTimeGranularity", "multipleSupplementsAreLate", "maxRejectRate"])
            if let value = map["onTimeGranularity"] {
                rules.onTimeGranularity = try value.choice(
                    "rules.onTimeGranularity", from: OnTimeGranularity.allCases.map { ($0.rawValue, $0) })
            }
            if let value = map["multipleSupplementsAreLate"] {
                rules.multipleSupplementsAreLate = try value.bool("rules.multipleSupplementsAreLate")
            }
            if let value = map["maxRejectRate"] {
                let text = try value.string("rules.maxRejectRate")
                if text == "none" {
                    rules.maxRejectRate = nil
                } else {
                    guard let fraction = Fraction(decimal: text), fraction.numerator <= fraction.denominator else {
                        throw value.error("rules.maxRejectRate is '\(text)'; write a fraction between 0 and 1 (0.05, 5%) or 'none'")
                    }
                    rules.maxRejectRate = fraction
                }
            }
        }

        var freshness: Freshness?
        if let node = top["freshness"] {
            let map = try node.mapping("freshness", allowed: ["maxAge"])
            let ageNode = try map.required("maxAge")
            let text = try ageNode.string("freshness.maxAge")
            guard let seconds = Freshness.seconds(text) else {
                throw ageNode.error("freshness.maxAge is '\(text)'; write a duration such as 36h, 2d or 90m")
            }
            freshness = Freshness(maxAge: text, maxAgeSeconds: seconds)
        }

        var minimumDossiersToRank = 10
        if let node = top["report"] {
            let map = try node.mapping("report", allowed: ["minDossiers"])
            if let value = map["minDossiers"] {
                let text = try value.string("report.minDossiers")
                guard let number = Int(text), number >= 1 else {
                    throw value.error("report.minDossiers is '\(text)'; write a whole number of dossiers, at least 1")
                }
                minimumDossiersToRank = number
            }
        }

        fingerprint.add("rules", [
            rules.onTimeGranularity.rawValue, String(rules.multipleSupplementsAreLate),
            rules.maxRejectRate?.description ?? "none",
        ])
        for measure in ScorecardMeasure.allCases {
            fingerprint.add("target \(measure.rawValue)", targets.values[measure]?.description ?? "none")
        }
        for level in Level.allCases {
            fingerprint.add("digitisation \(level.rawValue)", targets.digitisationEffective[level]?.description ?? "none")
        }
        fingerprint.add("freshness", freshness?.maxAge ?? "none")
        fingerprint.add("minDossiers", String(minimumDossiersToRank))

        var output = OutputConfiguration(directory: resolve("../out/\(name)"))
        if let node = top["output"] {
            let map = try node.mapping(
                "output", allowed: ["directory", "monthly", "excel", "xlsx", "language", "dossiers", "history", "sinks"])
            if let value = map["directory"] {
                let text = try value.string("output.directory")
                guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw value.error("output.directory is empty; write the folder the output set goes to (e.g. ../out/\(name))")
                }
                output.directory = resolve(text)
            }
            if let value = map["monthly"] { output.monthly = try value.bool("output.monthly") }
            if let value = map["excel"] { output.excel = try value.bool("output.excel") }
            if let value = map["xlsx"] { output.xlsx = try value.bool("output.xlsx") }
            if let value = map["dossiers"] { output.dossiers = try value.bool("output.dossiers") }
            if let value = map["language"] {
                output.language = try value.choice("output.language", from: ReportLanguage.allCases.map { ($0.rawValue, $0) })
            }
            try databaseOutput(map, into: &output, resolve: resolve)
        }

        var configuration = PipelineConfiguration(
            name: name, file: file, period: Period(from: from, to: to), clock: clock, catalogue: catalogue,
            catalogueFile: catalogueFile, sources: sources, targets: targets, rules: rules, output: output)
        configuration.agencies = agencies
        configuration.freshness = freshness
        configuration.minimumDossiersToRank = minimumDossiersToRank
        configuration.fingerprintBase = fingerprint
        return configuration
    }

    private static func date(_ node: ConfigNode, _ what: String) throws(ConfigurationError) -> LocalDate {
        let text = try node.string(what)
        guard let date = LocalDate(iso: text) else { throw node.error("\(what) is '\(text)'; write a date as YYYY-MM-DD") }
        return date
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }

    /// Absolute, with `.`, `..` and repeated slashes resolved by the text alone (as a shell's
    /// `cd` does), links kept: Foundation's `standardizingPath` resolves them on Linux, so an
    /// export named through a link showed its target's name and could lose its source.
    static func lexical(_ path: String) -> String {
        var parts: [Substring] = []
        for part in absolute(path).split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
