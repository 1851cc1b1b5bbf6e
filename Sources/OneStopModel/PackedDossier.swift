/// A supplement request reduced to what R13 (waiting on the applicant) reads.
public struct SupplementWait: Sendable, Hashable {
    public var requested: Instant
    public var answered: Instant?

    public init(requested: Instant, answered: Instant?) {
        self.requested = requested
        self.answered = answered
    }
}

/// R11, the effective due date, gathered one supplement request at a time in document order:
/// the new due date of the request with the latest request instant that carries one (ties: the
/// later in document order), else the due date extended by every answered request's length
/// (an answer before its request adds nothing).
public struct DueExtension: Sendable, Hashable {
    private var latestNewDue: (requested: Instant, newDue: Instant)?
    private var waitedSeconds: Int64 = 0

    public init() {}

    public mutating func add(requested: Instant, answered: Instant?, newDue: Instant?) {
        if let newDue, latestNewDue.map({ requested >= $0.requested }) ?? true {
            latestNewDue = (requested, newDue)
        }
        if let answered {
            waitedSeconds += max(0, answered.secondsSinceEpoch - requested.secondsSinceEpoch)
        }
    }

    /// The effective due date given the record's own due date; nil when neither exists.
    public func effectiveDue(due: Instant?) -> Instant? {
        if let latestNewDue { return latestNewDue.newDue }
        return due?.adding(seconds: waitedSeconds)
    }

    public static func == (lhs: DueExtension, rhs: DueExtension) -> Bool {
        lhs.latestNewDue?.requested == rhs.latestNewDue?.requested && lhs.latestNewDue?.newDue == rhs.latestNewDue?.newDue
            && lhs.waitedSeconds == rhs.waitedSeconds
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(latestNewDue?.requested)
        hasher.combine(latestNewDue?.newDue)
        hasher.combine(waitedSeconds)
    }
}

extension Dossier {
    /// R11 over this dossier's supplement requests.
    public var effectiveDue: Instant? {
        var extensions = DueExtension()
        for supplement in supplements {
            extensions.add(requested: supplement.requested, answered: supplement.answered, newDue: supplement.newDue)
        }
        return extensions.effectiveDue(due: due)
    }
}

/// A dossier as deduplication keeps it and aggregation reads it: 72 bytes, codes interned in a
/// `StringTable`, instants as seconds, supplement requests reduced to what the rules read (their
/// count, the effective due date of R11, and the one request's instants when there is exactly
/// one; a `DossierTable` keeps the requests of a dossier with more). The dossier id lives beside
/// it in the table.
public struct PackedDossier: Sendable, Hashable {
    /// `Int64.min` stands for "no instant".
    @usableFromInline static let none = Int64.min

    @usableFromInline var receivedSeconds: Int64
    @usableFromInline var endSeconds: Int64
    @usableFromInline var effectiveDueSeconds: Int64
    /// The record's own due date (`dossiers.csv` shows it beside the effective one).
    @usableFromInline var dueSeconds: Int64
    @usableFromInline var waitRequestedSeconds: Int64
    @usableFromInline var waitAnsweredSeconds: Int64
    /// `StringTable` indexes; -1 for none (the procedure code is always there).
    public var procedure: Int32
    public var procedureName: Int32
    public var field: Int32
    public var agency: Int32
    @usableFromInline var sourceIndex: UInt16
    /// Saturates at `UInt16.max`: the rules only tell 0, 1 and more apart.
    @usableFromInline var supplementCount16: UInt16
    public var status: Status
    public var channel: Channel
    public var returnMethod: ReturnMethod
    public var digitised: Bool

    @inline(__always) @usableFromInline
    static func seconds(_ instant: Instant?) -> Int64 { instant?.secondsSinceEpoch ?? none }

    @inline(__always) @usableFromInline
    static func instant(_ seconds: Int64) -> Instant? {
        seconds == none ? nil : Instant(secondsSinceEpoch: seconds)
    }

    /// - Parameters:
    ///   - end: the finished instant, else the returned instant.
    ///   - effectiveDue: R11's effective due date (`DueExtension`).
    ///   - onlyWait: the supplement request when there is exactly one, else nil.
    public init(
        source: Int, procedure: Int32, procedureName: Int32, field: Int32, agency: Int32, channel: Channel,
        returnMethod: ReturnMethod, status: Status, received: Instant?, end: Instant?, effectiveDue: Instant?,
        supplementCount: Int, onlyWait: SupplementWait?, digitised: Bool, due: Instant? = nil
    ) {
        precondition(source >= 0 && source <= Int(UInt16.max), "source index out of range")
        receivedSeconds = Self.seconds(received)
        endSeconds = Self.seconds(end)
        effectiveDueSeconds = Self.seconds(effectiveDue)
        dueSeconds = Self.seconds(due)
        waitRequestedSeconds = Self.seconds(onlyWait?.requested)
        waitAnsweredSeconds = Self.seconds(onlyWait?.answered)
        self.procedure = procedure
        self.procedureName = procedureName
        self.field = field
        self.agency = agency
        sourceIndex = UInt16(source)
        supplementCount16 = UInt16(clamping: supplementCount)
        self.status = status
        self.channel = channel
        self.returnMethod = returnMethod
        self.digitised = digitised
    }

    /// Packs a full dossier, interning its codes and name in `strings`.
    public init(_ dossier: Dossier, strings: StringTable) {
        func intern(_ text: String?) -> Int32 { text.map(strings.intern) ?? -1 }
        self.init(
            source: dossier.source, procedure: strings.intern(dossier.procedure),
            procedureName: intern(dossier.procedureName), field: intern(dossier.field),
            agency: intern(dossier.agency), channel: dossier.channel, returnMethod: dossier.returnMethod,
            status: dossier.status, received: dossier.received, end: dossier.end,
            effectiveDue: dossier.effectiveDue, supplementCount: dossier.supplements.count,
            onlyWait: dossier.supplements.count == 1 ? dossier.supplements[0].wait : nil,
            digitised: dossier.digitised, due: dossier.due)
    }

    /// Index of the source in the run's source list.
    @inlinable public var source: Int { Int(sourceIndex) }
    @inlinable public var received: Instant? { Self.instant(receivedSeconds) }
    /// The end of processing: the finished instant, else the returned instant.
    @inlinable public var end: Instant? { Self.instant(endSeconds) }
    /// R11's effective due date.
    @inlinable public var effectiveDue: Instant? { Self.instant(effectiveDueSeconds) }
    /// The record's own due date.
    @inlinable public var due: Instant? { Self.instant(dueSeconds) }
    @inlinable public var supplementCount: Int { Int(supplementCount16) }
    /// The supplement request, when there is exactly one.
    @inlinable public var onlyWait: SupplementWait? {
        guard supplementCount16 == 1, let requested = Self.instant(waitRequestedSeconds) else { return nil }
        return SupplementWait(requested: requested, answered: Self.instant(waitAnsweredSeconds))
    }
}

extension Supplement {
    /// What R13 reads of this request.
    public var wait: SupplementWait { SupplementWait(requested: requested, answered: answered) }
}
