import OneStopAggregate
import OneStopModel

/// Renders `summary.json` (docs/contract.md §5): pretty-printed, two-space indent, keys in the fixed order
/// below, every absent value an explicit `null`, no timestamps of the run itself — equal reports
/// give equal bytes.
///
/// ```
/// pipeline                    the pipeline's name
/// period                      {from, to (YYYY-MM-DD), timezone}
/// rules                       {on_time_granularity ("day"|"instant"), multiple_supplements_are_late,
///                              max_reject_rate (number or null)}
/// accounting                  {records_read, rejected,
///                              rejected_by_reason {reason: count, sorted by reason},
///                              superseded, not_accepted, kept,
///                              identity_ok (R7: records_read = rejected + superseded + not_accepted + kept),
///                              files: [{path, source, bytes, sha256, status ("ok"|"failed"),
///                                       export_time (ISO 8601 or null), records, rejected,
///                                       error, line (only for a failed file; line may be null)}]
///                                     sorted by path}
/// sources                     [{name, level, files, failed_files, records, newest_export_time
///                               (ISO 8601 or null), status ("ok"|"missing"|"stale"|"optional-missing")}]
///                              in the pipeline's order
/// freshness                   {max_age, as_of} when the pipeline sets freshness, else null
/// warnings                    {no_due_date {count, dossiers: ["source:id", sorted]},
///                              unknown_procedures {code: kept dossiers with it, sorted by code},
///                              missing_agency {count, dossiers: ["source:id", sorted]},
///                              export_time_from_mtime: [file paths, sorted],
///                              unregistered_agencies: [codes, sorted],
///                              empty_period (true when nothing is in scope)}
/// problems                    [why the run exits 65, one message each; empty when none]
/// progress_identity_failures  [rows whose total ≠ resolved + in progress; empty when all is well]
/// scorecard                   {province: [line], by_level: {province: [line], district: [line], commune: [line]}}
///   line                      {name, value (rounded half-up to 4 decimals, or null when the
///                              denominator is 0), numerator, denominator, target (exact decimal, or
///                              null without a target), met (true, false, or null when value or target
///                              is null), gap (extra numerator units, same denominator, that meet the
///                              target; 0 when met; null when value or target is null)}
///                              by_level lines also carry no_source (true for a level no source has)
/// configuration_fingerprint   the configuration's fingerprint (with the inputs' digests, the run's
///                             identity in a database)
/// comparison                  the scorecard against the period before, or null (`SummaryJSON+Comparison`)
/// ```
public enum SummaryJSON {
    /// The whole document, ending with a newline.
    public static func render(_ report: RunReport) -> String {
        let document = JSONValue.object([
            ("pipeline", .string(report.pipeline)),
            ("period", period(report)),
            ("rules", rules(report.rules)),
            ("accounting", accounting(report.accounting)),
            ("sources", .array(report.sources.map(source))),
            ("freshness", freshness(report)),
            ("warnings", warnings(report.warnings)),
            ("problems", .array(report.problems.map { .string($0.description) })),
            ("progress_identity_failures", .array(report.aggregation.identityFailures.map(JSONValue.string))),
            ("scorecard", scorecard(report.aggregation.scorecard)),
            ("configuration_fingerprint", report.configurationFingerprint.map(JSONValue.string) ?? .null),
            ("comparison", comparison(report)),
        ])
        return document.pretty() + "\n"
    }

    static func source(_ source: SourceReport) -> JSONValue {
        .object([
            ("name", .string(source.name)),
            ("level", .string(source.level.rawValue)),
            ("files", .int(source.files)),
            ("failed_files", .int(source.failedFiles)),
            ("records", .int(source.records)),
            ("newest_export_time", source.newestExportTime.map(JSONValue.string) ?? .null),
            ("status", .string(source.status.rawValue)),
        ])
    }

    static func freshness(_ report: RunReport) -> JSONValue {
        guard let maxAge = report.freshnessMaxAge else { return .null }
        return .object([("max_age", .string(maxAge)), ("as_of", report.asOf.map(JSONValue.string) ?? .null)])
    }

    static func period(_ report: RunReport) -> JSONValue {
        .object([
            ("from", .string(report.period.from.description)),
            ("to", .string(report.period.to.description)),
            ("timezone", .string(report.timezone)),
        ])
    }

    static func rules(_ rules: Rules) -> JSONValue {
        .object([
            ("on_time_granularity", .string(rules.onTimeGranularity.rawValue)),
            ("multiple_supplements_are_late", .bool(rules.multipleSupplementsAreLate)),
            ("max_reject_rate", rules.maxRejectRate.map(decimal) ?? .null),
        ])
    }

    static func accounting(_ accounting: RunAccounting) -> JSONValue {
        let byReason = accounting.rejectedByReason.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.int($0.value)) }
        return .object([
            ("records_read", .int(accounting.recordsRead)),
            ("rejected", .int(accounting.rejected)),
            ("rejected_by_reason", .object(byReason)),
            ("superseded", .int(accounting.superseded)),
            ("not_accepted", .int(accounting.notAccepted)),
            ("kept", .int(accounting.kept)),
            ("identity_ok", .bool(accounting.balances)),
            ("files", .array(accounting.files.map(file))),
        ])
    }

    static func file(_ file: FileReport) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("path", .string(file.path)),
            ("source", .string(file.source)),
            ("bytes", .number(String(file.bytes))),
            ("sha256", .string(file.sha256)),
            ("status", .string(file.status.rawValue)),
            ("export_time", file.exportTime.map(JSONValue.string) ?? .null),
            ("records", .int(file.records)),
            ("rejected", .int(file.rejected)),
        ]
        if file.status == .failed {
            members.append(("error", .string(file.error ?? "")))
            members.append(("line", file.line.map(JSONValue.int) ?? .null))
        }
        return .object(members)
    }

    static func warnings(_ warnings: RunWarnings) -> JSONValue {
        func listed(_ dossiers: [String]) -> JSONValue {
            .object([("count", .int(dossiers.count)), ("dossiers", .array(dossiers.map(JSONValue.string)))])
        }
        return .object([
            ("no_due_date", listed(warnings.noDueDate)),
            ("unknown_procedures", .object(warnings.unknownProcedures.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
            ("missing_agency", listed(warnings.missingAgency)),
            ("export_time_from_mtime", .array(warnings.exportTimeFromModificationTime.map(JSONValue.string))),
            ("unregistered_agencies", .array(warnings.unregisteredAgencies.map(JSONValue.string))),
            ("empty_period", .bool(warnings.emptyPeriod)),
        ])
    }

    static func scorecard(_ scorecard: Scorecard) -> JSONValue {
        .object([
            ("province", .array(scorecard.province.map { line($0) })),
            ("by_level", .object(scorecard.byLevel.map { level in
                (level.level.rawValue, .array(level.lines.map { line($0, noSource: !level.hasSources) }))
            })),
        ])
    }

    static func line(_ line: ScorecardLine, noSource: Bool? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(line.measure.rawValue)),
            ("value", line.value.formatted(places: 4).map(JSONValue.number) ?? .null),
            ("numerator", .int(line.value.numerator)),
            ("denominator", .int(line.value.denominator)),
            ("target", line.target.map(decimal) ?? .null),
            ("met", line.met.map(JSONValue.bool) ?? .null),
            ("gap", line.gap.map(JSONValue.int) ?? .null),
        ]
        if let noSource { members.append(("no_source", .bool(noSource))) }
        return .object(members)
    }

    /// A fraction as a JSON number: its exact decimal when that has at most 15 decimals (targets
    /// parsed from the pipeline always do), else the nearest `Double`; null for a
    /// fraction no target can be (negative, or denominator 0).
    static func decimal(_ fraction: Fraction) -> JSONValue {
        guard fraction.denominator > 0, fraction.numerator >= 0 else { return .null }
        return .number(decimalText(fraction))
    }

    /// A non-negative fraction as decimal text: exact when it has at most 15 decimals, else the
    /// nearest `Double`.
    public static func decimalText(_ fraction: Fraction) -> String {
        let whole = fraction.numerator / fraction.denominator
        var remainder = fraction.numerator % fraction.denominator
        var digits = ""
        while remainder != 0 && digits.count < 15 {
            let (shifted, overflow) = remainder.multipliedReportingOverflow(by: 10)
            if overflow { break }
            digits.append(Character(String(shifted / fraction.denominator)))
            remainder = shifted % fraction.denominator
        }
        guard remainder == 0 else { return String(Double(fraction.numerator) / Double(fraction.denominator)) }
        return digits.isEmpty ? String(whole) : "\(whole).\(digits)"
    }
}
