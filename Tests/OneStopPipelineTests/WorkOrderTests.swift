import Testing
@testable import OneStopPipeline

/// Workers take files largest first, so the run does not end with one worker on a large file.
@Suite("Work order")
struct WorkOrderTests {
    @Test("Largest first; ties keep the inputs' order; a split file's hash stays before its pieces")
    func largestFirstKeepsGroupsWhole() {
        let groups: [(items: [WorkItem], bytes: Int64)] = [
            ([.file(0)], 30),
            ([.hash(input: 1), .piece(input: 1, piece: 0), .piece(input: 1, piece: 1)], 64),
            ([.file(2)], 46),
            ([.file(3)], 30),
            ([.file(4)], 0),
            ([.file(5)], 46),
        ]
        #expect(largestFirst(groups) == [
            .hash(input: 1), .piece(input: 1, piece: 0), .piece(input: 1, piece: 1),
            .file(2), .file(5), .file(0), .file(3), .file(4),
        ])
        #expect(largestFirst([]) == [])
    }
}
