import OneStopModel

/// How numbers and dates are written in one language: `39,13%`, `1.234`, `31/12/2022` in
/// Vietnamese; `39.13%`, `1,234`, `2022-12-31` in English. Percentages are rounded half-up,
/// exactly, from the fraction (never through a `Double`).
struct NumberStyle: Sendable {
    var decimalSeparator: Character
    var groupingSeparator: Character
    var isVietnamese: Bool

    init(_ language: ReportLanguage) {
        switch language {
        case .vi: (decimalSeparator, groupingSeparator, isVietnamese) = (",", ".", true)
        case .en: (decimalSeparator, groupingSeparator, isVietnamese) = (".", ",", false)
        }
    }

    /// The fraction as a percentage with `places` decimals, e.g. `45,83%`; nil when the denominator is 0.
    func percent(_ fraction: Fraction, places: Int = 2) -> String? {
        guard let text = Fraction(fraction.numerator * 100, fraction.denominator).formatted(places: places) else {
            return nil
        }
        return localise(text) + "%"
    }

    /// The fraction as a percentage, or an en dash when the denominator is 0.
    func percentOrDash(_ fraction: Fraction, places: Int = 2) -> String {
        percent(fraction, places: places) ?? "–"
    }

    /// An integer with grouping, e.g. `12.345`.
    func integer(_ value: Int) -> String {
        grouped(String(value.magnitude), negative: value < 0)
    }

    /// An integer with grouping, e.g. `12.345`.
    func integer(_ value: Int64) -> String {
        grouped(String(value.magnitude), negative: value < 0)
    }

    /// A file size: bytes below 1 kB, then kB, MB, GB with one decimal.
    func bytes(_ count: Int64) -> String {
        let units = ["kB", "MB", "GB", "TB"]
        guard count >= 1000 else { return integer(count) + " B" }
        var unit = 0
        var scale: Int64 = 1000
        while unit < units.count - 1, count >= scale * 1000 {
            scale *= 1000
            unit += 1
        }
        let text = Fraction(Int(count), Int(scale)).formatted(places: 1) ?? "0"
        return localise(text) + " " + units[unit]
    }

    /// A day: `31/12/2022` in Vietnamese, `2022-12-31` in English.
    func date(_ date: LocalDate) -> String {
        guard isVietnamese else { return date.description }
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(date.day))/\(two(date.month))/\(date.year)"
    }

    /// A month `YYYY-MM`: `MM/YYYY` in Vietnamese, unchanged in English.
    func month(_ text: String) -> String {
        guard isVietnamese else { return text }
        let parts = text.split(separator: "-")
        guard parts.count == 2 else { return text }
        return "\(parts[1])/\(parts[0])"
    }

    /// A signed change in percentage points (`+2.35`) in this style: `+2,35`.
    func points(_ decimal: String) -> String {
        guard let sign = decimal.first, sign == "+" || sign == "-" else { return localise(decimal) }
        return (sign == "-" ? "−" : "+") + localise(String(decimal.dropFirst()))
    }

    /// A decimal written with `.` and no grouping, rewritten with this style's separators.
    private func localise(_ text: String) -> String {
        let parts = text.split(separator: ".", maxSplits: 1)
        let whole = grouped(String(parts[0]), negative: false)
        return parts.count == 2 ? whole + String(decimalSeparator) + parts[1] : whole
    }

    private func grouped(_ digits: String, negative: Bool) -> String {
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(groupingSeparator) }
            out.append(digit)
        }
        return negative ? "-" + out : out
    }
}
