import Foundation
import Testing

/// A nightly run notices what is missing: a source that matched no file, a stale source, and
/// `optional: true` (R25, freshness).
@Suite("End to end: missing, stale and optional sources")
struct SourceStatusTests {
    static let daiTuFiles = #"files: ["../Fixtures/demo/dai_tu/*.xml"]"#

    @Test("A source that matched no file: exit 65 naming it; the other sources' figures as without it, byte for byte")
    func missingSource() throws {
        let missing = try DemoVariant("missing-source") { text in
            text.replacingOccurrences(of: Self.daiTuFiles, with: #"files: ["/nonexistent/dai_tu/*.xml"]"#)
        }
        defer { missing.folder.remove() }
        let result = try missing.run()
        #expect(result.status == 65)
        #expect(result.stderr.contains("source 'dai_tu' matched no file (patterns: /nonexistent/dai_tu/*.xml)"),
                "\(result.stderr)")
        #expect(try missing.sources() == ["tinh": "ok", "dai_tu": "missing", "phu_binh": "ok", "dong_hy": "ok"])
        let problems = try missing.summary()["problems"] as? [String] ?? []
        #expect(problems.count == 1 && problems[0].hasPrefix("source 'dai_tu' matched no file"))

        // The same pipeline without the source at all.
        let without = try DemoVariant("without-source") { text in
            text.replacingOccurrences(
                of: "  - name: dai_tu\n    level: district\n    dialect: dvcqg\n    \(Self.daiTuFiles)\n", with: "")
        }
        defer { without.folder.remove() }
        #expect(try !read(without.path).contains("dai_tu"))
        #expect(try without.run().status == 0)
        for file in ["progress.csv", "procedures.csv", "agencies.csv", "monthly.csv", "rejects.csv", "figures.csv"] {
            #expect(try missing.output(file) == without.output(file), "\(file)")
        }
    }

    @Test("optional: true: a source that matched no file is listed, the run exits 0")
    func optionalSource() throws {
        let optional = try DemoVariant("optional-source") { text in
            text.replacingOccurrences(
                of: Self.daiTuFiles, with: "files: [\"/nonexistent/dai_tu/*.xml\"]\n    optional: true")
        }
        defer { optional.folder.remove() }
        let result = try optional.run()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try optional.sources()["dai_tu"] == "optional-missing")
    }

    @Test("freshness.maxAge: a source whose newest export is older at --as-of is stale, exit 65; figures written")
    func staleSource() throws {
        // Newest exports: tinh 02:00, dai_tu 02:05, phu_binh 01:30, dong_hy 01:45 on 2023-01-10.
        let fresh = try DemoVariant("stale", extra: "freshness: { maxAge: 1h }\n")
        defer { fresh.folder.remove() }
        // At 02:20 every source is at most 50 minutes old.
        #expect(try fresh.run(["--as-of", "2023-01-10T02:20"]).status == 0)
        #expect(try fresh.sources() == ["tinh": "ok", "dai_tu": "ok", "phu_binh": "ok", "dong_hy": "ok"])
        let freshness = try fresh.summary()["freshness"] as? [String: Any]
        #expect(freshness?["max_age"] as? String == "1h")
        #expect(freshness?["as_of"] as? String == "2023-01-10T02:20:00+07:00")
        // At 02:40 phu_binh's 01:30 export is 70 minutes old.
        let result = try fresh.run(["--as-of", "2023-01-10T02:40:00+07:00"], out: "later")
        #expect(result.status == 65)
        #expect(result.stderr.contains("source 'phu_binh' is stale: its newest export is from 2023-01-10T01:30:00+07:00"),
                "\(result.stderr)")
        #expect(try fresh.sources(out: "later") == ["tinh": "ok", "dai_tu": "ok", "phu_binh": "stale", "dong_hy": "ok"])
        #expect(try fresh.output("progress.csv", out: "later") == fresh.output("progress.csv"))
    }

    @Test("Inputs named on the command line: sources given none are not selected, not missing")
    func commandLineInputs() throws {
        let variant = try DemoVariant("not-selected")
        defer { variant.folder.remove() }
        let result = try variant.run([repositoryRoot + "/Fixtures/demo/tinh"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try variant.sources() == [
            "tinh": "ok", "dai_tu": "not-selected", "phu_binh": "not-selected", "dong_hy": "not-selected",
        ])
    }

    @Test("A bad freshness or --as-of is refused with what is allowed")
    func badFreshness() throws {
        let bad = try DemoVariant("bad-freshness", extra: "freshness: { maxAge: soon }\n")
        defer { bad.folder.remove() }
        let result = try bad.run()
        #expect(result.status == 78)
        #expect(result.stderr.contains("freshness.maxAge is 'soon'; write a duration such as 36h, 2d or 90m"), "\(result.stderr)")
        let good = try DemoVariant("bad-as-of", extra: "freshness: { maxAge: 36h }\n")
        defer { good.folder.remove() }
        #expect(try good.run(["--as-of", "yesterday"]).status == 64)
    }

    @Test("validate warns about a source that matches no file today, and exits 0")
    func validateWarns() throws {
        let missing = try DemoVariant("validate-missing") { text in
            text.replacingOccurrences(of: Self.daiTuFiles, with: #"files: ["/nonexistent/dai_tu/*.xml"]"#)
        }
        defer { missing.folder.remove() }
        let result = try OneStopCommand.run(["validate", missing.path])
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning: source 'dai_tu' matches no file today"), "\(result.stderr)")
    }
}

/// A period with no data at all: exit 0, a warning, and the province's row of zeros.
@Suite("End to end: an empty period")
struct EmptyPeriodTests {
    @Test("A period no dossier falls in: exit 0, warned about, progress.csv keeps province,ALL at zero")
    func emptyPeriod() throws {
        let variant = try DemoVariant("empty-period")
        defer { variant.folder.remove() }
        let result = try variant.run(["--from", "2000-01-01", "--to", "2000-12-31"], quiet: false)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("no dossier is in scope of 2000-01-01 … 2000-12-31"), "\(result.stderr)")
        let progress = try variant.output("progress.csv").split(separator: "\n")
        #expect(progress.count == 2)
        #expect(progress[1] == "province,ALL," + Array(repeating: "0", count: 16).joined(separator: ",") + ",,,,")
        let warnings = try variant.summary()["warnings"] as? [String: Any]
        #expect(warnings?["empty_period"] as? Bool == true)
    }
}
