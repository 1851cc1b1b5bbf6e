/// A rough width of text in a sans-serif face, for laying out SVG labels without a font at hand.
/// Calibrated on DejaVu Sans, the widest of the faces the stylesheet names, so a label is given a
/// little too much room in the others rather than cut.
enum TextMetrics {
    /// The width in pixels of `text` at `size` pixels.
    static func width(_ text: String, size: Double) -> Double {
        var ems = 0.0
        for character in text {
            switch character {
            case "i", "l", "j", "I", ".", ",", ":", ";", "'", "|", "!", " ", "·": ems += 0.33
            case "f", "t", "r", "(", ")", "[", "]", "-", "/": ems += 0.45
            case "m", "w", "M", "W", "%", "@": ems += 0.98
            case "_": ems += 0.5
            case _ where character.isUppercase: ems += 0.76
            case _ where character.isNumber: ems += 0.64
            default: ems += 0.63
            }
        }
        return ems * size
    }

    /// The text cut to fit `maximum` pixels, with an ellipsis when cut.
    static func truncated(_ text: String, size: Double, maximum: Double) -> String {
        guard width(text, size: size) > maximum else { return text }
        var kept = ""
        for character in text {
            if width(kept + String(character) + "…", size: size) > maximum { break }
            kept.append(character)
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
