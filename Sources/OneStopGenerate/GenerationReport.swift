/// What a generation wrote; saved as `generated.json` in the output folder (last, so its
/// presence means the set is complete). No timestamps: equal settings give equal bytes.
public struct GenerationReport: Sendable, Codable, Equatable {
    public var generator: String
    public var dialect: String
    public var seed: UInt64
    public var year: Int
    public var sources: Int
    public var nights: Int
    public var gzip: Bool
    /// Distinct dossiers: the deduplication state `onestop run` must hold (docs/contract.md §7).
    public var dossiers: Int
    /// Records written (every version of every dossier): `records_read` of a run over the set.
    public var records: Int
    /// Records written with an unparseable received date: `rejected` of a run over the set.
    public var badRecords: Int
    /// Uncompressed XML bytes over all files.
    public var xmlBytes: Int64
    public var bytesOnDisk: Int64
    public var files: [ExportFileReport]
}
