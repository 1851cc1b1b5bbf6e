import OneStopAggregate
import OneStopModel
import Testing

/// One test per rule of docs/contract.md §4 / R9–R14, on a period of March 2022.
@Suite struct ClassifierTests {
    // MARK: R9 — period bounds and carried over

    @Test func receivedAtFromMidnightIsInPeriod() {
        let d = dossier(status: .processing, received: at(2022, 3, 1, 0, 0, 0), due: at(2022, 3, 31, 17))
        #expect(classifier().classify(d) == .of(.receivedInPersonOrPost, .inProgressWithin))
    }

    @Test func receivedOneSecondBeforeFromIsCarriedOver() {
        let d = dossier(status: .processing, received: at(2022, 2, 28, 23, 59, 59), due: at(2022, 3, 31, 17))
        #expect(classifier().classify(d) == .of(.carriedOver, .inProgressWithin))
    }

    @Test func receivedLastSecondOfToIsInPeriod() {
        let d = dossier(channel: .online, status: .processing, received: at(2022, 3, 31, 23, 59, 59),
                        due: at(2022, 4, 5, 17))
        #expect(classifier().classify(d) == .of(.receivedOnline, .inProgressWithin))
    }

    @Test func receivedOnTheDayAfterToMidnightIsOutOfScope() {
        let d = dossier(status: .processing, received: at(2022, 4, 1, 0, 0, 0), due: at(2022, 4, 5, 17))
        #expect(classifier().classify(d) == nil)
    }

    @Test func carriedOverResolvedBeforeFromIsOutOfScope() {
        // Ended 2022-02-28 23:59:59, one second before `from`.
        let d = dossier(received: at(2022, 2, 10, 9), due: at(2022, 3, 1, 17), finished: at(2022, 2, 28, 23, 59, 59))
        #expect(classifier().classify(d) == nil)
    }

    @Test func carriedOverResolvedInPeriodIsInScope() {
        // Ended 2022-03-01 00:00:00 = `from`, not before it; due day 2022-03-01 → same day → on time.
        let atFrom = dossier(received: at(2022, 2, 10, 9), due: at(2022, 3, 1, 17), finished: at(2022, 3, 1, 0, 0, 0))
        #expect(classifier().classify(atFrom) == .of(.carriedOver, .resolvedOnTime))
        let later = dossier(received: at(2022, 2, 10, 9), due: at(2022, 3, 10, 17), finished: at(2022, 3, 5, 9))
        #expect(classifier().classify(later) == .of(.carriedOver, .resolvedEarly))
    }

    @Test func carriedOverWithAnEndDateButOpenStatusStaysInScope() {
        // Status 4 is not resolved, whatever dates it carries: carried over, in progress.
        let d = dossier(status: .processing, received: at(2022, 2, 10, 9), due: at(2022, 4, 1, 17),
                        finished: at(2022, 2, 20, 9))
        #expect(classifier().classify(d) == .of(.carriedOver, .inProgressWithin))
    }

    @Test func notAcceptedOrWithoutReceivedIsOutOfScope() {
        #expect(classifier().classify(dossier(status: .submitted, received: at(2022, 3, 2))) == nil)
        #expect(classifier().classify(dossier(status: .refused, received: at(2022, 3, 2))) == nil)
        #expect(classifier().classify(dossier(status: .processing, received: nil)) == nil)
    }

    // MARK: R10 — resolved after `to` is in progress

    @Test func resolvedAfterToIsInProgressAtEndOfPeriod() {
        // Finished 2022-04-01 00:00:00, the exclusive end: in progress; due 2022-03-31 → Mar 31 ≤ Mar 31 → within.
        let within = dossier(received: at(2022, 3, 20, 9), due: at(2022, 3, 31, 17), finished: at(2022, 4, 1, 0, 0, 0))
        #expect(classifier().classify(within) == .of(.receivedInPersonOrPost, .inProgressWithin))
        // Due 2022-03-30: end of `to` (Mar 31) is past the due day → overdue.
        let overdue = dossier(received: at(2022, 3, 20, 9), due: at(2022, 3, 30, 17), finished: at(2022, 4, 2, 9))
        #expect(classifier().classify(overdue) == .of(.receivedInPersonOrPost, .inProgressOverdue))
        // Finished at the last second of `to`: resolved, one day after due → late.
        let late = dossier(received: at(2022, 3, 20, 9), due: at(2022, 3, 30, 17), finished: at(2022, 3, 31, 23, 59, 59))
        #expect(classifier().classify(late) == .of(.receivedInPersonOrPost, .resolvedLate))
    }

    @Test func returnedInstantIsTheEndWithoutFinished() {
        // Status 10 with only NgayTra: end = returned = Mar 12 > due day Mar 11 → late.
        let d = dossier(status: .returned, received: at(2022, 3, 2, 9), due: at(2022, 3, 11, 17),
                        returned: at(2022, 3, 12, 9))
        #expect(classifier().classify(d)?.outcome == .resolvedLate)
        // Finished wins over returned: finished Mar 11 (= due day) → on time.
        let both = dossier(status: .returned, received: at(2022, 3, 2, 9), due: at(2022, 3, 11, 17),
                           finished: at(2022, 3, 11, 10), returned: at(2022, 3, 14, 9))
        #expect(classifier().classify(both)?.outcome == .resolvedOnTime)
    }

    // MARK: R11 — effective due date

    @Test func latestNewDueByRequestInstantWinsNotDocumentOrder() {
        // Request of Mar 10 carries Mar 25; a request of Mar 5 listed after it carries Mar 20.
        let d = dossier(received: at(2022, 3, 2, 9), due: at(2022, 3, 15, 17), supplements: [
            Supplement(requested: at(2022, 3, 10, 9), answered: at(2022, 3, 12, 9), newDue: at(2022, 3, 25, 17)),
            Supplement(requested: at(2022, 3, 5, 9), answered: at(2022, 3, 6, 9), newDue: at(2022, 3, 20, 17)),
            Supplement(requested: at(2022, 3, 11, 9), answered: at(2022, 3, 13, 9)),
        ])
        #expect(classifier().effectiveDue(of: d) == at(2022, 3, 25, 17))
    }

    @Test func equalRequestInstantsTakeTheLaterInDocumentOrder() {
        let d = dossier(received: at(2022, 3, 2, 9), due: at(2022, 3, 15, 17), supplements: [
            Supplement(requested: at(2022, 3, 10, 9), newDue: at(2022, 3, 25, 17)),
            Supplement(requested: at(2022, 3, 10, 9), newDue: at(2022, 3, 22, 17)),
        ])
        #expect(classifier().effectiveDue(of: d) == at(2022, 3, 22, 17))
    }

    @Test func dueExtendedByEveryAnsweredRequestIncludingAnAnswerAfterTo() {
        // Mar 10 17:00 + (Mar 4 09:00 − Mar 2 09:00 = 2 d) + (Apr 5 09:00 − Mar 20 09:00 = 16 d)
        // = Mar 28 17:00; the open request of Mar 25 adds nothing.
        let d = dossier(received: at(2022, 3, 1, 9), due: at(2022, 3, 10, 17), supplements: [
            Supplement(requested: at(2022, 3, 2, 9), answered: at(2022, 3, 4, 9)),
            Supplement(requested: at(2022, 3, 20, 9), answered: at(2022, 4, 5, 9)),
            Supplement(requested: at(2022, 3, 25, 9)),
        ])
        #expect(classifier().effectiveDue(of: d) == at(2022, 3, 28, 17))
    }

    @Test func answeredRequestMakesAnOtherwiseLateDossierOnTime() {
        // Due Mar 10 17:00 + 5 d (answered Mar 8 09:00 − requested Mar 3 09:00) = Mar 15 17:00;
        // finished Mar 15 → same day → on time (without the extension: 5 days late).
        let d = dossier(received: at(2022, 3, 1, 9), due: at(2022, 3, 10, 17), finished: at(2022, 3, 15, 10),
                        supplements: [Supplement(requested: at(2022, 3, 3, 9), answered: at(2022, 3, 8, 9))])
        #expect(classifier().classify(d)?.outcome == .resolvedOnTime)
        var unanswered = d
        unanswered.supplements = [Supplement(requested: at(2022, 3, 3, 9))]
        #expect(classifier().classify(unanswered)?.outcome == .resolvedLate)
    }

    // MARK: R12 — precedence

    @Test func withdrawnWithTwoSupplementsCountsOnTime() {
        // Withdrawn Mar 20, ten days after its due day, with two requests: withdrawn comes first.
        let d = dossier(status: .withdrawn, received: at(2022, 3, 1, 9), due: at(2022, 3, 10, 17),
                        finished: at(2022, 3, 20, 9), supplements: [
                            Supplement(requested: at(2022, 3, 2, 9)), Supplement(requested: at(2022, 3, 3, 9)),
                        ])
        #expect(classifier().classify(d) == .of(.receivedInPersonOrPost, .resolvedOnTime))
    }

    @Test func withdrawnAfterToIsInProgressWithinDeadline() {
        // Withdrawal recorded Apr 3 (after `to`) although due Mar 10: in progress, counted within.
        let d = dossier(status: .withdrawn, received: at(2022, 3, 1, 9), due: at(2022, 3, 10, 17),
                        finished: at(2022, 4, 3, 9))
        #expect(classifier().classify(d) == .of(.receivedInPersonOrPost, .inProgressWithin))
    }

    @Test func twoSupplementsMakeResolvedLateAndOpenOverdue() {
        let requests = [Supplement(requested: at(2022, 3, 2, 9), answered: at(2022, 3, 3, 9)),
                        Supplement(requested: at(2022, 3, 4, 9), answered: at(2022, 3, 5, 9))]
        // Finished Mar 6, well before due Mar 20: still late.
        let resolved = dossier(received: at(2022, 3, 1, 9), due: at(2022, 3, 20, 17), finished: at(2022, 3, 6, 9),
                               supplements: requests)
        #expect(classifier().classify(resolved)?.outcome == .resolvedLate)
        // In progress, due Apr 20: still overdue.
        let open = dossier(status: .processing, received: at(2022, 3, 1, 9), due: at(2022, 4, 20, 17),
                           supplements: requests)
        #expect(classifier().classify(open)?.outcome == .inProgressOverdue)
        // Without a due date either: the supplement rule comes first, no due-date flag.
        let noDue = dossier(received: at(2022, 3, 1, 9), finished: at(2022, 3, 6, 9), supplements: requests)
        #expect(classifier().classify(noDue) == .of(.receivedInPersonOrPost, .resolvedLate, withoutDue: false))
    }

    @Test func withTheRuleOffTwoSupplementsAreCompared() {
        // Effective due = Mar 20 17:00 + 1 d + 1 d = Mar 22 17:00; finished Mar 6 → early.
        let rules = Rules(multipleSupplementsAreLate: false)
        let d = dossier(received: at(2022, 3, 1, 9), due: at(2022, 3, 20, 17), finished: at(2022, 3, 6, 9),
                        supplements: [Supplement(requested: at(2022, 3, 2, 9), answered: at(2022, 3, 3, 9)),
                                      Supplement(requested: at(2022, 3, 4, 9), answered: at(2022, 3, 5, 9))])
        #expect(classifier(rules).classify(d)?.outcome == .resolvedEarly)
    }

    @Test func oneSupplementIsNotLate() {
        let d = dossier(received: at(2022, 3, 1, 9), due: at(2022, 3, 20, 17), finished: at(2022, 3, 6, 9),
                        supplements: [Supplement(requested: at(2022, 3, 2, 9), answered: at(2022, 3, 3, 9))])
        #expect(classifier().classify(d)?.outcome == .resolvedEarly)
    }

    @Test func noDueDateIsOnTimeAndFlagged() {
        let resolved = dossier(received: at(2022, 3, 1, 9), finished: at(2022, 3, 30, 9))
        #expect(classifier().classify(resolved) == .of(.receivedInPersonOrPost, .resolvedOnTime, withoutDue: true))
        let open = dossier(status: .feeRequested, received: at(2022, 2, 1, 9))
        #expect(classifier().classify(open) == .of(.carriedOver, .inProgressWithin, withoutDue: true))
    }

    @Test func stoppedComparesLikeFinished() {
        // Stopped Mar 12, due day Mar 11 → late; stopped Mar 9 → early; stopped Mar 11 → on time.
        func stopped(_ day: Int) -> Dossier {
            dossier(status: .stopped, received: at(2022, 3, 1, 9), due: at(2022, 3, 11, 17), finished: at(2022, 3, day, 9))
        }
        #expect(classifier().classify(stopped(12))?.outcome == .resolvedLate)
        #expect(classifier().classify(stopped(9))?.outcome == .resolvedEarly)
        #expect(classifier().classify(stopped(11))?.outcome == .resolvedOnTime)
    }

    // MARK: R13 — waiting on the applicant

    @Test func openRequestBeforeDueDayIsWithinThoughToIsPastDue() {
        // Due Mar 20; end of `to` (Mar 31) is past it, but the request of Mar 18 is open → Mar 18 ≤ Mar 20.
        let open = dossier(status: .supplementRequested, received: at(2022, 3, 1, 9), due: at(2022, 3, 20, 17),
                           supplements: [Supplement(requested: at(2022, 3, 18, 9))])
        #expect(classifier().classify(open)?.outcome == .inProgressWithin)
        // The same dossier without the request: overdue.
        var plain = open
        plain.supplements = []
        #expect(classifier().classify(plain)?.outcome == .inProgressOverdue)
    }

    @Test func answerAfterToCountsAsOpen() {
        // Due Mar 22 17:00 before extension; request Mar 25 09:00 answered Apr 2 09:00 → due + 8 d = Mar 30 17:00.
        // Open at the end of `to` → reference Mar 25 ≤ Mar 30 → within; read as answered, Mar 31 > Mar 30 → overdue.
        let d = dossier(status: .processing, received: at(2022, 3, 1, 9), due: at(2022, 3, 22, 17),
                        supplements: [Supplement(requested: at(2022, 3, 25, 9), answered: at(2022, 4, 2, 9))])
        #expect(classifier().applicantWaitStart(of: d) == at(2022, 3, 25, 9))
        #expect(classifier().classify(d)?.outcome == .inProgressWithin)
        // Answered in the period (Mar 27, +2 d → due Mar 24): not waiting; Mar 31 > Mar 24 → overdue.
        var answered = d
        answered.supplements = [Supplement(requested: at(2022, 3, 25, 9), answered: at(2022, 3, 27, 9))]
        #expect(classifier().applicantWaitStart(of: answered) == nil)
        #expect(classifier().classify(answered)?.outcome == .inProgressOverdue)
    }

    @Test func openRequestAfterTheDueDayIsOverdue() {
        // Request Mar 25 open, due Mar 20: Mar 25 > Mar 20.
        let d = dossier(status: .processing, received: at(2022, 3, 1, 9), due: at(2022, 3, 20, 17),
                        supplements: [Supplement(requested: at(2022, 3, 25, 9))])
        #expect(classifier().classify(d)?.outcome == .inProgressOverdue)
    }

    @Test func requestAfterToIsIgnored() {
        // A request of Apr 2 does not make the dossier wait at the end of the period: Mar 31 > Mar 20.
        let d = dossier(status: .processing, received: at(2022, 3, 1, 9), due: at(2022, 3, 20, 17),
                        supplements: [Supplement(requested: at(2022, 4, 2, 9))])
        #expect(classifier().applicantWaitStart(of: d) == nil)
        #expect(classifier().classify(d)?.outcome == .inProgressOverdue)
    }

    @Test func latestOpenRequestIsTheReference() {
        // Rule off so two requests are compared; open requests Mar 10 and Mar 21, due Mar 20 → Mar 21 > Mar 20.
        let d = dossier(status: .processing, received: at(2022, 3, 1, 9), due: at(2022, 3, 20, 17), supplements: [
            Supplement(requested: at(2022, 3, 21, 9)), Supplement(requested: at(2022, 3, 10, 9)),
        ])
        #expect(classifier(Rules(multipleSupplementsAreLate: false)).applicantWaitStart(of: d) == at(2022, 3, 21, 9))
        #expect(classifier(Rules(multipleSupplementsAreLate: false)).classify(d)?.outcome == .inProgressOverdue)
    }

    // MARK: Granularity

    @Test func dayGranularityIgnoresTheTimeOfDay() {
        // Due Mar 10 17:00, finished Mar 10 18:00: same day → on time.
        let d = dossier(received: at(2022, 3, 1, 9), due: at(2022, 3, 10, 17), finished: at(2022, 3, 10, 18))
        #expect(classifier().classify(d)?.outcome == .resolvedOnTime)
    }

    @Test func instantGranularityComparesInstants() {
        let rules = Rules(onTimeGranularity: .instant)
        func finished(_ day: Int, _ hour: Int64) -> Dossier {
            dossier(received: at(2022, 3, 1, 9), due: at(2022, 3, 10, 17), finished: at(2022, 3, day, hour))
        }
        #expect(classifier(rules).classify(finished(10, 18))?.outcome == .resolvedLate)  // 18:00 > 17:00
        #expect(classifier(rules).classify(finished(10, 17))?.outcome == .resolvedOnTime)  // equal
        #expect(classifier(rules).classify(finished(10, 8))?.outcome == .resolvedOnTime)  // due day, before
        #expect(classifier(rules).classify(finished(9, 23))?.outcome == .resolvedEarly)  // day before due day
        // In progress: reference = Mar 31 23:59:59 > due Mar 31 12:00 → overdue (by day: within).
        let open = dossier(status: .processing, received: at(2022, 3, 1, 9), due: at(2022, 3, 31, 12))
        #expect(classifier(rules).classify(open)?.outcome == .inProgressOverdue)
        #expect(classifier().classify(open)?.outcome == .inProgressWithin)
        // Due at the last second of `to` is still within.
        let lastSecond = dossier(status: .processing, received: at(2022, 3, 1, 9), due: at(2022, 3, 31, 23, 59, 59))
        #expect(classifier(rules).classify(lastSecond)?.outcome == .inProgressWithin)
        // Open request at Mar 31 13:00 vs due Mar 31 12:00 → overdue; at 11:00 → within.
        var waiting = open
        waiting.supplements = [Supplement(requested: at(2022, 3, 31, 13))]
        #expect(classifier(rules).classify(waiting)?.outcome == .inProgressOverdue)
        waiting.supplements = [Supplement(requested: at(2022, 3, 31, 11))]
        #expect(classifier(rules).classify(waiting)?.outcome == .inProgressWithin)
    }

    // MARK: R14 — intake columns

    @Test func postalSubmissionGoesInTheInPersonOrPostColumn() {
        let postal = dossier(channel: .postal, received: at(2022, 3, 2, 9), due: at(2022, 3, 9, 17),
                             finished: at(2022, 3, 8, 9))
        #expect(classifier().classify(postal)?.intake == .receivedInPersonOrPost)
        let online = dossier(channel: .online, returnMethod: .postal, received: at(2022, 3, 2, 9),
                             due: at(2022, 3, 9, 17), finished: at(2022, 3, 8, 9))
        #expect(classifier().classify(online)?.intake == .receivedOnline)
    }
}
