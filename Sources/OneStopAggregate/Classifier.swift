import OneStopModel

/// Decides, for one kept dossier, whether it is in scope of the period and where it lands in the
/// progress table (docs/contract.md §4, R9–R14).
///
/// Decisions where the contract leaves room:
/// - **Bounds.** The period runs from `from` 00:00 local (inclusive) to the day after `to`, 00:00
///   local (exclusive); "after `to`" means at or after that exclusive end.
/// - **Withdrawn (7).** Counts as *resolved on time* when withdrawn within the period. A withdrawal
///   recorded after the period leaves the dossier in progress at the end of the period (R10); it
///   then counts as *in progress within deadline*, the in-progress reading of "withdrawn → on time".
/// - **Granularity `.instant`.** Resolved: *early* when the end falls on a local day before the
///   due's local day (as under `.day`, so "early" keeps its meaning), else *on time* when
///   end ≤ due, else *late*. In progress: *within deadline* when the reference instant ≤ due, where
///   the reference is the open supplement request's instant (R13) or the last second of `to`.
/// - **Defensive cases** the normaliser should already have excluded: a dossier that is not
///   accepted or has no received instant is out of scope; a resolved status without an end
///   instant is treated as still in progress.
public struct Classifier: Sendable {
    public let period: Period
    public let clock: LocalClock
    public let rules: Rules
    /// `from` 00:00 local, inclusive.
    public let start: Instant
    /// The day after `to`, 00:00 local, exclusive: "the end of `to`".
    public let end: Instant

    public init(period: Period, clock: LocalClock, rules: Rules) {
        self.period = period
        self.clock = clock
        self.rules = rules
        (start, end) = period.bounds(in: clock)
    }

    /// The dossier's place in the progress table, or nil when it is out of scope of the period.
    public func classify(_ dossier: Dossier) -> Classification? {
        classify(
            status: dossier.status, channel: dossier.channel, received: dossier.received, end: dossier.end,
            supplementCount: dossier.supplements.count, effectiveDue: { effectiveDue(of: dossier) },
            waitStart: { applicantWaitStart(dossier.supplements.lazy.map(\.wait)) })
    }

    /// The same for a packed dossier; `manyWaits` gives its supplement requests when it has more
    /// than one (the packed form holds one).
    @inline(__always)
    func classify(_ dossier: PackedDossier, manyWaits: () -> [SupplementWait]) -> Classification? {
        classify(
            status: dossier.status, channel: dossier.channel, received: dossier.received, end: dossier.end,
            supplementCount: dossier.supplementCount, effectiveDue: { dossier.effectiveDue },
            waitStart: {
                if let only = dossier.onlyWait { return applicantWaitStart(CollectionOfOne(only)) }
                return dossier.supplementCount > 1 ? applicantWaitStart(manyWaits()) : nil
            })
    }

    @inline(__always)
    private func classify(
        status: Status, channel: Channel, received: Instant?, end dossierEnd: Instant?, supplementCount: Int,
        effectiveDue: () -> Instant?, waitStart: () -> Instant?
    ) -> Classification? {
        guard status.isAccepted, let received, received < end else { return nil }
        let resolvedAt = status.isResolved ? dossierEnd : nil

        let intake: Classification.Intake
        if received >= start {
            intake = channel == .online ? .receivedOnline : .receivedInPersonOrPost
        } else {
            // R9: received before the period; out when it was resolved before the period started.
            if let resolvedAt, resolvedAt < start { return nil }
            intake = .carriedOver
        }

        // R10: resolved after the end of `to` means in progress at the end of the period.
        let resolvedInPeriod = resolvedAt.flatMap { $0 < end ? $0 : nil }
        return classifyOutcome(
            status: status, supplementCount: supplementCount, resolvedAt: resolvedInPeriod, intake: intake,
            effectiveDue: effectiveDue, waitStart: waitStart)
    }

    /// R12's precedence: withdrawn, then several supplement requests, then no due date, then compare.
    @inline(__always)
    private func classifyOutcome(
        status: Status, supplementCount: Int, resolvedAt: Instant?, intake: Classification.Intake,
        effectiveDue: () -> Instant?, waitStart: () -> Instant?
    ) -> Classification {
        if status == .withdrawn {
            return Classification(intake: intake, outcome: resolvedAt == nil ? .inProgressWithin : .resolvedOnTime)
        }
        if rules.multipleSupplementsAreLate && supplementCount > 1 {
            return Classification(intake: intake, outcome: resolvedAt == nil ? .inProgressOverdue : .resolvedLate)
        }
        guard let due = effectiveDue() else {
            return Classification(
                intake: intake, outcome: resolvedAt == nil ? .inProgressWithin : .resolvedOnTime,
                decidedWithoutDueDate: true)
        }
        if let resolvedAt {
            return Classification(intake: intake, outcome: compareResolved(end: resolvedAt, due: due))
        }
        return Classification(intake: intake, outcome: compareInProgress(waitingSince: waitStart(), due: due))
    }

    private func compareResolved(end: Instant, due: Instant) -> Classification.Outcome {
        let endDay = clock.localDay(of: end)
        let dueDay = clock.localDay(of: due)
        if endDay < dueDay { return .resolvedEarly }
        switch rules.onTimeGranularity {
        case .day: return endDay == dueDay ? .resolvedOnTime : .resolvedLate
        case .instant: return end <= due ? .resolvedOnTime : .resolvedLate
        }
    }

    private func compareInProgress(waitingSince: Instant?, due: Instant) -> Classification.Outcome {
        let within: Bool
        switch rules.onTimeGranularity {
        case .day:
            let referenceDay = waitingSince.map { clock.localDay(of: $0) } ?? period.to.daysSinceEpoch
            within = referenceDay <= clock.localDay(of: due)
        case .instant:
            let reference = waitingSince ?? end.adding(seconds: -1)
            within = reference <= due
        }
        return within ? .inProgressWithin : .inProgressOverdue
    }

    /// R11: the new due date of the request with the latest request instant that carries one
    /// (ties: the later one in document order); else the due date extended by every answered
    /// request's length (answered = has an answer instant, even after `to`). Nil without either.
    ///
    /// An answer recorded before its request is a data error; it does not shorten the deadline.
    public func effectiveDue(of dossier: Dossier) -> Instant? {
        dossier.effectiveDue
    }

    /// R13: when the dossier waits on the applicant at the end of the period, the instant of the
    /// latest request made before the end of `to` that was not answered by then; else nil.
    public func applicantWaitStart(of dossier: Dossier) -> Instant? {
        applicantWaitStart(dossier.supplements.lazy.map(\.wait))
    }

    @inline(__always)
    private func applicantWaitStart(_ waits: some Sequence<SupplementWait>) -> Instant? {
        var latest: Instant?
        for supplement in waits where supplement.requested < end {
            if let answered = supplement.answered, answered < end { continue }
            latest = max(latest ?? supplement.requested, supplement.requested)
        }
        return latest
    }
}
