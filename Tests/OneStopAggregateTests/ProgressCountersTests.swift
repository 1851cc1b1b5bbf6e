import OneStopAggregate
import OneStopModel
import Testing

@Suite struct ProgressCountersTests {
    @Test func singleDossierCountersPutOneInEachSide() {
        let c = ProgressCounters(.of(.receivedOnline, .inProgressOverdue), postal: true, digitised: true)
        #expect(c == ProgressCounters(receivedOnline: 1, inProgressOverdue: 1, postal: 1, digitised: 1))
        #expect(c.total == 1 && c.resolvedTotal == 0 && c.inProgressTotal == 1)
        #expect(c.received == 1 && c.online == 1 && c.onTime == 0)
    }

    @Test func carriedOverDossierCountsInNoReceivedRatio() {
        // Carried over: not received in the period, so postal and digitised stay 0 (§4.2).
        let c = ProgressCounters(.of(.carriedOver, .resolvedEarly), postal: true, digitised: true)
        #expect(c == ProgressCounters(carriedOver: 1, resolvedEarly: 1))
        #expect(c.received == 0 && c.onTime == 1 && c.total == 1)
        #expect(c.onlineShare == Fraction(0, 0))
        #expect(c.onTimeRate == Fraction(1, 1))
    }

    @Test func ratiosUseTheirNumeratorsAndDenominators() {
        // received = 3 + 5 = 8, total = 8 + 2 = 10, on time = 4 + 2 + 1 = 7.
        let c = ProgressCounters(
            receivedOnline: 3, receivedInPersonPost: 5, carriedOver: 2, resolvedEarly: 4, resolvedOnTime: 2,
            resolvedLate: 1, inProgressWithin: 1, inProgressOverdue: 2, postal: 1, digitised: 6)
        #expect(c.onlineShare == Fraction(3, 8))
        #expect(c.postalShare == Fraction(1, 8))
        #expect(c.digitisationRate == Fraction(6, 8))
        #expect(c.onTimeRate == Fraction(7, 10))
        #expect(c.identityHolds)  // 10 = 7 resolved + 3 in progress
        var broken = c
        broken.resolvedLate += 1
        #expect(!broken.identityHolds)
    }

    @Test func additionIsFieldByField() {
        let a = ProgressCounters(receivedOnline: 1, carriedOver: 2, resolvedLate: 3, postal: 4)
        let b = ProgressCounters(receivedInPersonPost: 5, carriedOver: 1, inProgressWithin: 6, digitised: 7)
        #expect(a + b == ProgressCounters(
            receivedOnline: 1, receivedInPersonPost: 5, carriedOver: 3, resolvedLate: 3, inProgressWithin: 6,
            postal: 4, digitised: 7))
        #expect(a + b == b + a)
    }
}
