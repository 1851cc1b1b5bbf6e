import OneStopAggregate
import OneStopModel

/// Asia/Ho_Chi_Minh: UTC+7 all year, as in the exports.
let clock = LocalClock(identifier: "Asia/Ho_Chi_Minh")!

/// The test period: March 2022 (2022-03-01 00:00 to 2022-04-01 00:00 local, exclusive).
let march = Period(from: date(2022, 3, 1), to: date(2022, 3, 31))

func date(_ year: Int, _ month: Int, _ day: Int) -> LocalDate {
    LocalDate(year: year, month: month, day: day)!
}

/// A local wall-clock time in Asia/Ho_Chi_Minh.
func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int64 = 0, _ minute: Int64 = 0, _ second: Int64 = 0)
    -> Instant
{
    clock.instant(
        atLocalSeconds: date(year, month, day).daysSinceEpoch * 86_400 + hour * 3_600 + minute * 60 + second)
}

let days: Int64 = 86_400

func classifier(_ rules: Rules = Rules(), period: Period = march) -> Classifier {
    Classifier(period: period, clock: clock, rules: rules)
}

/// A dossier with sensible defaults: source 0, procedure `P1`, agency `AG1`, in person.
func dossier(
    _ id: String = "D1", source: Int = 0, procedure: String = "P1", procedureName: String? = nil,
    field: String? = nil, agency: String? = "AG1", channel: Channel = .inPerson,
    returnMethod: ReturnMethod = .unknown, status: Status = .finished, received: Instant?,
    due: Instant? = nil, finished: Instant? = nil, returned: Instant? = nil,
    supplements: [Supplement] = [], digitised: Bool = false
) -> Dossier {
    Dossier(
        source: source, id: id, procedure: procedure, procedureName: procedureName, field: field,
        agency: agency, channel: channel, returnMethod: returnMethod, status: status, received: received,
        due: due, finished: finished, returned: returned, supplements: supplements, digitised: digitised)
}

let provinceSource = Source(name: "tinh", level: .province)
let districtSource = Source(name: "huyen", level: .district)

func entry(
    _ code: String, name: String = "", field: String = "F", level: Level = .province,
    online: OnlineOffering = .none, postal: Bool = false
) -> CatalogueEntry {
    CatalogueEntry(code: code, name: name.isEmpty ? "Thủ tục \(code)" : name, field: field, level: level,
                   online: online, postal: postal)
}

let defaultCatalogue = Catalogue(entries: [entry("P1"), entry("P2")])

func settings(
    catalogue: Catalogue = defaultCatalogue, sources: [Source] = [provinceSource, districtSource],
    rules: Rules = Rules(), targets: Targets = Targets(), jobs: Int = 1
) -> AggregationSettings {
    AggregationSettings(
        period: march, clock: clock, rules: rules, targets: targets, catalogue: catalogue, sources: sources, jobs: jobs)
}

extension Classification {
    static func of(_ intake: Intake, _ outcome: Outcome, withoutDue: Bool = false) -> Classification {
        Classification(intake: intake, outcome: outcome, decidedWithoutDueDate: withoutDue)
    }
}
