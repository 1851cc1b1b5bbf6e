import OneStopModel

/// One generated one-stop-shop system: its name, level, agency codes and export times.
struct GeneratedSource: Sendable {
    /// 0-based.
    let index: Int
    /// `src01`, `src02`, …
    let name: String
    let level: Level
    /// The system's own unit code, the prefix of its dossier ids (`000.00.21.H55`).
    let unitCode: [UInt8]
    /// Province centre: one department per field; district desk: the district's own code.
    let departments: [String: [UInt8]]
    let districtAgency: [UInt8]
    /// Commune desks whose dossiers the district system also records.
    let communeAgencies: [[UInt8]]
    /// When each nightly export was taken, increasing.
    let exportTimes: [WallClock]
    /// Distinct dossiers this system received.
    let dossiers: Int
    /// The receipt window: dossier `i` is received on day `firstDay + i * days / dossiers`.
    let firstDay: WallClock
    let windowDays: Int

    init(index: Int, sources: Int, dossiers: Int, nights: Int, year: Int, fields: [String]) {
        self.index = index
        name = "src" + (index + 1 < 10 ? "0" : "") + String(index + 1)
        level = index % 4 == 0 ? .province : .district
        // Province centres: `000.NN.01.H55`, departments `000.NN.1x.H55`; district desks
        // `000.00.5x.H55`, their communes `000.5x.0y.H55` (H55: the province's code).
        let unit = level == .province ? "000.\(GeneratedSource.two(index)).01.H55" : "000.00.\(50 + index).H55"
        unitCode = Array(unit.utf8)
        var departments: [String: [UInt8]] = [:]
        for (offset, field) in fields.enumerated() {
            departments[field] = Array("000.\(GeneratedSource.two(index)).\(10 + offset).H55".utf8)
        }
        self.departments = departments
        districtAgency = unitCode
        communeAgencies = (1...3).map { Array("000.\(50 + index).\(GeneratedSource.two($0)).H55".utf8) }
        self.dossiers = dossiers

        // Exports from 1 January to 10 January of the next year; with at least a day between
        // them they are taken at 02:00 (a few minutes apart per system), as nightly jobs run.
        let start = WallClock(year: year, month: 1, day: 1)
        let end = WallClock(year: year + 1, month: 1, day: 10, second: 2 * WallClock.hour)
        let span = end.seconds - start.seconds
        var times: [WallClock] = []
        for night in 0..<nights {
            var time = WallClock(seconds: start.seconds + span * Int64(night + 1) / Int64(nights))
            if span / Int64(nights) >= WallClock.day {
                time = time.at(second: 2 * WallClock.hour + Int64(3 * index) * WallClock.minute)
            }
            if let previous = times.last, time <= previous { time = previous.adding(seconds: WallClock.minute) }
            times.append(time)
        }
        exportTimes = times
        // Received from 45 days before the year (carried over) until the day before the last export.
        firstDay = start.adding(days: -45)
        windowDays = max(1, Int((times[times.count - 1].dayNumber - firstDay.dayNumber)))
    }

    /// The first export taken at or after `time`, or nil when none is.
    func firstExport(atOrAfter time: WallClock) -> Int? {
        var low = 0
        var high = exportTimes.count
        while low < high {
            let mid = (low + high) / 2
            if exportTimes[mid] < time { low = mid + 1 } else { high = mid }
        }
        return low < exportTimes.count ? low : nil
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
