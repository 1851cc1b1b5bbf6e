extension PackedDossier {
    /// Equal when the dossiers are: with more than one supplement request, the single-request
    /// fields hold where a `DossierTable` keeps the requests, which says nothing of the dossier.
    public static func == (lhs: PackedDossier, rhs: PackedDossier) -> Bool {
        lhs.receivedSeconds == rhs.receivedSeconds && lhs.endSeconds == rhs.endSeconds
            && lhs.effectiveDueSeconds == rhs.effectiveDueSeconds && lhs.dueSeconds == rhs.dueSeconds
            && lhs.procedure == rhs.procedure && lhs.procedureName == rhs.procedureName && lhs.field == rhs.field
            && lhs.agency == rhs.agency && lhs.sourceIndex == rhs.sourceIndex
            && lhs.supplementCount16 == rhs.supplementCount16 && lhs.status == rhs.status && lhs.channel == rhs.channel
            && lhs.returnMethod == rhs.returnMethod && lhs.digitised == rhs.digitised
            && (lhs.supplementCount16 > 1
                || (lhs.waitRequestedSeconds == rhs.waitRequestedSeconds && lhs.waitAnsweredSeconds == rhs.waitAnsweredSeconds))
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(receivedSeconds)
        hasher.combine(endSeconds)
        hasher.combine(effectiveDueSeconds)
        hasher.combine(dueSeconds)
        hasher.combine(procedure)
        hasher.combine(procedureName)
        hasher.combine(field)
        hasher.combine(agency)
        hasher.combine(sourceIndex)
        hasher.combine(supplementCount16)
        hasher.combine(status)
        hasher.combine(channel)
        hasher.combine(returnMethod)
        hasher.combine(digitised)
        if supplementCount16 <= 1 {
            hasher.combine(waitRequestedSeconds)
            hasher.combine(waitAnsweredSeconds)
        }
    }
}
