import Testing
import OneStopPipeline

@Suite struct TerminalTextTests {
    @Test func controlsAndDirectionOverridesBecomeVisible() {
        #expect(TerminalText.escaped("a.xml\nall files read OK") == "a.xml\\nall files read OK")
        #expect(TerminalText.escaped("x\r\u{1B}[2K") == "x\\r\\u{1B}[2K")
        #expect(TerminalText.escaped("tab\there") == "tab\\there")
        #expect(TerminalText.escaped("nul\u{0}del\u{7F}c1\u{9B}nel\u{85}") == "nul\\u{0}del\\u{7F}c1\\u{9B}nel\\u{85}")
        #expect(TerminalText.escaped("evil\u{202E}lmx.exe") == "evil\\u{202E}lmx.exe")
        for scalar: UInt32 in [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x2066, 0x2067, 0x2068, 0x2069,
                               0x2028, 0x2029]
        {
            let text = "a" + String(Unicode.Scalar(scalar)!) + "b"
            #expect(!TerminalText.escaped(text).unicodeScalars.contains(Unicode.Scalar(scalar)!), "U+\(String(scalar, radix: 16))")
        }
    }

    @Test func ordinaryTextIsUnchanged() {
        for text in ["Cấp giấy phép xây dựng", "Ca\u{0302}\u{0301}p", "tinh/tinh_20220701.xml: not well-formed XML (line 3)",
                     "back\\slash", "emoji 📄", "zero\u{200B}width", ""] {
            #expect(TerminalText.escaped(text) == text)
        }
    }
}
