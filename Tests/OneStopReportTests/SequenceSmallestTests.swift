import Testing
@testable import OneStopReport

@Suite struct SequenceSmallestTests {
    @Test func theFirstFewAsAStableSortWouldGiveThem() {
        var state: UInt64 = 7
        let values = (0..<2_000).map { index -> (key: Int, index: Int) in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Int(state >> 58), index)  // 64 keys: many ties
        }
        let reference = values.sorted { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }
        for count in [0, 1, 5, 24, 2_000, 3_000] {
            let chosen = values.smallest(count) { $0.key < $1.key }
            #expect(chosen.map(\.index) == reference.prefix(count).map(\.index), "\(count): equal keys keep their order")
        }
        #expect([3, 1, 2].smallest(2, by: >) == [3, 2])
    }
}
