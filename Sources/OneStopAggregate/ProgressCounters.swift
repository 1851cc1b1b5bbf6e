import OneStopModel

/// The counts of one group of in-scope dossiers: the national progress form (docs/contract.md §4.1) and the
/// numerators and denominators of the channel, digitisation and on-time ratios (§4.2).
///
/// Only independent counts are stored; `received`, `online` and `onTime` follow from the progress
/// columns and are computed, so they can never disagree with them. Counters add up exactly, in
/// any order (`+` is associative and commutative), which is what lets aggregation run in parallel.
public struct ProgressCounters: Sendable, Hashable {
    /// Received in the period through the online channel.
    public var receivedOnline = 0
    /// Received in the period in person or by post (R14).
    public var receivedInPersonPost = 0
    /// Received before the period, still open at its start (R9).
    public var carriedOver = 0
    public var resolvedEarly = 0
    public var resolvedOnTime = 0
    public var resolvedLate = 0
    public var inProgressWithin = 0
    public var inProgressOverdue = 0
    /// Received in the period and submitted by post or with the result returned by post (§4.2).
    public var postal = 0
    /// Received in the period and digitised.
    public var digitised = 0

    public init(
        receivedOnline: Int = 0, receivedInPersonPost: Int = 0, carriedOver: Int = 0,
        resolvedEarly: Int = 0, resolvedOnTime: Int = 0, resolvedLate: Int = 0,
        inProgressWithin: Int = 0, inProgressOverdue: Int = 0, postal: Int = 0, digitised: Int = 0
    ) {
        self.receivedOnline = receivedOnline
        self.receivedInPersonPost = receivedInPersonPost
        self.carriedOver = carriedOver
        self.resolvedEarly = resolvedEarly
        self.resolvedOnTime = resolvedOnTime
        self.resolvedLate = resolvedLate
        self.inProgressWithin = inProgressWithin
        self.inProgressOverdue = inProgressOverdue
        self.postal = postal
        self.digitised = digitised
    }

    /// The counters of a single dossier.
    public init(_ classification: Classification, postal: Bool, digitised: Bool) {
        switch classification.intake {
        case .receivedOnline: receivedOnline = 1
        case .receivedInPersonOrPost: receivedInPersonPost = 1
        case .carriedOver: carriedOver = 1
        }
        switch classification.outcome {
        case .resolvedEarly: resolvedEarly = 1
        case .resolvedOnTime: resolvedOnTime = 1
        case .resolvedLate: resolvedLate = 1
        case .inProgressWithin: inProgressWithin = 1
        case .inProgressOverdue: inProgressOverdue = 1
        }
        if classification.isReceivedInPeriod {
            self.postal = postal ? 1 : 0
            self.digitised = digitised ? 1 : 0
        }
    }

    /// Received online + in person or by post + carried over.
    public var total: Int { receivedOnline + receivedInPersonPost + carriedOver }
    public var resolvedTotal: Int { resolvedEarly + resolvedOnTime + resolvedLate }
    public var inProgressTotal: Int { inProgressWithin + inProgressOverdue }
    /// Received in the period: the channel and digitisation ratios' denominator.
    public var received: Int { receivedOnline + receivedInPersonPost }
    /// Received online in the period.
    public var online: Int { receivedOnline }
    /// Early + on time + in progress within deadline.
    public var onTime: Int { resolvedEarly + resolvedOnTime + inProgressWithin }

    public var onlineShare: Fraction { Fraction(online, received) }
    public var postalShare: Fraction { Fraction(postal, received) }
    public var digitisationRate: Fraction { Fraction(digitised, received) }
    public var onTimeRate: Fraction { Fraction(onTime, total) }

    /// total = received columns = resolved + in progress (docs/contract.md §4.1).
    public var identityHolds: Bool { total == resolvedTotal + inProgressTotal }

    public static func + (lhs: ProgressCounters, rhs: ProgressCounters) -> ProgressCounters {
        var sum = lhs
        sum += rhs
        return sum
    }

    public static func += (lhs: inout ProgressCounters, rhs: ProgressCounters) {
        lhs.receivedOnline += rhs.receivedOnline
        lhs.receivedInPersonPost += rhs.receivedInPersonPost
        lhs.carriedOver += rhs.carriedOver
        lhs.resolvedEarly += rhs.resolvedEarly
        lhs.resolvedOnTime += rhs.resolvedOnTime
        lhs.resolvedLate += rhs.resolvedLate
        lhs.inProgressWithin += rhs.inProgressWithin
        lhs.inProgressOverdue += rhs.inProgressOverdue
        lhs.postal += rhs.postal
        lhs.digitised += rhs.digitised
    }
}
