import Foundation
import ZIPFoundation

extension Workbook {
    /// Every entry's modification time: 1980-01-01 00:00:00, the earliest a zip (MS-DOS) time can
    /// hold. Fixed, so the same workbook gives the same bytes on every run.
    static let entryDate = Date(timeIntervalSince1970: 315_532_800)

    /// The `.xlsx` file: the parts deflated into a zip, in a fixed order, each with `entryDate`.
    func xlsx() throws(ReportError) -> [UInt8] {
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for part in parts() {
                let data = Data(part.text.utf8)
                try archive.addEntry(
                    with: part.path, type: .file, uncompressedSize: Int64(data.count),
                    modificationDate: Self.entryDate, permissions: 0o644, compressionMethod: .deflate
                ) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            guard let data = archive.data else { throw ReportError.cannotBuildWorkbook(reason: "the archive has no data") }
            return [UInt8](data)
        } catch let error as ReportError {
            throw error
        } catch {
            throw .cannotBuildWorkbook(reason: "\(error)")
        }
    }
}
