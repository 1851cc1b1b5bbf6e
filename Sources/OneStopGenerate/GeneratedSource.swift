import OneStopModel

/// One generated one-stop-shop system: its name, level, agency codes and export times.
///
/// Systems come in provinces of four — a provincial centre and three district desks — so a set
/// of many sources reads as many provinces (63 × 4 = 252 sources is a country): every province
/// has its own code (`H55`, `H56`, …) at the end of each of its agency codes, and no two systems
/// share an agency code, however many there are.
struct GeneratedSource: Sendable {
    /// 0-based.
    let index: Int
    /// `src01`, `src02`, … (`src001`… from 100 sources on: as many digits as the largest number).
    let name: String
    let level: Level
    /// The system's own unit code, the prefix of its dossier ids (`000.00.21.H55`).
    let unitCode: [UInt8]
    /// Province centre: one department per field; district desk: none (its own code serves).
    let departments: [String: [UInt8]]
    let districtAgency: [UInt8]
    /// Commune desks whose dossiers a district system also records (none for a province centre).
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
        name = GeneratedSource.name(index: index, sources: sources)
        let local = index % 4
        level = local == 0 ? .province : .district
        // Province centres: `000.00.01.Hpp`, departments `000.00.1x.Hpp`; district desks
        // `000.00.5d.Hpp`, their communes `000.5d.0y.Hpp` (Hpp: the province's code).
        let province = "H\(55 + index / 4)"
        let unit = level == .province ? "000.00.01.\(province)" : "000.00.\(50 + local).\(province)"
        unitCode = Array(unit.utf8)
        var departments: [String: [UInt8]] = [:]
        for (offset, field) in fields.enumerated() where level == .province {
            departments[field] = Array("000.00.\(10 + offset).\(province)".utf8)
        }
        self.departments = departments
        districtAgency = unitCode
        communeAgencies = level == .province
            ? [] : (1...3).map { Array("000.\(50 + local).\(GeneratedSource.two($0)).\(province)".utf8) }
        self.dossiers = dossiers

        // Exports from 1 January to 10 January of the next year; with at least a day between
        // them they are taken from 02:00 (a few minutes apart per system, all within the same
        // twelve hours however many systems there are), as nightly jobs run.
        let start = WallClock(year: year, month: 1, day: 1)
        let end = WallClock(year: year + 1, month: 1, day: 10, second: 2 * WallClock.hour)
        let span = end.seconds - start.seconds
        var times: [WallClock] = []
        for night in 0..<nights {
            var time = WallClock(seconds: start.seconds + span * Int64(night + 1) / Int64(nights))
            if span / Int64(nights) >= WallClock.day {
                time = time.at(second: 2 * WallClock.hour + Int64(3 * (index % 240)) * WallClock.minute)
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

    /// `src` and the 1-based number, zero-padded to the digits of the largest (at least two).
    static func name(index: Int, sources: Int) -> String {
        let number = String(index + 1)
        let width = max(2, String(sources).count)
        return "src" + String(repeating: "0", count: width - number.count) + number
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
