import Foundation
import OneStopIngest
import OneStopModel
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("libxml2 prints nothing")
struct StderrSilenceTests {
    /// Runs `body` with file descriptor 2 redirected to a file and returns what was written.
    /// Other tests may write to stderr meanwhile, so callers look for libxml2's own markers.
    static func capturingStderr(_ body: () -> Void) throws -> String {
        let dir = TempDir()
        let path = dir.url.appendingPathComponent("stderr.txt").path
        let capture = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(capture >= 0)
        let saved = dup(2)
        dup2(capture, 2)
        body()
        dup2(saved, 2)
        close(saved)
        close(capture)
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    @Test func failingFilesLeaveStderrSilent() throws {
        let dir = TempDir()
        var badEncoding = Array("<?xml version=\"1.0\" encoding=\"EUC-JP\"?>\n<DanhSachHoSo><HoSo><MaHoSo>".utf8)
        badEncoding += [0x8E, 0xFF, 0xFE, 0x8F, 0xA1] + Array("</MaHoSo></HoSo></DanhSachHoSo>".utf8)
        let files = [
            dir.write("mismatch.xml", "<DanhSachHoSo><HoSo></HoSoX></DanhSachHoSo>"),
            dir.write("cut.xml", "<DanhSachHoSo><HoSo><MaHo"),
            dir.write("ns.xml", "<DanhSachHoSo xmlns:a=\"rel/uri\"><u:HoSo><MaHoSo>A</MaHoSo></u:HoSo></DanhSachHoSo>"),
            dir.write("utf8.xml", [UInt8]("<DanhSachHoSo><HoSo><MaHoSo>".utf8) + [0xC3, 0x28] + Array("</MaHoSo></HoSo></DanhSachHoSo>".utf8)),
            dir.write("enc.xml", badEncoding),
            dir.write("unknown-enc.xml", "<?xml version=\"1.0\" encoding=\"X-NO-SUCH-ENCODING\"?><DanhSachHoSo/>"),
            dir.write("xxe.xml", "<!DOCTYPE DanhSachHoSo [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><DanhSachHoSo>&x;</DanhSachHoSo>"),
            dir.write("undeclared.xml", "<DanhSachHoSo>&x;</DanhSachHoSo>"),
            dir.write("gz.xml.gz", Array(Gzip.compress(Array(dvcqgDocument(dvcqgRecord(id: "A")).utf8)).dropLast(20))),
        ]
        var failures = 0
        let output = try Self.capturingStderr {
            for file in files where readAll(file).error != nil {
                failures += 1
            }
        }
        #expect(failures == files.count - 1)  // all but the undeclared prefix fail
        for marker in ["parser error", "namespace error", "encoder error", "I/O error", "error :", "warning :"] {
            #expect(!output.contains(marker), "stderr got libxml2 output: \(output)")
        }
    }
}
