import Foundation
import OneStopPipeline

/// The operating-system limits a cron job may run under (`ulimit -f`, `-n`, `-v`), turned into a
/// message and an exit code instead of a silent death, a hang or a file counted as broken.
enum ResourceLimits {
    /// Passing the file-size limit (`ulimit -f`) becomes a write error (EFBIG: exit 73, the
    /// staging directory removed) instead of the end of the process by SIGXFSZ, with no word.
    static func ignoreFileSizeSignal() {
        signal(SIGXFSZ, SIG_IGN)
    }

    /// A limit too low for the work asked; exit 71 (sysexits' EX_OSERR).
    struct Shortage: Error, CustomStringConvertible {
        var description: String
    }

    /// Checks, before any work, that the open-file and address-space limits leave a command
    /// with `jobs` workers what it needs: a run that opens files beyond the limit would count
    /// them as broken exports, and one whose threads cannot get a stack would hang for ever.
    static func check(jobs: Int) throws(Shortage) {
        try checkOpenFiles(jobs: jobs)
        try checkAddressSpace(jobs: jobs)
    }

    /// Descriptors a run needs beyond those open when it starts: pipeline, dialect and catalogue
    /// files, the lock, one file written at a time and the event loop's few, then for each
    /// worker the export it reads and its hashing and reading-ahead helpers. A run of the demo
    /// was measured at 9 with one worker, 11 with two.
    static func descriptorsNeeded(jobs: Int) -> Int { 8 + 3 * jobs }

    private static func checkOpenFiles(jobs: Int) throws(Shortage) {
        var limit = rlimit()
        guard getrlimit(resource(RLIMIT_NOFILE), &limit) == 0, limit.rlim_cur != rlim_t.max else { return }
        let open = openDescriptors()
        let needed = descriptorsNeeded(jobs: jobs)
        guard Int(limit.rlim_cur) < open + needed else { return }
        throw Shortage(description:
            "the open-file limit (ulimit -n) is \(limit.rlim_cur) and \(open) files are already open; "
                + "this needs \(needed) more with --jobs \(jobs): raise the limit (e.g. ulimit -n 1024) or lower --jobs")
    }

    /// Address space a run needs beyond what is loaded when it starts: the contract's fixed 64 MB (docs/contract.md §7) for
    /// its data, and a stack for each thread (workers, helpers, the event loop).
    static func addressSpaceNeeded(jobs: Int) -> (bytes: Int, threads: Int, stack: Int) {
        var limit = rlimit()
        var stack = 8 << 20
        if getrlimit(resource(RLIMIT_STACK), &limit) == 0, limit.rlim_cur != rlim_t.max,
           limit.rlim_cur >= 1 << 20, limit.rlim_cur <= 64 << 20
        {
            stack = Int(limit.rlim_cur)
        }
        let threads = 2 * jobs + 4
        return (64 << 20 + threads * stack, threads, stack)
    }

    /// With a finite `ulimit -v`, reserves (without using) the address space a run needs: where
    /// that fails, its threads could not be created and the run would wait for them for ever.
    private static func checkAddressSpace(jobs: Int) throws(Shortage) {
        var limit = rlimit()
        guard getrlimit(resource(RLIMIT_AS), &limit) == 0, limit.rlim_cur != rlim_t.max else { return }
        let needed = addressSpaceNeeded(jobs: jobs)
        let reserved = mmap(nil, needed.bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        if let reserved, reserved != MAP_FAILED {
            munmap(reserved, needed.bytes)
            return
        }
        let megabytes = { (bytes: Int) in bytes >> 20 }
        throw Shortage(description:
            "the address-space limit (ulimit -v) is \(megabytes(Int(limit.rlim_cur))) MB and leaves less than the "
                + "\(megabytes(needed.bytes)) MB this needs beyond what is loaded with --jobs \(jobs) (64 MB for its "
                + "data, \(megabytes(needed.stack)) MB of stack for each of \(needed.threads) threads): raise the "
                + "limit or remove it (ulimit -v unlimited)")
    }

    /// Descriptors open in this process now (3 where `/proc` cannot be read).
    private static func openDescriptors() -> Int {
        guard let folder = opendir("/proc/self/fd") else { return 3 }
        defer { closedir(folder) }
        var count = 0
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { count += 1 }
        }
        return count - 1  // the descriptor reading the folder
    }

    private static func resource(_ resource: __rlimit_resource) -> __rlimit_resource_t {
        __rlimit_resource_t(resource.rawValue)
    }
}
