internal import CLibXML2

/// Process-wide libxml2 setup and the per-thread error routing around one parse.
enum LibXML {
    /// `xmlInitParser()` exactly once, before the first context is made on any thread
    /// (a global `let` is initialised through `swift_once`). `xmlCleanupParser()` is never called.
    private static let initialized: Bool = {
        xmlInitParser()
        // Names of UTF-8 that glibc's iconv does not know, so libxml2 would read them through
        // ICU, whose converter (in libxml2 2.9) breaks a character split between two read chunks
        // — a file labelled so failed or not depending on where 256 KiB boundaries fell.
        // Aliased here, they get libxml2's own UTF-8 decoder. (The table is global: set once,
        // before any parse.)
        for alias in utf8Aliases { xmlAddEncodingAlias("UTF-8", alias) }
        return true
    }()

    /// Labels of UTF-8 seen in the wild that only ICU would resolve (MySQL's `utf8mb4`,
    /// Python's `utf-8-sig`, Windows code page 65001, IBM's CCSID 1208, …).
    static let utf8Aliases = [
        "UTF_8", "X-UTF-8", "UNICODE-1-1-UTF-8", "UNICODE-2-0-UTF-8", "IBM-1208", "CP1208", "WINDOWS-65001", "CP65001",
        "UTF8MB4", "UTF8MB3", "UTF-8-SIG",
    ]

    static func initializeOnce() {
        _ = initialized
    }

    /// Routes this thread's libxml2 errors that carry no parser context (encoding converters,
    /// I/O) to `handler`, and swallows the few that libxml2 prints on its generic channel, so
    /// nothing reaches stderr. Returns what was installed before, for `restoreThreadErrors`.
    static func routeThreadErrors(
        to context: UnsafeMutableRawPointer,
        handler: xmlStructuredErrorFunc
    ) -> (xmlStructuredErrorFunc?, UnsafeMutableRawPointer?) {
        let previous = (__xmlStructuredError()?.pointee, __xmlStructuredErrorContext()?.pointee)
        onestop_xml_silence_generic_errors()
        xmlSetStructuredErrorFunc(context, handler)
        return previous
    }

    static func restoreThreadErrors(_ previous: (xmlStructuredErrorFunc?, UnsafeMutableRawPointer?)) {
        xmlSetStructuredErrorFunc(previous.1, previous.0)
    }
}
