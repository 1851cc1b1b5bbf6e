import Foundation

/// Text rules of docs/contract.md §3.1 and R1: trimmed, Unicode NFC; codes also upper-cased.
public enum TextNormaliser {
    /// Trimmed and NFC-normalised; nil when empty or white space only (R1: counts as missing).
    public static func text(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let trimmed = raw.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        return isASCII(trimmed) ? trimmed : trimmed.precomposedStringWithCanonicalMapping
    }

    /// A code (dossier id, procedure, agency, field): trimmed, NFC and upper-cased; nil when missing.
    public static func code(_ raw: String?) -> String? {
        guard let value = text(raw) else { return nil }
        if isASCII(value) {
            return value.utf8.contains(where: { $0 >= 0x61 && $0 <= 0x7A }) ? value.uppercased() : value
        }
        return value.uppercased().precomposedStringWithCanonicalMapping
    }

    private static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }
}
