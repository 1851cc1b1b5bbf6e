import OneStopModel
import Testing
@testable import OneStopNormalise

@Suite("Deduplication: latest valid version wins (R5–R7)")
struct DeduplicatorTests {
    func version(_ id: String, source: Int = 0, status: Status) -> Dossier {
        Dossier(source: source, id: id, procedure: "P", status: status, received: local(2022, 3, 1))
    }

    func order(_ day: Int, _ path: String = "a.xml", _ position: Int = 0) -> VersionOrder {
        VersionOrder(exportTime: local(2022, 3, day), path: path, position: position)
    }

    @Test("R6: later export timestamp wins whatever the offering order; superseded counts losers")
    func laterExportWins() {
        var forward = Deduplicator()
        forward.offer(version("X", status: .processing), order: order(2))
        forward.offer(version("X", status: .returned), order: order(5))
        var backward = Deduplicator()
        backward.offer(version("X", status: .returned), order: order(5))
        backward.offer(version("X", status: .processing), order: order(2))
        #expect(forward.winners().map(\.status) == [.returned])
        #expect(backward.winners().map(\.status) == [.returned])
        #expect(forward.superseded == 1)
        #expect(backward.superseded == 1)
    }

    @Test("R6: a file named to sort last but exported first loses (replay file)")
    func exportTimeBeatsFileName() {
        var deduplicator = Deduplicator()
        deduplicator.offer(version("R", status: .returned), order: order(20, "tinh_20230120.xml"))
        deduplicator.offer(version("R", status: .accepted), order: order(2, "zz_replay.xml"))
        #expect(deduplicator.winners().first?.status == .returned)
    }

    @Test("R6: ties by file path, then by position in the file")
    func tiesByPathThenPosition() {
        var deduplicator = Deduplicator()
        deduplicator.offer(version("T", status: .finished), order: order(3, "b.xml", 0))
        deduplicator.offer(version("T", status: .processing), order: order(3, "a.xml", 9))
        deduplicator.offer(version("D", status: .accepted), order: order(3, "a.xml", 1))
        deduplicator.offer(version("D", status: .stopped), order: order(3, "a.xml", 7))
        let winners = deduplicator.winners()
        #expect(winners.map(\.id) == ["D", "T"])
        #expect(winners.map(\.status) == [.stopped, .finished])
        #expect(deduplicator.superseded == 2)
    }

    @Test("The dedupe key is (source, id): the same id in two sources is two dossiers")
    func keyIncludesSource() {
        var deduplicator = Deduplicator()
        deduplicator.offer(version("SAME", source: 0, status: .returned), order: order(1))
        deduplicator.offer(version("SAME", source: 1, status: .returned), order: order(1))
        #expect(deduplicator.count == 2)
        #expect(deduplicator.superseded == 0)
    }

    @Test("R5: rejects never enter, so the newest valid older version counts")
    func rejectedNewestLeavesOlderValid() throws {
        let normaliser = try RecordNormaliser(dialect: dvcqg, clock: hoChiMinh)
        var deduplicator = Deduplicator()
        var rejected = 0
        let versions: [(RawRecord, VersionOrder)] = [
            (record([.status: "4", .finished: nil, .returned: nil]), order(4)),
            (record([.status: "9", .finished: "20221332083000"]), order(9)),
        ]
        for (raw, versionOrder) in versions {
            switch normaliser.normalise(raw, source: 0, file: "f.xml") {
            case .dossier(let dossier): deduplicator.offer(dossier, order: versionOrder)
            case .rejected: rejected += 1
            }
        }
        #expect(rejected == 1)
        #expect(deduplicator.superseded == 0)
        #expect(deduplicator.winners().map(\.status) == [.processing])
    }
}
