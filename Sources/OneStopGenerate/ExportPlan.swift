/// Which dossiers each nightly export of one source carries.
///
/// Every dossier appears in a number of exports fixed up front, so that the files hold exactly
/// the records asked for: its first export after submission, the export that shows its final
/// state (the first after it settled, or the last one), and as many exports between (and, if
/// needed, re-exports after) as its share of records asks. A dossier received late in the
/// year has fewer exports left; what it cannot take goes to earlier dossiers.
struct ExportPlan: Sendable {
    /// Per night, the dossiers in that export, in increasing index (receipt) order.
    let nights: [[UInt32]]

    var records: Int { nights.reduce(0) { $0 + $1.count } }

    init(source: GeneratedSource, records: Int, seed: UInt64, catalogue: ProcedureCatalogue, year: Int) throws(GenerationError) {
        let count = source.dossiers
        let nightCount = source.exportTimes.count
        var firstNight = [UInt16](repeating: 0, count: count)
        var finalNight = [UInt16](repeating: 0, count: count)
        var capacity = 0
        for index in 0..<count {
            let life = DossierLife(source: source, index: index, seed: seed, catalogue: catalogue, year: year)
            let first = source.firstExport(atOrAfter: life.submitted) ?? nightCount - 1
            let final = max(first, source.firstExport(atOrAfter: life.settled) ?? nightCount - 1)
            firstNight[index] = UInt16(first)
            finalNight[index] = UInt16(final)
            capacity += nightCount - first
        }
        guard capacity >= records else {
            throw .invalidOptions(
                "\(source.name): its \(count) dossiers fit at most \(capacity) records in \(nightCount) exports "
                    + "(a dossier appears at most once per export, from its submission on); raise --nights or --dossiers")
        }

        // Appearances per dossier: an even share, from the last dossier back, carrying what a
        // late dossier cannot take to earlier ones.
        var appearances = [UInt16](repeating: 0, count: count)
        var carry = 0
        for index in stride(from: count - 1, through: 0, by: -1) {
            let share = (index + 1) * records / count - index * records / count
            let room = nightCount - Int(firstNight[index])
            let wanted = share + carry
            let given = min(wanted, room)
            appearances[index] = UInt16(given)
            carry = wanted - given
        }
        var index = 0
        while carry > 0, index < count {
            let room = nightCount - Int(firstNight[index]) - Int(appearances[index])
            let given = min(room, carry)
            appearances[index] += UInt16(given)
            carry -= given
            index += 1
        }

        var nights = [[UInt32]](repeating: [], count: nightCount)
        for index in 0..<count {
            for night in ExportPlan.nights(
                first: Int(firstNight[index]), final: Int(finalNight[index]), count: Int(appearances[index]))
            {
                nights[night].append(UInt32(index))
            }
        }
        self.nights = nights
    }

    /// `count` distinct nights from `first` on: `first`, `final`, evenly spaced nights between,
    /// then re-exports right after `final`. Requires `count ≤ nights - first`.
    static func nights(first: Int, final: Int, count: Int) -> [Int] {
        guard count > 0 else { return [] }
        if count == 1 { return [final] }
        var result = [first]
        var need = count - 1
        if final > first {
            result.append(final)
            need -= 1
        }
        let between = max(0, final - first - 1)
        let inner = min(need, between)
        for j in 0..<inner {
            result.append(first + 1 + (2 * j + 1) * between / (2 * inner))
        }
        need -= inner
        var next = max(final, first) + 1
        while need > 0 {
            result.append(next)
            next += 1
            need -= 1
        }
        return result.sorted()
    }
}
