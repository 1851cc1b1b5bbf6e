import Foundation

/// Counts what the run has read so far and, on a terminal, shows it on standard error
/// (files, MB/s, records); silent in cron.
public final class RunProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = 0
    private var records = 0
    private var filesDone = 0
    private let totalFiles: Int
    private let started = Date()
    private var lastDrawn = Date.distantPast
    private let draws: Bool

    /// `draws`: whether to draw on standard error (a terminal, and not `--quiet`).
    public init(totalFiles: Int, draws: Bool) {
        self.totalFiles = totalFiles
        self.draws = draws
    }

    func add(bytes count: Int) {
        lock.lock()
        bytes += count
        let due = draws && Date().timeIntervalSince(lastDrawn) > 0.25
        if due { lastDrawn = Date() }
        lock.unlock()
        if due { draw(final: false) }
    }

    func add(records count: Int) {
        lock.lock()
        records += count
        lock.unlock()
    }

    func fileDone() {
        lock.lock()
        filesDone += 1
        lock.unlock()
        if draws { draw(final: false) }
    }

    /// Ends the progress line.
    public func finish() {
        if draws { draw(final: true) }
    }

    private func draw(final: Bool) {
        lock.lock()
        let elapsed = max(Date().timeIntervalSince(started), 0.001)
        let line = String(
            format: "\r%d/%d files · %.1f MB · %.1f MB/s · %d records", filesDone, totalFiles,
            Double(bytes) / 1_000_000, Double(bytes) / 1_000_000 / elapsed, records)
        lock.unlock()
        FileHandle.standardError.write(Data((line + (final ? "\n" : "")).utf8))
    }
}
