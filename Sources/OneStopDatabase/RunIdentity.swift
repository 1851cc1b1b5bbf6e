import Crypto
import Foundation
import OneStopModel

/// What makes two runs the same run: the pipeline, the period, the configuration (its
/// fingerprint) and the inputs (their SHA-256 digests). A run sent again with the same identity
/// replaces the one kept; any other run is kept beside it.
public struct RunIdentity: Sendable, Hashable {
    /// Lower-case hex SHA-256 of the pipeline, the period and the two digests below (the
    /// `identity` column).
    public var digest: String
    /// `PipelineConfiguration.fingerprint(period:)`.
    public var configurationFingerprint: String
    /// Lower-case hex SHA-256 of every input file's source, SHA-256 and size, sorted: the same
    /// exports give the same digest wherever they lie and in whatever order they were read.
    public var inputsSHA256: String

    public init(pipeline: String, period: Period, configurationFingerprint: String, files: [FileReport]) {
        let inputs = files.map { "\($0.source)\t\($0.sha256)\t\($0.bytes)\n" }.sorted().joined()
        inputsSHA256 = Self.hex(inputs)
        self.configurationFingerprint = configurationFingerprint
        let parts = [pipeline, period.from.description, period.to.description, configurationFingerprint, inputsSHA256]
        // Lengths first, so no choice of parts reads like another.
        digest = Self.hex("onestop-run 1\n" + parts.map { "\($0.utf8.count):\($0)\n" }.joined())
    }

    static func hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
