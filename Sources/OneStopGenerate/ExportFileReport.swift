/// What one generated export file holds.
public struct ExportFileReport: Sendable, Codable, Equatable {
    /// Relative to the output folder, e.g. `src01/src01_20220215_01.xml`.
    public var path: String
    public var source: String
    /// Records (dossier versions) in the file.
    public var records: Int
    /// Records written with an unparseable received date: `onestop run` rejects exactly these.
    public var badRecords: Int
    /// Size of the XML text (uncompressed).
    public var xmlBytes: Int64
    /// Size on disk (compressed for `.xml.gz`).
    public var bytesOnDisk: Int64
}
