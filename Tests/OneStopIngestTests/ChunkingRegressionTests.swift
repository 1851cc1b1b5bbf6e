import Foundation
import OneStopModel
import Testing
@testable import OneStopIngest

/// Read-chunk boundaries are an artefact of reading: a file gives the same records, or fails the
/// same way, whatever the chunk size (the fuzz target's differential check, here as unit tests).
@Suite("Reading does not depend on where chunks end")
struct ChunkingRegressionTests {
    /// Down to 2 bytes: the gzip magic is looked for in the first chunk read.
    static let sizes = [ExportReader.chunkSize, 4096, 509, 61, 7, 2]

    static let name = "Chứng thực chữ ký Đường Ưu Ứng"

    static func document(encoding: String) -> String {
        dvcqgDocument(
            (1...30).map { dvcqgRecord(id: "R\($0)").replacingOccurrences(of: "Cấp giấy phép xây dựng", with: name) }.joined(),
        ).replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"\(encoding)\"")
    }

    /// Fuzz finding 2 (the differential check, after 20 minutes): a label of UTF-8 that only ICU
    /// knows ("UT-F-8": ICU matches names loosely) read whole, but failed in small chunks with
    /// "input conversion failed due to input error": libxml2 2.9's ICU converter flushes at the
    /// end of every chunk and breaks a character split between two. In 256 KiB chunks such a file
    /// read or failed depending on where the boundaries fell among its Vietnamese letters.
    /// Fuzz/regressions/icu-encoding-label.xml.
    static let fuzzFinding = """
        <?xml version="1.0" encoding="UT-F-8"?>
        <BaoCao>
          <ThongTin donVi="UBND huyện Phú Bình" maDonVi="H55.22" thoimuXDaiet="01/08/2022 01:30:00"/>
          <DuLieu>
            <hoSo ma="H55.22-220107-0039" thQua="buuUTF-7_co" soHoa="co">
              <tenThuTuc>Chứng thực chữ ký</tenThuTuc>
              <hoiGian tiepNhan="31/12/2022"/></hoSo>
          </DuLieu>
        </BaoCao>

        """

    @Test("An encoding libxml2 reads only through ICU fails, whatever the chunk size", arguments: sizes)
    func icuOnlyEncodingFails(size: Int) {
        let dir = TempDir()
        let outcome = readAll(dir.write("icu.xml", Self.fuzzFinding), dialect: Dialects.igate, readSize: size)
        #expect(outcome.records.isEmpty)
        #expect(outcome.error == .unreliableEncoding(name: "UT-F-8", line: 1))
        #expect(outcome.error?.message.hasPrefix("the declared encoding 'UT-F-8' is not supported") == true)
    }

    @Test("UTF-8 under the names only ICU knows is read as UTF-8, whatever the chunk size",
          arguments: LibXML.utf8Aliases + ["utf8mb4", "x-utf-8", "Windows-65001"])
    func utf8AliasesAreReadAsUTF8(alias: String) throws {
        let dir = TempDir()
        let path = dir.write("alias.xml", Self.document(encoding: alias))
        let whole = readAll(path, dialect: Dialects.dvcqg, readSize: ExportReader.chunkSize)
        #expect(whole.error == nil, "\(alias): \(String(describing: whole.error))")
        #expect(whole.records.count == 30)
        #expect(whole.records.allSatisfy { $0[.procedureName] == Self.name })
        for size in [61, 7] {
            let chunked = readAll(path, dialect: Dialects.dvcqg, readSize: size)
            #expect(chunked.error == nil, "\(alias), \(size)-byte chunks: \(String(describing: chunked.error))")
            #expect(chunked.records == whole.records)
        }
    }

    @Test("UTF-8, UTF-16 (both orders), ISO-8859-1 and gzip give the same records in any chunk size")
    func standardEncodingsAreChunkIndependent() throws {
        let dir = TempDir()
        let utf8 = Self.document(encoding: "UTF-8")
        let latin = utf8.replacingOccurrences(of: Self.name, with: "Café déjà vu")
            .replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"ISO-8859-1\"")
        let files: [(String, [UInt8])] = [
            ("utf8.xml", Array(utf8.utf8)),
            ("utf16le.xml", [0xFF, 0xFE] + utf8.replacingOccurrences(of: "UTF-8", with: "UTF-16").utf16
                .flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }),
            ("utf16be.xml", [0xFE, 0xFF] + utf8.replacingOccurrences(of: "UTF-8", with: "UTF-16").utf16
                .flatMap { [UInt8(truncatingIfNeeded: $0 >> 8), UInt8(truncatingIfNeeded: $0)] }),
            ("latin1.xml", latin.unicodeScalars.map { $0.value < 256 ? UInt8($0.value) : UInt8(ascii: "?") }),
            ("utf8.xml.gz", Gzip.compress(Array(utf8.utf8), members: 3)),
        ]
        for (name, bytes) in files {
            let path = dir.write(name, bytes)
            let whole = readAll(path, dialect: Dialects.dvcqg, readSize: ExportReader.chunkSize)
            #expect(whole.error == nil, "\(name): \(String(describing: whole.error))")
            #expect(whole.records.count == 30, "\(name)")
            for size in Self.sizes.dropFirst() {
                let chunked = readAll(path, dialect: Dialects.dvcqg, readSize: size)
                #expect(chunked.error == nil, "\(name), \(size)-byte chunks: \(String(describing: chunked.error))")
                #expect(chunked.records == whole.records, "\(name), \(size)-byte chunks")
                #expect(chunked.summary == whole.summary, "\(name), \(size)-byte chunks")
            }
        }
    }
}
