import Foundation
import OneStopIngest
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// An export path that is not a regular file fails at once: a named pipe with no writer used to
/// block the whole run forever, a device can stream without end.
@Suite("Files that are not regular files")
struct SpecialFileTests {
    @Test func aNamedPipeFailsWithoutWaitingForAWriter() {
        let dir = TempDir()
        let fifo = dir.url.appendingPathComponent("export.xml").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let outcome = readAll(fifo)
        #expect(outcome.error == .readFailed(reason: "it is a named pipe (FIFO), not a regular file"))
        #expect(outcome.error?.message == "cannot read file: it is a named pipe (FIFO), not a regular file")
    }

    @Test func aDeviceBehindASymbolicLinkFails() throws {
        let dir = TempDir()
        let link = dir.url.appendingPathComponent("export.xml.gz").path
        #expect(symlink("/dev/zero", link) == 0)
        #expect(readAll(link).error == .readFailed(reason: "it is a character device, not a regular file"))
    }

    @Test func aSymbolicLinkToARegularFileIsRead() {
        let dir = TempDir()
        let target = dir.write("real.xml", dvcqgDocument(dvcqgRecord(id: "A")))
        let link = dir.url.appendingPathComponent("link.xml").path
        #expect(symlink(target, link) == 0)
        let outcome = readAll(link)
        #expect(outcome.error == nil)
        #expect(outcome.records.count == 1)
    }
}
