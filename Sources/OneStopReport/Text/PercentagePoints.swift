import OneStopModel

/// The change between two ratios in percentage points, exactly: (a/b − c/d) × 100, rounded
/// half-up (away from zero) to 2 decimals, e.g. `+2.35`, `-0.10`, `0.00`.
enum PercentagePoints {
    /// The change from `previous` to `current`; nil when either value is empty.
    static func change(from previous: Fraction, to current: Fraction) -> String? {
        guard previous.denominator > 0, current.denominator > 0 else { return nil }
        let (left, leftOverflow) = current.numerator.multipliedReportingOverflow(by: previous.denominator)
        let (right, rightOverflow) = previous.numerator.multipliedReportingOverflow(by: current.denominator)
        let (denominator, denominatorOverflow) = current.denominator.multipliedReportingOverflow(by: previous.denominator)
        let (difference, differenceOverflow) = left.subtractingReportingOverflow(right)
        let (scaled, scaledOverflow) = difference.magnitude.multipliedReportingOverflow(by: 100)
        let magnitude: String
        if leftOverflow || rightOverflow || denominatorOverflow || differenceOverflow || scaledOverflow || scaled > UInt(Int.max) {
            // Counts in the billions: the nearest Double is as close as the 2 decimals shown.
            let value = (Double(current.numerator) / Double(current.denominator)
                - Double(previous.numerator) / Double(previous.denominator)) * 100
            let hundredths = (abs(value) * 100).rounded()
            magnitude = "\(Int(hundredths) / 100)." + (Int(hundredths) % 100 < 10 ? "0" : "") + "\(Int(hundredths) % 100)"
            return magnitude == "0.00" ? magnitude : (value < 0 ? "-" : "+") + magnitude
        }
        magnitude = Fraction(Int(scaled), denominator).formatted(places: 2) ?? "0.00"
        if magnitude == "0.00" { return magnitude }
        return (difference < 0 ? "-" : "+") + magnitude
    }
}
