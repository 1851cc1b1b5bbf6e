import OneStopAggregate
import OneStopModel
import Testing
@testable import OneStopEmit

@Suite struct CSVWriterTests {
    @Test func quotesOnlyFieldsThatNeedIt() {
        #expect(CSVWriter.escape("plain") == "plain")
        #expect(CSVWriter.escape("Cấp giấy phép xây dựng") == "Cấp giấy phép xây dựng")
        #expect(CSVWriter.escape("a,b") == "\"a,b\"")
        #expect(CSVWriter.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.escape("two\nlines") == "\"two\nlines\"")
        #expect(CSVWriter.escape("cr\rhere") == "\"cr\rhere\"")
        #expect(CSVWriter.escape("") == "")
        #expect(CSVWriter.escape(" padded ") == " padded ")
    }

    @Test func formulaStartsAreNeutralised() {
        // OWASP's list: =, +, -, @, tab, carriage return.
        #expect(CSVWriter.escape("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
        #expect(CSVWriter.escape("+1+cmd|' /C calc'!A0") == "'+1+cmd|' /C calc'!A0")
        #expect(CSVWriter.escape("-2+3") == "'-2+3")
        #expect(CSVWriter.escape("@SUM(A1:A9)") == "'@SUM(A1:A9)")
        #expect(CSVWriter.escape("\t=1") == "'\t=1")
        #expect(CSVWriter.escape("\r=1") == "\"'\r=1\"")
        #expect(CSVWriter.escape("-") == "'-")
        #expect(CSVWriter.escape("-1e5") == "'-1e5")
        #expect(CSVWriter.escape("-.5") == "'-.5")
        #expect(CSVWriter.escape("-1.") == "'-1.")
        #expect(CSVWriter.escape("--1") == "'--1")
    }

    @Test func numbersAndOrdinaryTextAreUntouched() {
        for field in ["-1", "-0.5", "+2", "0", "17", "0.4286", "1.004227", "000.00.12.H55", "a=b", " =1", "'quoted'",
                      "Đăng ký kết hôn", ""] {
            #expect(CSVWriter.neutralised(field) == field, "\(field)")
        }
    }

    @Test func writesLFRowsByDefault() {
        var csv = CSVWriter()
        csv.writeRow(["a", "b,c"])
        csv.writeRow(["", "d"])
        #expect(csv.bytes == Array("a,\"b,c\"\n,d\n".utf8))
    }

    @Test func excelOptionWritesBOMAndCRLF() {
        var csv = CSVWriter(excel: true)
        csv.writeRow(["mã", "x"])
        csv.writeRow(["y", "z"])
        #expect(csv.bytes == [0xEF, 0xBB, 0xBF] + Array("mã,x\r\ny,z\r\n".utf8))
    }
}

@Suite struct FigureColumnsTests {
    @Test func headerIsTheContract() {
        #expect(FigureColumns.names.joined(separator: ",") == "received_online,received_inperson_post,carried_over,"
            + "total,resolved_early,resolved_on_time,resolved_late,resolved_total,in_progress_within,"
            + "in_progress_overdue,in_progress_total,received,online,postal,digitised,on_time,online_share,"
            + "postal_share,digitisation_rate,on_time_rate")
    }

    @Test func valuesFollowTheHeader() {
        // 3 + 4 + 1 = 8 total; resolved 2 + 2 + 1 = 5; in progress 2 + 1 = 3; received 7; on time 2 + 2 + 2 = 6.
        // Ratios: 3/7 = 0.42857 → 0.4286; 2/7 = 0.28571 → 0.2857; 5/7 = 0.71428 → 0.7143; 6/8 = 0.7500.
        let counters = ProgressCounters(
            receivedOnline: 3, receivedInPersonPost: 4, carriedOver: 1, resolvedEarly: 2, resolvedOnTime: 2,
            resolvedLate: 1, inProgressWithin: 2, inProgressOverdue: 1, postal: 2, digitised: 5)
        #expect(FigureColumns.values(of: counters).joined(separator: ",")
            == "3,4,1,8,2,2,1,5,2,1,3,7,3,2,5,6,0.4286,0.2857,0.7143,0.7500")
    }

    @Test func ratiosRoundHalfUpToFourDecimals() {
        // R18, each ratio with its own denominator.
        let ratios = { (counters: ProgressCounters) in Array(FigureColumns.values(of: counters).suffix(4)) }
        // online 1/8 = 0.125 → 0.1250; postal 0/8; digitised 8/8; on time 8/8.
        #expect(ratios(ProgressCounters(receivedOnline: 1, receivedInPersonPost: 7, resolvedEarly: 8, digitised: 8))
            == ["0.1250", "0.0000", "1.0000", "1.0000"])
        // postal 2/3 = 0.66666… → 0.6667; digitised 1/3 = 0.33333… → 0.3333.
        #expect(ratios(ProgressCounters(receivedInPersonPost: 3, resolvedLate: 3, postal: 2, digitised: 1))
            == ["0.0000", "0.6667", "0.3333", "0.0000"])
        // digitised 1/16 = 0.0625 exactly.
        #expect(ratios(ProgressCounters(receivedInPersonPost: 16, resolvedLate: 16, digitised: 1))[2] == "0.0625")
        // on time 5/100000 = 0.00005 → half up → 0.0001; 4/100000 = 0.00004 → 0.0000.
        #expect(ratios(ProgressCounters(carriedOver: 100_000, resolvedEarly: 5, resolvedLate: 99_995))[3] == "0.0001")
        #expect(ratios(ProgressCounters(carriedOver: 100_000, resolvedEarly: 4, resolvedLate: 99_996))[3] == "0.0000")
    }

    @Test func ratiosWithDenominatorZeroAreEmpty() {
        // Only carried-over dossiers: received 0 → three empty ratios; on time 1/1.
        let values = FigureColumns.values(of: ProgressCounters(carriedOver: 1, inProgressWithin: 1))
        #expect(Array(values.suffix(4)) == ["", "", "", "1.0000"])
        #expect(Array(FigureColumns.values(of: ProgressCounters()).suffix(4)) == ["", "", "", ""])
    }
}

@Suite struct OutputSetTests {
    @Test func progressCSVHasKeysThenFigures() {
        let files = OutputSet.render(sampleReport(), options: OutputOptions())
        let lines = text(file("progress.csv", in: files)!).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "dimension,key," + FigureColumns.names.joined(separator: ","))
        #expect(lines[1] == "province,ALL,3,4,1,8,2,2,1,5,2,1,3,7,3,2,5,6,0.4286,0.2857,0.7143,0.7500")
        // The key holds a comma and quotes → quoted, quotes doubled; received 0 → empty ratios.
        #expect(lines[2] == "agency,\"AG, \"\"quoted\"\"\",0,0,1,1,0,0,0,0,1,0,1,0,0,0,0,1,,,,1.0000")
        #expect(lines[3] == "")  // the file ends with a newline
        #expect(lines.count == 4)
    }

    @Test func keyColumnsOfEachTable() {
        let files = OutputSet.render(sampleReport(), options: OutputOptions(monthly: true))
        #expect(files.map(\.name) == ["progress.csv", "procedures.csv", "agencies.csv", "monthly.csv", "figures.csv",
                                      "rejects.csv", "summary.json"])
        let figures = "," + FigureColumns.names.joined(separator: ",")
        #expect(text(file("procedures.csv", in: files)!).hasPrefix(
            "agency,procedure,procedure_name\(figures)\nAG1,1.004227,Cấp giấy phép xây dựng,3,4,1,8,"))
        #expect(text(file("agencies.csv", in: files)!).hasPrefix("agency,level\(figures)\nAG1,district,3,4,1,8,"))
        #expect(text(file("monthly.csv", in: files)!).hasPrefix("month\(figures)\n2022-03,3,4,1,8,"))
    }

    @Test func monthlyOnlyWhenAsked() {
        let files = OutputSet.render(sampleReport(), options: OutputOptions(monthly: false))
        #expect(file("monthly.csv", in: files) == nil)
        #expect(files.last?.name == "summary.json")
    }

    @Test func rejectsAreSortedByFileThenLine() {
        let rejects = text(file("rejects.csv", in: OutputSet.render(sampleReport(), options: OutputOptions()))!)
        #expect(rejects == """
            file,line,dossier_id,field,reason
            tinh/a.xml,7,X-1,NgayTiepNhan,"unparseable date: '2022-13-01, ""x""'"
            tinh/a.xml,120,X-2,NgayHenTra,due date before received date
            tinh/b.xml,40,,MaHoSo,missing dossier id

            """)
    }

    @Test func excelOptionAppliesToEveryCSV() {
        let files = OutputSet.render(sampleReport(), options: OutputOptions(excel: true, monthly: true))
        for csv in files where csv.name.hasSuffix(".csv") {
            #expect(Array(csv.contents.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(csv.name)")
            let body = text(csv)
            #expect(body.utf8.count(where: { $0 == UInt8(ascii: "\n") })
                == body.utf8.count(where: { $0 == UInt8(ascii: "\r") }), "\(csv.name): every LF after a CR")
            #expect(body.hasSuffix("\r\n"))
        }
        // summary.json is not a spreadsheet file: no BOM.
        #expect(file("summary.json", in: files)!.contents.first == UInt8(ascii: "{"))
    }

    @Test func sameReportGivesIdenticalBytes() {
        let first = OutputSet.render(sampleReport(), options: OutputOptions(monthly: true))
        let again = OutputSet.render(sampleReport(), options: OutputOptions(monthly: true))
        #expect(first.map(\.name) == again.map(\.name))
        #expect(first.map(\.contents) == again.map(\.contents))
    }
}
