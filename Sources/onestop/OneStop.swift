import ArgumentParser

/// The `onestop` command: flags only; the work is in `OneStopPipeline`.
@main
struct OneStop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onestop",
        abstract: "Turns one-stop-shop dossier exports (XML, plain or gzip) into the PAR Index / SIPAS figures.",
        discussion: """
            Exit codes: 0 done · 64 bad usage · 65 a file could not be read to its end, or too many rejects · \
            66 no input files · 70 internal error · 73 output cannot be written · 75 a database could not be \
            reached (the output set is published; send it again with `onestop sink`) · 78 invalid pipeline, \
            dialect or catalogue file.
            """,
        subcommands: [Run.self, Merge.self, Validate.self, Inspect.self, Generate.self, Sink.self, History.self],
        defaultSubcommand: nil
    )
}
