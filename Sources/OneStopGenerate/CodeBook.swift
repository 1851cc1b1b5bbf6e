import OneStopModel

/// The dialect's value maps turned around: for each canonical value, the code its system
/// writes. When several codes map to one value, the smallest (in byte order) is written, so
/// the choice is deterministic. Codes are stored upper-cased by the dialect; they are written
/// in lower case when that reads back to the same code (codes compare case-insensitively),
/// since systems tend to write slugs such as `truc_tuyen` in lower case.
struct CodeBook: Sendable {
    /// Indexed by `Status.rawValue`; nil when the dialect has no code for that status.
    let status: [[UInt8]?]
    /// Indexed by `Channel.rawValue`.
    let channel: [[UInt8]?]
    /// Indexed by `ReturnMethod.rawValue`.
    let returnMethod: [[UInt8]?]
    let flagTrue: [UInt8]?
    let flagFalse: [UInt8]?
    /// A status code no map holds, for the few records meant to be rejected.
    let unknownStatus: [UInt8]

    init(dialect: Dialect) {
        func reversed<Value: Hashable>(_ map: [String: Value]) -> [Value: [UInt8]] {
            var result: [Value: String] = [:]
            for (code, value) in map where result[value] == nil || code.utf8.lexicographicallyPrecedes(result[value]!.utf8) {
                result[value] = code
            }
            return result.mapValues { code in
                let lower = code.lowercased()
                return Array((lower.uppercased() == code ? lower : code).utf8)
            }
        }
        let statuses = reversed(dialect.statusCodes)
        status = [nil] + (1...10).map { statuses[Status(rawValue: $0)!] }
        let channels = reversed(dialect.channelCodes)
        channel = Channel.allCases.map { channels[$0] }
        let returns = reversed(dialect.returnCodes)
        returnMethod = ReturnMethod.allCases.map { returns[$0] }
        let flags = reversed(dialect.flagCodes)
        flagTrue = flags[true]
        flagFalse = flags[false]
        var unknown = "99"
        while dialect.statusCodes[unknown] != nil { unknown += "9" }
        unknownStatus = Array(unknown.utf8)
    }

    /// The status actually written for `wanted`: the dialect's code, or the nearest status it
    /// has a code for (an `accepted` becomes `processing` in a system without an intake state).
    func statusWritten(for wanted: Status) -> Status? {
        var candidate: Status? = wanted
        var steps = 0
        while let current = candidate, steps < 10 {
            if status[current.rawValue] != nil { return current }
            candidate = CodeBook.substitute[current]
            steps += 1
        }
        return nil
    }

    private static let substitute: [Status: Status] = [
        .submitted: .accepted, .accepted: .processing, .feeRequested: .processing, .supplementRequested: .processing,
        .stopped: .withdrawn, .withdrawn: .finished, .returned: .finished, .finished: .returned,
    ]
}
