import OneStopAggregate
import OneStopModel

extension PeriodComparison {
    /// The change from `previous` to `current` in percentage points, exact: (current − previous) × 100;
    /// nil when either has no value (denominator 0).
    public static func change(from previous: Fraction, to current: Fraction) -> Fraction? {
        guard previous.denominator > 0, current.denominator > 0 else { return nil }
        let (crossCurrent, overflowA) = current.numerator.multipliedReportingOverflow(by: previous.denominator)
        let (crossPrevious, overflowB) = previous.numerator.multipliedReportingOverflow(by: current.denominator)
        let (denominator, overflowC) = current.denominator.multipliedReportingOverflow(by: previous.denominator)
        let (difference, overflowD) = crossCurrent.subtractingReportingOverflow(crossPrevious)
        let (hundredfold, overflowE) = difference.multipliedReportingOverflow(by: 100)
        guard !(overflowA || overflowB || overflowC || overflowD || overflowE) else { return nil }
        return Fraction(hundredfold, denominator)
    }

    /// A change in percentage points as text with its sign, rounded half away from zero:
    /// `+1.25`, `-0.40`, `0.00`.
    public static func signedText(_ change: Fraction, places: Int = 2) -> String {
        let magnitude = Fraction(abs(change.numerator), change.denominator).formatted(places: places) ?? ""
        let zero = "0." + String(repeating: "0", count: places)
        guard magnitude != zero, magnitude != "0" else { return magnitude }
        return (change.numerator < 0 ? "-" : "+") + magnitude
    }
}
