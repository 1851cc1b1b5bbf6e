import ArgumentParser
import Foundation
import OneStopPipeline

/// The pipeline file named on the command line (`run`, `validate`).
enum PipelineArgument {
    /// Loads and checks it. A file that does not exist or cannot be read is exit 66, like any
    /// input named on the command line; an invalid one (or one naming a missing dialect or
    /// catalogue) is exit 78. `report` receives the message.
    static func load(_ path: String, report: (String) -> Void) throws -> PipelineConfiguration {
        if access(path, R_OK) != 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                report("pipeline file \(path) does not exist")
                throw ExitCode(ExitStatus.noInput.rawValue)
            }
            if code == EACCES {
                report("pipeline file \(path) cannot be read: \(String(cString: strerror(code)))")
                throw ExitCode(ExitStatus.noInput.rawValue)
            }
        }
        do {
            return try PipelineFile.load(path: path)
        } catch {
            report(error.description)
            throw ExitCode(ExitStatus.configuration.rawValue)
        }
    }
}
