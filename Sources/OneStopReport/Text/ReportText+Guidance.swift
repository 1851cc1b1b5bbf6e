import OneStopAggregate
import OneStopEmit
import OneStopModel

/// The report's words for what a reader should do: the banner of a run whose figures are
/// incomplete, each line's gap to its target and change against the period before, the agencies'
/// ranking and their late dossiers.
extension ReportText {
    var bannerTitle: String {
        language == .vi ? "Số liệu chưa đầy đủ — cần xử lý trước khi dùng" : "The figures are incomplete — act before using them"
    }

    /// What went wrong and what to do about it, as HTML-free text: (what, action).
    func problem(_ problem: RunProblem, freshness maxAge: String?) -> (what: String, action: String) {
        switch (language, problem) {
        case (.vi, .failedFiles(let paths)):
            ("\(paths.count) tệp không đọc được đến hết nên không được tính: \(Self.list(paths)).",
             "Xuất lại các tệp này từ hệ thống một cửa rồi chạy lại; lỗi của từng tệp ở mục Đối soát dữ liệu.")
        case (.en, .failedFiles(let paths)):
            ("\(paths.count) file(s) could not be read to their end and were not counted: \(Self.list(paths)).",
             "Export these files again from the one-stop system, then run again; each file's error is under Run accounting.")
        case (.vi, .missingSource(let name, let patterns)):
            ("Nguồn “\(name)” không có tệp nào (mẫu: \(patterns.joined(separator: ", "))): số liệu của nguồn này thiếu trong mọi tổng.",
             "Kiểm tra việc xuất dữ liệu của nguồn này đã chép vào đúng thư mục chưa, rồi chạy lại.")
        case (.en, .missingSource(let name, let patterns)):
            ("Source “\(name)” matched no file (patterns: \(patterns.joined(separator: ", "))): its figures are missing from every total.",
             "Check that this source's exports arrived in that folder, then run again.")
        case (.vi, .staleSource(let name, let newest, let asOf)):
            ("Nguồn “\(name)” đã cũ: tệp xuất mới nhất lúc \(newest ?? "không rõ"), quá \(maxAge ?? "hạn cho phép") tính đến \(asOf).",
             "Kiểm tra lịch xuất dữ liệu tự động của nguồn này; số liệu có thể thiếu các hồ sơ gần đây.")
        case (.en, .staleSource(let name, let newest, let asOf)):
            ("Source “\(name)” is stale: its newest export is from \(newest ?? "an unknown time"), older than \(maxAge ?? "allowed") at \(asOf).",
             "Check this source's scheduled export; the figures may lack its recent dossiers.")
        case (.vi, .rejectRate(let rejected, let read, let limit)):
            ("\(rejected) trên \(read) bản ghi bị loại, quá ngưỡng maxRejectRate \(limit.formatted(places: 4) ?? "").",
             "Xem mục Bản ghi bị loại theo lý do và rejects.csv, sửa dữ liệu hoặc định dạng rồi chạy lại.")
        case (.en, .rejectRate(let rejected, let read, let limit)):
            ("\(rejected) of \(read) records were rejected, above maxRejectRate \(limit.formatted(places: 4) ?? "").",
             "See Rejected records by reason and rejects.csv; fix the data or the dialect, then run again.")
        }
    }

    /// At most five names, then how many more.
    private static func list(_ names: [String]) -> String {
        names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", … (+\(names.count - 5))" : "")
    }

    /// "37 more procedures with a postal dossier", for a line that misses its target.
    func gap(_ measure: ScorecardMeasure, _ count: String, one: Bool) -> String {
        switch (language, measure) {
        case (.vi, .onlineProcedureCoverage): "Cần thêm \(count) thủ tục có hồ sơ trực tuyến"
        case (.vi, .onlineDossierShare): "Cần thêm \(count) hồ sơ trực tuyến"
        case (.vi, .postalProcedureCoverage): "Cần thêm \(count) thủ tục có hồ sơ qua BCCI"
        case (.vi, .onTimeRate): "Cần thêm \(count) hồ sơ đúng hạn"
        case (.vi, .digitisationRate): "Cần thêm \(count) hồ sơ được số hóa"
        case (.en, .onlineProcedureCoverage): "\(count) more \(one ? "procedure" : "procedures") with an online dossier"
        case (.en, .onlineDossierShare): "\(count) more online \(one ? "dossier" : "dossiers")"
        case (.en, .postalProcedureCoverage): "\(count) more \(one ? "procedure" : "procedures") with a postal dossier"
        case (.en, .onTimeRate): "\(count) more \(one ? "dossier" : "dossiers") resolved on time"
        case (.en, .digitisationRate): "\(count) more digitised \(one ? "dossier" : "dossiers")"
        }
    }

    /// "+2,35 điểm % so với 01/01/2021 – 31/12/2021 (64,32%)".
    func change(_ points: String, previous: String, period: String) -> String {
        switch language {
        case .vi: "\(points) điểm % so với kỳ \(period) (\(previous))"
        case .en: "\(points) points against \(period) (\(previous))"
        }
    }

    /// A previous value without a change (one of the two values is empty).
    func previousOnly(_ previous: String, period: String) -> String {
        language == .vi ? "Kỳ \(period): \(previous)" : "\(period): \(previous)"
    }

    var noSourceShort: String { language == .vi ? "chưa có nguồn" : "no source" }

    /// The agency charts' ratio under each chart, on the per-agency basis.
    func agencyRatio(_ measure: ScorecardMeasure) -> String {
        switch (language, measure) {
        case (.vi, .onlineProcedureCoverage): "thủ tục có hồ sơ trực tuyến / thủ tục có DVC trực tuyến mà cơ quan có hồ sơ"
        case (.vi, .onlineDossierShare): "hồ sơ trực tuyến / hồ sơ tiếp nhận của các thủ tục có DVC trực tuyến"
        case (.vi, .postalProcedureCoverage): "thủ tục có hồ sơ qua BCCI / thủ tục có BCCI mà cơ quan có hồ sơ"
        case (.vi, .onTimeRate): "trước hạn + đúng hạn + đang trong hạn / tổng số hồ sơ"
        case (.vi, .digitisationRate): "hồ sơ được số hóa / hồ sơ tiếp nhận từ ngày áp dụng của cấp"
        case (.en, .onlineProcedureCoverage): "procedures with an online dossier / procedures offered online the agency received dossiers for"
        case (.en, .onlineDossierShare): "online dossiers / dossiers received for procedures offered online"
        case (.en, .postalProcedureCoverage): "procedures with a postal dossier / procedures offered by post the agency received dossiers for"
        case (.en, .onTimeRate): "early + on time + within deadline / all dossiers"
        case (.en, .digitisationRate): "digitised dossiers / dossiers received from their level's effective date"
        }
    }

    func agenciesIntro(minimum: Int) -> String {
        switch language {
        case .vi:
            "Mỗi biểu đồ là một chỉ tiêu của kế hoạch, tính cho từng cơ quan trên cùng cơ sở như thẻ toàn tỉnh ở trên. "
                + "Cơ quan được xếp hạng (#) khi chỉ tiêu dựa trên ít nhất \(minimum) hồ sơ; n = số hồ sơ. Đường nét đứt là mục tiêu."
        case .en:
            "Each chart is one of the plan's lines, computed per agency on the basis of the province-wide cards above. "
                + "An agency is ranked (#) when the line rests on at least \(minimum) dossiers; n = dossiers. The dashed line is the target."
        }
    }

    func tooFew(minimum: Int) -> String {
        language == .vi ? "Quá ít hồ sơ để xếp hạng (dưới \(minimum)):" : "Too few dossiers to rank (under \(minimum)):"
    }

    func andMore(_ count: String) -> String {
        language == .vi ? "và \(count) cơ quan khác (xem sheet Agency scorecard hoặc figures.csv)"
            : "and \(count) more (see the Agency scorecard sheet or figures.csv)"
    }

    var omittedRanked: String {
        language == .vi ? "… {n} cơ quan khác – xem figures.csv …" : "… {n} more agencies – see figures.csv …"
    }

    var noRankedAgency: String {
        language == .vi ? "Chưa cơ quan nào đủ hồ sơ để xếp hạng." : "No agency has enough dossiers to be ranked."
    }

    var lateDossiersSection: String { language == .vi ? "Hồ sơ trễ hạn theo cơ quan" : "Late and overdue dossiers by agency" }

    func lateDossiersIntro(listLength: Int) -> String {
        switch language {
        case .vi:
            "Mỗi cơ quan có hồ sơ giải quyết quá hạn hoặc đang quá hạn: \(listLength) hồ sơ trễ nhiều ngày nhất, mã hồ sơ và số ngày trễ "
                + "(tính đến ngày kết thúc, hoặc đến cuối kỳ với hồ sơ đang giải quyết). Cơ quan nhiều hồ sơ trễ nhất ở trên."
        case .en:
            "Every agency with dossiers resolved late or overdue: its \(listLength) dossiers with the most days late, their ids and "
                + "days late (to the end, or to the end of the period for those in progress). Agencies with the most first."
        }
    }

    func lateCounts(late: String, resolvedLate: String, overdue: String) -> String {
        switch language {
        case .vi: "\(late) hồ sơ trễ hạn: \(resolvedLate) giải quyết quá hạn, \(overdue) đang quá hạn"
        case .en: "\(late) late: \(resolvedLate) resolved late, \(overdue) overdue in progress"
        }
    }

    func days(_ count: String, one: Bool) -> String {
        language == .vi ? "\(count) ngày" : "\(count) \(one ? "day" : "days")"
    }

    var noDueDay: String { language == .vi ? "không rõ hạn" : "no due date" }
    var overdueKind: String { language == .vi ? "đang quá hạn" : "overdue" }
    var resolvedLateKind: String { language == .vi ? "giải quyết quá hạn" : "resolved late" }
    var dossierID: String { language == .vi ? "Mã hồ sơ" : "Dossier" }
    var daysLate: String { language == .vi ? "Số ngày trễ" : "Days late" }

    /// The rest of an agency's late dossiers, beyond those listed.
    func moreLate(_ count: String, written: Bool) -> String {
        switch language {
        case .vi: "… và \(count) hồ sơ trễ hạn khác trong dossiers.csv" + (written ? "." : " (chạy với --dossiers).")
        case .en: "… and \(count) more in dossiers.csv" + (written ? "." : " (run with --dossiers).")
        }
    }

    func moreLateAgencies(_ count: String, written: Bool) -> String {
        switch language {
        case .vi: "\(count) cơ quan khác có hồ sơ trễ hạn: xem dossiers.csv" + (written ? "." : " (chạy với --dossiers).")
        case .en: "\(count) more agencies have late dossiers: see dossiers.csv" + (written ? "." : " (run with --dossiers).")
        }
    }
}

extension ReportText {
    /// Under a level's value: the gap, shortly.
    func gapShort(_ count: String) -> String {
        language == .vi ? "cần thêm \(count)" : "\(count) short"
    }

    /// Under a level's value: the change and the previous value, shortly.
    func changeShort(_ points: String, previous: String) -> String {
        language == .vi ? "\(points) điểm % (kỳ trước \(previous))" : "\(points) pts (previous \(previous))"
    }
}

extension ReportText {
    func moreProblems(_ count: String) -> String {
        language == .vi ? "… và \(count) vấn đề khác: xem summary.json." : "… and \(count) more: see summary.json."
    }
}
