internal import CLibXML2

/// Streaming gzip decoder over zlib's `inflate`, fed one raw chunk at a time. Handles
/// multi-member files (`cat a.gz b.gz`) and tells a stream cut off at EOF from a finished one.
final class GzipInflater {
    enum Step {
        /// `count` bytes of output were written; call again.
        case output(Int)
        /// The current input is used up.
        case needInput
        /// zlib reported damage (bad header, bad data, CRC or length mismatch).
        case corrupt(String)
    }

    /// zlib keeps a pointer back to the stream, so it must not move: it lives on the heap.
    private let stream: UnsafeMutablePointer<z_stream>
    private var initialized = false
    /// The last member ended and no new one has started.
    private(set) var atMemberEnd = false
    /// The previous call filled the whole output buffer, so zlib may hold more output.
    private var outputPending = false

    init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
    }

    deinit {
        if initialized { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Starts zlib; `false` when it could not allocate its state.
    func start() -> Bool {
        // 15 + 32: 32 KiB window, gzip or zlib header detected automatically.
        initialized = onestop_inflate_init_auto(stream) == Z_OK
        return initialized
    }

    /// Sets the next raw chunk; it must stay valid until `inflate(into:)` returns `.needInput`.
    func setInput(_ input: UnsafeRawBufferPointer) {
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
    }

    func inflate(into output: UnsafeMutableRawBufferPointer) -> Step {
        while true {
            if stream.pointee.avail_in == 0 && !outputPending { return .needInput }
            if atMemberEnd {
                // More bytes after a finished member: the next member of a multi-member file.
                guard inflateReset(stream) == Z_OK else { return .corrupt("cannot reset zlib") }
                atMemberEnd = false
            }
            stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(output.count)
            let rc = CLibXML2.inflate(stream, Z_NO_FLUSH)
            let produced = output.count - Int(stream.pointee.avail_out)
            outputPending = stream.pointee.avail_out == 0
            switch rc {
            case Z_OK:
                break
            case Z_STREAM_END:
                atMemberEnd = true
                outputPending = false
            case Z_BUF_ERROR:
                // No progress possible: zlib needs more input.
                outputPending = false
                if produced == 0 { return .needInput }
            case Z_NEED_DICT:
                return .corrupt("stream needs a preset dictionary")
            case Z_MEM_ERROR:
                return .corrupt("out of memory")
            default:
                return .corrupt(stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)")
            }
            if produced > 0 { return .output(produced) }
        }
    }
}
