/// A rough width of text in a sans-serif face, for laying out SVG labels without a font at hand.
/// Calibrated on DejaVu Sans, the widest of the faces the stylesheet names, so a label is given a
/// little too much room in the others rather than cut.
enum TextMetrics {
    /// The width in pixels of `text` at `size` pixels; stops counting past `limit` (labels can
    /// be as long as the data make them: only whether they fit matters then).
    static func width(_ text: String, size: Double, limit: Double = .infinity) -> Double {
        var total = 0.0
        for character in text {
            total += ems(character)
            if total * size > limit { break }
        }
        return total * size
    }

    /// A character's width in ems.
    private static func ems(_ character: Character) -> Double {
        switch character {
        case "i", "l", "j", "I", ".", ",", ":", ";", "'", "|", "!", " ", "·": 0.33
        case "f", "t", "r", "(", ")", "[", "]", "-", "/": 0.45
        case "m", "w", "M", "W", "%", "@": 0.98
        case "_": 0.5
        case _ where character.isUppercase: 0.76
        case _ where character.isNumber: 0.64
        default: 0.63
        }
    }

    /// The text cut to fit `maximum` pixels, with an ellipsis when cut. Widths add up character
    /// by character, so this reads the text once (not once per character kept).
    static func truncated(_ text: String, size: Double, maximum: Double) -> String {
        guard width(text, size: size, limit: maximum) > maximum else { return text }
        let ellipsis = ems("…")
        var kept = ""
        var keptEms = 0.0
        for character in text {
            let next = keptEms + ems(character)
            if (next + ellipsis) * size > maximum { break }
            kept.append(character)
            keptEms = next
        }
        return kept + "…"
    }
}

/// A number written for SVG coordinates: at most one decimal, no trailing `.0`.
func svgNumber(_ value: Double) -> String {
    let tenths = (value * 10).rounded()
    let whole = Int(tenths) / 10
    let fraction = abs(Int(tenths) % 10)
    if fraction == 0 { return String(whole) }
    return (tenths < 0 && whole == 0 ? "-" : "") + "\(whole).\(fraction)"
}
