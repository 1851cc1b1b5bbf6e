import ArgumentParser
import Foundation
import OneStopGenerate
import OneStopModel
import OneStopPipeline

extension OneStop {
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a deterministic set of realistic exports, its catalogue and a ready-to-run pipeline.",
            discussion: """
                Writes DIR/srcNN/*.xml (or .xml.gz): nightly exports of K one-stop-shop systems in one dialect, in \
                which dossiers reappear with later statuses (supplements, carried over, postal submission and \
                return, digitised, late, in progress); DIR/catalogue.csv; DIR/pipeline.yaml (run it with \
                `onestop run DIR/pipeline.yaml`); and DIR/generated.json, the counts a run must find \
                (records = records_read, badRecords = rejected, dossiers = distinct dossiers). \
                Equal options give byte-identical files. Exit 64 on bad options, 66 when the dialect file is not \
                found, 71 when ulimit -n or -v is too low, 73 when DIR is not empty or cannot be written, 78 when \
                the dialect file is invalid or cannot be generated.
                """)

        @Option(help: "Records to write in all (every version of a dossier in a nightly export is one record).")
        var records: Int

        @Option(help: """
            Number of one-stop-shop systems, 1 to 10000 (src01, src02, …), in provinces of four: a provincial \
            centre and three district desks (252 is 63 provinces).
            """)
        var sources: Int = 4

        @Option(help: "Seed of every random choice: the same seed and options give byte-identical files.")
        var seed: UInt64 = 1

        @Option(help: "Dialect to write: a name looked up as `onestop inspect` does (--dialects, else Pipelines/dialects here or above the binary), or the path of a dialect file.")
        var dialect: String = "dvcqg"

        @Option(help: "Folder of dialect files (named, as an absolute path, in the generated pipeline.yaml).")
        var dialects: String?

        @Flag(help: "Write gzip-compressed exports (.xml.gz) instead of plain .xml.")
        var gzip = false

        @Option(help: "Output folder; created if missing, refused if not empty.")
        var out: String

        @Option(help: "Exports (nightly files) per system, spread over the year and ten days after it.")
        var nights: Int = 8

        @Option(help: "Distinct dossiers over all systems (default: records / exports-per-dossier).")
        var dossiers: Int?

        @Option(help: "Average exports in which one dossier appears, when --dossiers is not given; raise it (with --records and --nights) to grow the files but not the dossiers.")
        var exportsPerDossier: Double = 3

        @Option(help: "Reporting year: the pipeline's period; dossiers are received from mid-November before it.")
        var year: Int = 2022

        @Option(help: "Share of records written with an unparseable received date, which a run rejects (0 to 1).")
        var badRate: Double = 0.0005

        @Option(help: "Time zone named in the generated pipeline (dates are written as local times).")
        var timezone: String = "Asia/Ho_Chi_Minh"

        @Option(help: "Files written in parallel (default: the number of cores).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Flag(help: "Print nothing but errors.")
        var quiet = false

        func validate() throws {
            guard exportsPerDossier >= 1 else { throw ValidationError("--exports-per-dossier must be at least 1") }
            if let dossiers, dossiers < 1 { throw ValidationError("--dossiers must be at least 1") }
        }

        func run() throws {
            do throws(ResourceLimits.Shortage) {
                try ResourceLimits.check(jobs: max(1, jobs))
            } catch {
                CommandLogging.printError(error.description)
                throw ExitCode(ExitStatus.resourceLimit.rawValue)
            }
            let dialectPath: String
            do throws(DialectLocator.Failure) {
                dialectPath = try DialectLocator(folder: dialects, pipeline: nil, executable: OneStop.executablePath)
                    .locate(dialect)
            } catch {
                CommandLogging.printError(error.description)
                throw ExitCode(error.exitStatus.rawValue)
            }
            let loaded: Dialect
            do {
                loaded = try DialectFile.load(path: dialectPath)
            } catch {
                CommandLogging.printError("\(error)")
                throw ExitCode(ExitStatus.configuration.rawValue)
            }
            let folder = Generate.absolute((dialectPath as NSString).deletingLastPathComponent)
            let name = ((dialectPath as NSString).lastPathComponent as NSString).deletingPathExtension
            let distinct = dossiers ?? max(1, Int((Double(records) / exportsPerDossier).rounded()))
            let settings = GenerationSettings(
                records: records, sources: sources, seed: seed, dialect: loaded, gzip: gzip, nights: nights,
                dossiers: distinct, year: year, badRecordRate: badRate, jobs: max(1, jobs), timezone: timezone)
            let started = Date()
            do throws(GenerationError) {
                let report = try ExportGenerator(settings: settings, dialectsFolder: folder, dialectName: name)
                    .generate(into: out)
                if !quiet {
                    let seconds = Date().timeIntervalSince(started)
                    let megabytes = Double(report.xmlBytes) / 1_000_000
                    print(
                        "wrote \(report.files.count) files, \(report.records) records of \(report.dossiers) dossiers, "
                            + String(format: "%.1f MB of XML (%.1f MB on disk) in %.1f s", megabytes,
                                     Double(report.bytesOnDisk) / 1_000_000, seconds))
                    print("run it: onestop run " + TerminalText.escaped((out as NSString).appendingPathComponent("pipeline.yaml")))
                }
            } catch {
                CommandLogging.printError("\(error)")
                switch error {
                case .invalidOptions: throw ExitCode(ExitStatus.usage.rawValue)
                case .unsupportedDialect: throw ExitCode(ExitStatus.configuration.rawValue)
                case .cannotWrite: throw ExitCode(ExitStatus.cannotWriteOutput.rawValue)
                }
            }
        }

        private static func absolute(_ path: String) -> String {
            let full = path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
            return (full as NSString).standardizingPath
        }
    }
}
