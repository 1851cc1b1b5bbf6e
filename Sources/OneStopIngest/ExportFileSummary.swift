import OneStopModel

/// What reading one export file to its end found.
public struct ExportFileSummary: Sendable, Equatable {
    /// Raw text at the dialect's `exportTime` path (untrimmed), nil when the file has none.
    public var exportTime: String?
    /// Records delivered to `onRecord`.
    public var records: Int
    /// Bytes read from disk (compressed bytes for gzip).
    public var bytesOnDisk: Int64
    /// Bytes of XML handed to the parser (equal to `bytesOnDisk` for a plain file).
    public var uncompressedBytes: Int64
    /// The file's modification time (whole seconds) as it was while read, for files without an
    /// export time (R6); nil when not known.
    public var modificationTime: Instant?

    /// Makes a summary (for callers that build one themselves, e.g. in tests).
    public init(
        exportTime: String?, records: Int, bytesOnDisk: Int64, uncompressedBytes: Int64,
        modificationTime: Instant? = nil
    ) {
        self.exportTime = exportTime
        self.records = records
        self.bytesOnDisk = bytesOnDisk
        self.uncompressedBytes = uncompressedBytes
        self.modificationTime = modificationTime
    }
}
