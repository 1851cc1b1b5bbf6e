extension PipelineFile {
    /// `output.history: PATH | none` and `output.sinks: { postgres: VARIABLE }`.
    static func databaseOutput(
        _ map: ConfigMapping, into output: inout OutputConfiguration, resolve: (String) -> String
    ) throws(ConfigurationError) {
        if let value = map["history"] {
            let text = try value.string("output.history")
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw value.error("output.history is empty; write the SQLite file runs are kept in (e.g. ../out/history.sqlite), or none")
            }
            output.history = text == "none" ? .none : .file(resolve(text))
        }
        if let node = map["sinks"] {
            let sinks = try node.mapping("output.sinks", allowed: ["postgres"])
            if let value = sinks["postgres"] {
                let text = try value.string("output.sinks.postgres")
                // The value is never quoted back: it may be a URL with a password.
                guard let variable = DatabaseURLVariable(name: text) else {
                    throw value.error(
                        "output.sinks.postgres is not the name of an environment variable; write the name of the variable "
                            + "that holds the connection URL (e.g. ONESTOP_DATABASE_URL), so that no password is written "
                            + "in the pipeline file")
                }
                output.postgresURL = variable
            }
        }
    }
}
