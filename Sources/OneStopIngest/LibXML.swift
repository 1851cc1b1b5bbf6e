internal import CLibXML2

/// Process-wide libxml2 setup and the per-thread error routing around one parse.
enum LibXML {
    /// `xmlInitParser()` exactly once, before the first context is made on any thread
    /// (a global `let` is initialised through `swift_once`). `xmlCleanupParser()` is never called.
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

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
