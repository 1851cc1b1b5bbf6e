/// One supplement request: the agency asked the applicant for more documents.
public struct Supplement: Sendable, Hashable {
    public var requested: Instant
    public var answered: Instant?
    public var newDue: Instant?

    public init(requested: Instant, answered: Instant? = nil, newDue: Instant? = nil) {
        self.requested = requested
        self.answered = answered
        self.newDue = newDue
    }
}

/// A normalised dossier record (docs/contract.md §3): codes trimmed, NFC and upper-cased, dates as instants.
/// No personal data.
public struct Dossier: Sendable, Hashable {
    /// Index of the source in the run's source list.
    public var source: Int
    public var id: String
    public var procedure: String
    public var procedureName: String?
    public var field: String?
    public var agency: String?
    public var channel: Channel
    public var returnMethod: ReturnMethod
    public var status: Status
    public var received: Instant?
    public var due: Instant?
    public var finished: Instant?
    public var returned: Instant?
    public var supplements: [Supplement]
    public var digitised: Bool

    public init(
        source: Int, id: String, procedure: String, procedureName: String? = nil, field: String? = nil,
        agency: String? = nil, channel: Channel = .inPerson, returnMethod: ReturnMethod = .unknown,
        status: Status, received: Instant? = nil, due: Instant? = nil, finished: Instant? = nil,
        returned: Instant? = nil, supplements: [Supplement] = [], digitised: Bool = false
    ) {
        self.source = source
        self.id = id
        self.procedure = procedure
        self.procedureName = procedureName
        self.field = field
        self.agency = agency
        self.channel = channel
        self.returnMethod = returnMethod
        self.status = status
        self.received = received
        self.due = due
        self.finished = finished
        self.returned = returned
        self.supplements = supplements
        self.digitised = digitised
    }

    /// The end of processing: the finished instant, else the returned instant.
    public var end: Instant? { finished ?? returned }
}
