import OneStopPipeline
import Testing

/// Sources go to shards whole, balancing bytes, the same way every time.
@Suite struct ShardAssignmentTests {
    @Test func largestFirstToTheLightestShard() {
        let sources: [(name: String, bytes: Int64)] = [("a", 10), ("b", 70), ("c", 30), ("d", 40), ("e", 20)]
        // b(70) → 1; d(40) → 2; c(30) → 2 (70 each); e(20) → 1, the lower of two equal (90);
        // a(10) → 2 (80).
        #expect(ShardAssignment.assign(sources, shards: 2) == ["b": 1, "d": 2, "c": 2, "e": 1, "a": 2])
    }

    @Test func everySourceOnceAndTheSameWhateverTheOrder() {
        let sources: [(name: String, bytes: Int64)] = (0..<63).map { ("p\($0)", Int64(($0 * 7919) % 1000)) }
        let assignment = ShardAssignment.assign(sources, shards: 8)
        #expect(assignment.count == 63)
        #expect(Set(assignment.values) == Set(1...8))
        #expect(ShardAssignment.assign(sources.reversed(), shards: 8) == assignment)
        // Balanced: no shard is more than the largest source above another.
        var load = [Int64](repeating: 0, count: 8)
        for source in sources { load[assignment[source.name]! - 1] += source.bytes }
        #expect(load.max()! - load.min()! <= sources.map(\.bytes).max()!)
    }

    @Test func equalSizesGoByName() {
        let sources: [(name: String, bytes: Int64)] = [("z", 5), ("y", 5), ("x", 5)]
        #expect(ShardAssignment.assign(sources, shards: 3) == ["x": 1, "y": 2, "z": 3])
    }

    @Test func moreShardsThanSourcesLeavesSomeEmpty() {
        #expect(ShardAssignment.assign([("only", 1)], shards: 3) == ["only": 1])
    }
}
