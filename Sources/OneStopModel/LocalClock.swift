import Foundation

/// Converts between instants and local wall-clock time in one time zone.
///
/// The zone's offset history is read from `TimeZone` once, at creation, into a sorted table, so
/// per-record conversions are a binary search and the value is freely shareable across threads.
public struct LocalClock: Sendable {
    /// The IANA identifier, e.g. `Asia/Ho_Chi_Minh`.
    public let identifier: String
    @usableFromInline let transitions: [Int64]  // instants where the offset changes, ascending
    @usableFromInline let offsets: [Int64]  // offsets[0] applies before transitions[0]; offsets[i+1] from transitions[i]

    /// Creates a clock for an IANA zone identifier; nil when the zone is unknown.
    public init?(identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        let start = Date(timeIntervalSince1970: -2_208_988_800)  // 1900-01-01
        let end = Date(timeIntervalSince1970: 7_258_118_400)  // 2200-01-01
        var transitions: [Int64] = []
        var offsets: [Int64] = [Int64(zone.secondsFromGMT(for: start))]
        var cursor = start
        while transitions.count < 4096, let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < end {
            let offset = Int64(zone.secondsFromGMT(for: next))
            if offset != offsets.last {
                transitions.append(Int64(next.timeIntervalSince1970))
                offsets.append(offset)
            }
            cursor = next
        }
        self.transitions = transitions
        self.offsets = offsets
    }

    /// The zone's offset from UTC, in seconds, at an instant.
    @inlinable
    public func offset(at instant: Instant) -> Int64 {
        let t = instant.secondsSinceEpoch
        // Most instants fall after the zone's last change (1975 for Asia/Ho_Chi_Minh).
        if let last = transitions.last, t >= last { return offsets[offsets.count - 1] }
        var low = 0
        var high = transitions.count
        while low < high {
            let mid = (low + high) / 2
            if transitions[mid] <= t { low = mid + 1 } else { high = mid }
        }
        return offsets[low]
    }

    /// Seconds since 1970-01-01T00:00 of the local wall clock at an instant.
    @inlinable
    public func localSeconds(at instant: Instant) -> Int64 {
        instant.secondsSinceEpoch + offset(at: instant)
    }

    /// The local calendar day of an instant, as days since 1970-01-01.
    @inlinable
    public func localDay(of instant: Instant) -> Int64 {
        floorDivide(localSeconds(at: instant), 86_400)
    }

    /// The local calendar date of an instant.
    public func localDate(of instant: Instant) -> LocalDate {
        LocalDate(daysSinceEpoch: localDay(of: instant))
    }

    /// The instant at which the local wall clock reads `localSeconds` (seconds since local 1970-01-01T00:00).
    /// In a gap or overlap of a daylight-saving change, the offset valid just before is used.
    @inlinable
    public func instant(atLocalSeconds localSeconds: Int64) -> Instant {
        let guess = Instant(secondsSinceEpoch: localSeconds - offset(at: Instant(secondsSinceEpoch: localSeconds)))
        return Instant(secondsSinceEpoch: localSeconds - offset(at: guess))
    }

    /// The instant at which a local day starts (00:00:00).
    public func startOfDay(_ date: LocalDate) -> Instant {
        instant(atLocalSeconds: date.daysSinceEpoch * 86_400)
    }
}

extension LocalClock {
    /// An instant as ISO 8601 local time with the zone's offset, e.g. `2022-07-04T02:00:00+07:00`.
    public func iso8601(_ instant: Instant) -> String {
        let offset = offset(at: instant)
        let local = instant.secondsSinceEpoch + offset
        let date = LocalDate(daysSinceEpoch: floorDivide(local, 86_400))
        let seconds = local - date.daysSinceEpoch * 86_400
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset)
        return "\(date)T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
            + "\(sign)\(two(magnitude / 3600)):\(two(magnitude / 60 % 60))"
    }
}

/// Integer division rounding toward negative infinity.
@inlinable
public func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
