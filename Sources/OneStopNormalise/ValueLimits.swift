import OneStopModel

/// The longest dossier id, code and procedure name a record may carry, in UTF-8 bytes of the
/// normalised value (trimmed, NFC; codes upper-cased). A record with a longer one is rejected
/// (`RejectReason.valueTooLong`).
///
/// Every distinct code and name is kept for the whole run (`StringTable`) and every dossier id
/// for as long as its dossier (`DossierTable`), so without these bounds a hostile export of many
/// huge distinct values (each up to the reader's 1 MiB value cap) would grow memory past
/// docs/contract.md §7. The bounds are far above real values: dossier ids run to about 30 bytes
/// (`000.00.12.H55-221115-00012`; a UUID is 36), procedure, field and agency codes to 15
/// (`T-TNG-264769-TT`), and the longest official procedure names (land registration) to several
/// hundred letters (1–3 bytes each in UTF-8), the fixtures' to 136 bytes.
public enum ValueLimits {
    /// Dossier id: with at most 64 bytes of id, a kept dossier (about 90 bytes besides its id,
    /// see `DossierStore`) stays near docs/contract.md §7's 150 bytes per distinct dossier.
    public static let dossierID = 64
    /// Procedure, field and agency codes.
    public static let code = 64
    /// Procedure name.
    public static let procedureName = 2_048

    /// The most of a rejected value a reject quotes (`unparseableDate`, `unmappedCode`): rejects
    /// are kept until the run ends, so a quoted value must not be the whole of a huge one.
    public static let quotedValue = 100

    /// `value` as a reject quotes it: whole when it has at most `quotedValue` bytes of UTF-8,
    /// else its longest prefix of whole characters that fits, followed by "…".
    public static func quoted(_ value: String) -> String {
        guard value.utf8.count > quotedValue else { return value }
        var kept = 0
        var end = value.startIndex
        for index in value.indices {
            let next = value.index(after: index)
            let length = value.utf8.distance(from: index, to: next)
            if kept + length > quotedValue { break }
            kept += length
            end = next
        }
        return String(value[..<end]) + "…"
    }

    /// The bound for `field`, nil for the fields that have none (flags, codes mapped by the
    /// dialect, dates: those are compared against short known values, never kept as read).
    public static func limit(of field: CanonicalField) -> Int? {
        switch field {
        case .dossierID: dossierID
        case .procedureCode, .field, .agency: code
        case .procedureName: procedureName
        case .channel, .returnMethod, .status, .received, .due, .finished, .returned, .digitised: nil
        }
    }
}
