import OneStopModel

/// The whole life of one dossier, drawn from its own random stream: when it was submitted and
/// accepted, its appointment, its supplement requests, and how it ended (or not). Every export
/// that carries it shows its state at the export's time (`state(at:)`), so a dossier reappears
/// in later nightly files with later statuses.
///
/// Rates, chosen so that every figure of docs/contract.md §4 has cases (they are not any province's):
/// online submission 65 % of dossiers of fully online procedures and 40 % of partly online ones;
/// postal submission 5 % and postal return 12 % where the procedure is offered by post; one
/// supplement request 7 %, two 1.5 %; fee requests 4 %; late 4 %; withdrawn 1 %, stopped 0.5 %,
/// refused 1.5 %, never accepted 0.5 %, never finished 1 %; results returned 85 % of finished;
/// digitised 60 % / 97 % before / after the provincial centre's digitisation date, 45 % / 95 %
/// at district desks; return method missing 3 %, channel element missing 2 % of in-person.
struct DossierLife {
    enum Ending {
        case resolved(finished: WallClock, returned: WallClock?)
        case withdrawn(WallClock)
        case stopped(WallClock)
        case refused(WallClock)
        case neverAccepted
        case neverFinished
    }

    struct Supplement {
        var requested: WallClock
        var answered: WallClock?
        var newDue: WallClock?
    }

    let index: Int
    let procedure: Int
    /// Set for the few dossiers filed under a code the catalogue lacks.
    let unknownProcedure: [UInt8]?
    let agency: [UInt8]?
    let channel: Channel
    let writesChannel: Bool
    let returnMethod: ReturnMethod
    let submitted: WallClock
    let received: WallClock
    let processingFrom: WallClock
    let due: WallClock
    let feeRequest: Range<WallClock>?
    let supplements: [Supplement]
    let ending: Ending
    let digitised: Bool
    let recordFlag: Bool
    let attachmentFlags: [Bool]
    let writesReceivedWhenRefused: Bool
    /// For the unmapped personal data and summary.
    let personSeed: UInt64
    /// After this nothing changes.
    let settled: WallClock

    init(source: GeneratedSource, index: Int, seed: UInt64, catalogue: ProcedureCatalogue, year: Int) {
        var random = SplitMix64(seed, UInt64(source.index), UInt64(index))
        self.index = index
        personSeed = random.next()

        // What is asked for, and from whom.
        let level: Level = source.level == .province ? .province : (random.chance(0.2) ? .commune : .district)
        procedure = catalogue.draw(level: level, &random)
        let entry = catalogue.procedures[procedure]
        unknownProcedure = random.chance(0.002) ? catalogue.unknownCodes[random.below(catalogue.unknownCodes.count)] : nil
        if random.chance(0.001) {
            agency = nil
        } else if source.level == .province {
            agency = source.departments[entry.field] ?? source.unitCode
        } else {
            agency = level == .commune ? source.communeAgencies[random.below(source.communeAgencies.count)] : source.districtAgency
        }

        // How it came in.
        let onlineShare = switch entry.online {
        case .full: 0.65
        case .partial: 0.40
        case .none: 0.0
        }
        let draw = random.unit()
        if draw < onlineShare {
            channel = .online
        } else if entry.postal, draw < onlineShare + 0.05 {
            channel = .postal
        } else {
            channel = .inPerson
        }
        writesChannel = channel != .inPerson || !random.chance(0.02)
        if random.chance(0.03) {
            returnMethod = .unknown
        } else if entry.postal, random.chance(channel == .postal ? 0.7 : 0.12) {
            returnMethod = .postal
        } else {
            returnMethod = .inPerson
        }

        // When: the day comes from the index (dossier ids grow with time), the hour is drawn.
        let day = source.firstDay.adding(days: index * source.windowDays / max(1, source.dossiers))
        let officeSecond = 7 * WallClock.hour + 30 * WallClock.minute + Int64(random.below(9 * 3_600 + 1_800))
        switch channel {
        case .online:
            submitted = day.at(second: Int64(random.below(86_400)))
            let delay = WallClock.hour * Int64(random.within(1...40))
            received = DossierLife.officeHours(submitted.adding(seconds: delay), officeSecond)
        case .postal:
            submitted = day.at(second: officeSecond).onWorkingDay
            received = submitted.adding(days: random.within(1...2)).onWorkingDay
        case .inPerson:
            submitted = day.at(second: officeSecond).onWorkingDay
            received = submitted
        }
        processingFrom = received.adding(seconds: WallClock.minute * Int64(random.within(10...240)))
        due = received.addingWorkingDays(entry.workingDays).at(second: 17 * WallClock.hour)
        let span = max(WallClock.hour, due.seconds - received.seconds)

        feeRequest = random.chance(0.04)
            ? processingFrom.adding(seconds: WallClock.hour)..<processingFrom.adding(days: random.within(1...3)) : nil

        // Supplement requests: documents missing, the applicant asked to complete them.
        var supplements: [Supplement] = []
        let requests = random.chance(0.085) ? (random.chance(0.18) ? 2 : 1) : 0
        var cursor = processingFrom
        for _ in 0..<requests {
            let requested = cursor.adding(seconds: Int64(Double(span) * (0.1 + 0.4 * random.unit())))
            let answered = random.chance(0.85) ? requested.adding(seconds: WallClock.hour * Int64(random.within(20...240))) : nil
            let newDue = answered != nil && random.chance(0.5)
                ? answered!.addingWorkingDays(entry.workingDays).at(second: 17 * WallClock.hour) : nil
            supplements.append(Supplement(requested: requested, answered: answered, newDue: newDue))
            cursor = answered ?? requested
        }

        // How it ended.
        let outcome = random.unit()
        var ending: Ending
        if channel == .online, outcome < 0.005 {
            ending = .neverAccepted
        } else if outcome < 0.02 {
            ending = .refused(received)
        } else if outcome < 0.03 {
            ending = .withdrawn(processingFrom.adding(seconds: Int64(Double(span) * random.unit())))
        } else if outcome < 0.035 {
            ending = .stopped(processingFrom.adding(seconds: Int64(Double(span) * random.unit())))
        } else if outcome < 0.045 {
            ending = .neverFinished
        } else {
            let effectiveDue = supplements.last(where: { $0.newDue != nil })?.newDue
                ?? due.adding(seconds: supplements.reduce(0) { total, s in total + (s.answered.map { $0.seconds - s.requested.seconds } ?? 0) })
            let finished: WallClock
            if random.chance(0.04) {
                finished = DossierLife.officeHours(effectiveDue.adding(days: random.within(1...15)), officeSecond)
            } else {
                let earliest = max(cursor, processingFrom).adding(seconds: WallClock.hour)
                let latest = max(earliest, effectiveDue.at(second: 16 * WallClock.hour))
                let drawn = earliest.adding(seconds: Int64(Double(latest.seconds - earliest.seconds) * (0.15 + 0.85 * random.unit())))
                finished = min(DossierLife.officeHours(drawn, officeSecond), max(drawn, latest))
            }
            let returned = random.chance(0.85) ? DossierLife.officeHours(finished.adding(days: random.within(0...3)), officeSecond) : nil
            ending = .resolved(finished: finished, returned: returned.map { max($0, finished) })
        }
        // A supplement request still open when the dossier ended is dropped; one answered after it is cut.
        if case .resolved(let end, _) = ending { supplements = DossierLife.trim(supplements, before: end) }
        if case .withdrawn(let end) = ending { supplements = DossierLife.trim(supplements, before: end) }
        if case .stopped(let end) = ending { supplements = DossierLife.trim(supplements, before: end) }
        if case .refused = ending { supplements = [] }
        if case .neverAccepted = ending { supplements = [] }
        self.supplements = supplements
        self.ending = ending

        // Digitisation rises after the plan's effective dates (docs/contract.md §1).
        let effective = source.level == .province ? WallClock(year: year, month: 6, day: 1) : WallClock(year: year, month: 12, day: 1)
        let rate = source.level == .province ? (received >= effective ? 0.97 : 0.60) : (received >= effective ? 0.95 : 0.45)
        digitised = random.chance(rate)
        let attachmentCount = random.within(1...3)
        if digitised {
            recordFlag = random.chance(0.7)
            attachmentFlags = (0..<attachmentCount).map { $0 == 0 || random.chance(0.5) }
        } else {
            recordFlag = false
            attachmentFlags = Array(repeating: false, count: attachmentCount)
        }
        writesReceivedWhenRefused = random.chance(0.5)

        var last = max(submitted, received, processingFrom)
        if let feeRequest { last = max(last, feeRequest.upperBound) }
        for supplement in supplements { last = max(last, supplement.answered ?? supplement.requested) }
        switch ending {
        case .resolved(let finished, let returned): last = max(last, returned ?? finished)
        case .withdrawn(let at), .stopped(let at), .refused(let at): last = max(last, at)
        case .neverAccepted: last = submitted
        case .neverFinished: break
        }
        settled = last
    }

    /// Moves a time into office hours of a working day (the same day when it is before closing).
    static func officeHours(_ time: WallClock, _ officeSecond: Int64) -> WallClock {
        let second = time.secondOfDay
        if second < 7 * WallClock.hour + 30 * WallClock.minute { return time.at(second: officeSecond).onWorkingDay }
        if second > 17 * WallClock.hour { return time.adding(days: 1).at(second: officeSecond).onWorkingDay }
        return time.onWorkingDay
    }

    private static func trim(_ supplements: [Supplement], before end: WallClock) -> [Supplement] {
        supplements.compactMap { supplement in
            guard supplement.requested < end else { return nil }
            var kept = supplement
            if let answered = kept.answered, answered >= end {
                kept.answered = end.adding(seconds: -WallClock.minute)
                if kept.answered! < kept.requested { kept.answered = kept.requested }
            }
            return kept
        }
    }

    /// Where the dossier stood when an export was taken at `time`.
    struct State {
        var status: Status
        var showsReceived: Bool
        var showsDue: Bool
        /// The end instant (finished, withdrawn, stopped), for statuses 7–10.
        var end: WallClock?
        var returned: WallClock?
        /// Supplement requests made by then, with what was known of them then.
        var supplements: [Supplement]
    }

    func state(at time: WallClock) -> State {
        var state = State(status: .processing, showsReceived: true, showsDue: true, end: nil, returned: nil, supplements: [])
        switch ending {
        case .neverAccepted:
            return State(status: .submitted, showsReceived: false, showsDue: false, end: nil, returned: nil, supplements: [])
        case .refused(let at):
            if time >= at {
                return State(
                    status: .refused, showsReceived: writesReceivedWhenRefused, showsDue: false, end: nil, returned: nil,
                    supplements: [])
            }
        default:
            break
        }
        if time < received {
            return State(status: .submitted, showsReceived: false, showsDue: false, end: nil, returned: nil, supplements: [])
        }
        for supplement in supplements where supplement.requested <= time {
            var known = supplement
            if let answered = known.answered, answered > time {
                known.answered = nil
                known.newDue = nil
            }
            state.supplements.append(known)
        }
        switch ending {
        case .resolved(let finished, let returned) where time >= finished:
            if let returned, time >= returned {
                state.status = .returned
                state.returned = returned
            } else {
                state.status = .finished
            }
            state.end = finished
            return state
        case .withdrawn(let at) where time >= at:
            state.status = .withdrawn
            state.end = at
            return state
        case .stopped(let at) where time >= at:
            state.status = .stopped
            state.end = at
            return state
        default:
            break
        }
        if state.supplements.contains(where: { $0.answered == nil }) {
            state.status = .supplementRequested
        } else if let feeRequest, feeRequest.contains(time) {
            state.status = .feeRequested
        } else if time < processingFrom {
            state.status = .accepted
        }
        return state
    }
}
