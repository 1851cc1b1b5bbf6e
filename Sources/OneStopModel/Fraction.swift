/// An exact ratio, kept as numerator and denominator so spreadsheets can re-aggregate (docs/contract.md §4.2).
public struct Fraction: Sendable, Hashable, CustomStringConvertible {
    public var numerator: Int
    public var denominator: Int

    public init(_ numerator: Int, _ denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Parses an exact decimal (`0.999`, `1`, `55%`) or a fraction (`11/20`); nil when malformed or negative.
    public init?(decimal text: String) {
        var text = text.trimmingWhitespace()
        var scale = 1
        if text.hasSuffix("%") {
            text.removeLast()
            scale = 100
        }
        if let slash = text.firstIndex(of: "/") {
            guard scale == 1, let n = Int(text[..<slash]), let d = Int(text[text.index(after: slash)...]),
                  n >= 0, d > 0
            else { return nil }
            self.init(n, d)
            return
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty || parts.count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigitCharacter) }),
              parts.count == 1 || !parts[1].isEmpty, text.count <= 15
        else { return nil }
        let fractionDigits = parts.count == 2 ? parts[1].count : 0
        guard let whole = Int(parts.joined()) else { return nil }
        var denominator = scale
        for _ in 0..<fractionDigits { denominator *= 10 }
        self.init(whole, denominator)
    }

    /// Nil when the denominator is 0.
    public var doubleValue: Double? {
        denominator == 0 ? nil : Double(numerator) / Double(denominator)
    }

    /// Rounded half-up to `places` decimals (R18); nil when the denominator is 0.
    public func formatted(places: Int = 4) -> String? {
        guard denominator != 0 else { return nil }
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        // Half-up, exact in integers (values are non-negative): whole part, then the remainder
        // scaled, so large numerators cannot overflow.
        var whole = numerator / denominator
        let remainder = numerator % denominator
        let (high, low) = (2 * remainder).multipliedFullWidth(by: scale)
        let sum = low.addingReportingOverflow(UInt(denominator))
        var (scaled, _) = (2 * denominator).dividingFullWidth((high + (sum.overflow ? 1 : 0), sum.partialValue))
        if scaled == scale {
            whole += 1
            scaled = 0
        }
        guard places > 0 else { return String(whole) }
        let fraction = String(scaled)
        return "\(whole)." + String(repeating: "0", count: places - fraction.count) + fraction
    }

    /// Whether this fraction is at least `other`, compared exactly; nil when this denominator is 0 (R21).
    public func isAtLeast(_ other: Fraction) -> Bool? {
        guard denominator != 0, other.denominator != 0 else { return nil }
        let lhs = numerator.multipliedFullWidth(by: other.denominator)
        let rhs = other.numerator.multipliedFullWidth(by: denominator)
        return (lhs.high, lhs.low) >= (rhs.high, rhs.low)
    }

    /// -1, 0 or 1 as this fraction is below, equal to or above `other`, compared exactly
    /// (cross-multiplied in 128 bits); 0 when either denominator is 0.
    public func comparison(with other: Fraction) -> Int {
        guard denominator != 0, other.denominator != 0 else { return 0 }
        let lhs = numerator.multipliedFullWidth(by: other.denominator)
        let rhs = other.numerator.multipliedFullWidth(by: denominator)
        if (lhs.high, lhs.low) == (rhs.high, rhs.low) { return 0 }
        return (lhs.high, lhs.low) < (rhs.high, rhs.low) ? -1 : 1
    }

    /// The smallest whole number of numerator units that, added with the same denominator,
    /// makes this fraction at least `target` (0 when it already is); nil when the denominator is
    /// 0 or the target's is. Exact: ⌈target × denominator⌉ − numerator, in 128-bit arithmetic.
    public func gap(to target: Fraction) -> Int? {
        guard denominator > 0, target.denominator > 0, target.numerator >= 0 else { return nil }
        let product = target.numerator.multipliedFullWidth(by: denominator)
        let (quotient, remainder) = target.denominator.dividingFullWidth(product)
        let needed = remainder == 0 ? quotient : quotient + 1
        return max(0, needed - numerator)
    }

    /// `n/d`.
    public var description: String { "\(numerator)/\(denominator)" }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

extension String {
    /// The string without leading and trailing white space (Unicode white space and newlines).
    public func trimmingWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view = view.dropFirst() }
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return String(view)
    }
}
