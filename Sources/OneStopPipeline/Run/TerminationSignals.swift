import Dispatch
import OneStopEmit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGTERM, SIGINT and SIGHUP during a run — and SIGXCPU, which the CPU-time limit (`ulimit -t`)
/// sends before it kills: the output directory keeps its previous complete set (or the new one,
/// if it was already swapped in), the staging directory being written is removed, and the
/// process then ends by the same signal — exit status 128 + signal (143 for SIGTERM, 130 for
/// SIGINT, 152 for SIGXCPU) in a shell — so cron and systemd see it was stopped, not done.
///
/// The signals are taken by Dispatch sources, not a C handler: the cleanup (see `PublishGuard`)
/// waits for the publishing step in progress and removes files, which a signal handler must not.
public enum TerminationSignals {
    private final class Sources: @unchecked Sendable {
        var installed: [any DispatchSourceSignal] = []
    }

    private static let sources = Sources()

    /// Installs the handling once, before the run starts; `report` receives one line saying what
    /// the interruption left behind. Call from the main thread before any work.
    public static func install(report: @escaping @Sendable (String) -> Void) {
        guard sources.installed.isEmpty else { return }
        let signals = [
            (SIGTERM, "SIGTERM"), (SIGINT, "SIGINT"), (SIGHUP, "SIGHUP"),
            (SIGXCPU, "SIGXCPU (the CPU-time limit, ulimit -t, was reached)"),
        ]
        for (number, name) in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global(qos: .userInitiated))
            source.setEventHandler {
                report(message(for: PublishGuard.terminate(), signal: name))
                endBySignal(number)
            }
            source.resume()
            sources.installed.append(source)
        }
    }

    /// Ends the process by `number` with its default action, from this Dispatch thread. Not a
    /// process-directed `kill`: Dispatch's signalfd may consume that one before any thread
    /// takes it, and the process would live on. This thread blocks signals, so it unblocks
    /// `number` and raises it at itself.
    private static func endBySignal(_ number: Int32) -> Never {
        signal(number, SIG_DFL)
        var only = sigset_t()
        sigemptyset(&only)
        sigaddset(&only, number)
        pthread_sigmask(SIG_UNBLOCK, &only, nil)
        raise(number)
        _exit(128 + number)  // not reached: the default action of these signals ends the process
    }

    static func message(for interruption: PublishGuard.Interruption, signal name: String) -> String {
        switch interruption {
        case .notPublishing:
            "interrupted by \(name) before writing the output set; the output directory is unchanged"
        case .stagingRemoved(let path):
            "interrupted by \(name) while writing the output set; removed \(path), the output directory is unchanged"
        case .alreadyPublished:
            "interrupted by \(name) after the new output set was published; it is complete (a run history or "
                + "database it was being kept in keeps nothing of it: onestop sink sends it again)"
        }
    }
}
