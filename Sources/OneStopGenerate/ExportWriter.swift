import OneStopModel

/// Writes one nightly export of one source through the dialect: the document skeleton (root,
/// containers, export time), then each dossier's state at the export's time as a record. The
/// file is streamed to its sink in pieces of about a megabyte.
struct ExportWriter: Sendable {
    let template: RecordTemplate
    let dates: DateWriter
    let codes: CodeBook
    let catalogue: ProcedureCatalogue
    let seed: UInt64
    let year: Int
    let badRecordRate: Double
    /// Where an end instant goes: `finished`, or `returned` in a dialect without `finished`.
    let endField: CanonicalField
    /// Which unmapped extras the template writes, by `ExtraField.rawValue`.
    let extras: [Bool]
    /// The status a canonical status is written as (the dialect's own, or the nearest it has).
    let writtenStatus: [Status]
    /// Whether an in-person channel is written as its code (else left out: missing means in person).
    let inPersonCode: [UInt8]?

    static let flushThreshold = 1 << 20
    static let unparseableDate = Array("không rõ".utf8)

    init(dialect: Dialect, catalogue: ProcedureCatalogue, seed: UInt64, year: Int, badRecordRate: Double) throws(GenerationError) {
        template = try RecordTemplate(dialect: dialect)
        dates = try DateWriter(format: dialect.dateFormats.first ?? "iso8601")
        codes = CodeBook(dialect: dialect)
        self.catalogue = catalogue
        self.seed = seed
        self.year = year
        self.badRecordRate = badRecordRate
        if dialect.fields[.finished] != nil {
            endField = .finished
        } else if dialect.fields[.returned] != nil {
            endField = .returned
        } else {
            throw .unsupportedDialect("it maps neither 'finished' nor 'returned', so a resolved dossier cannot be written")
        }
        var statuses: [Status] = []
        for status in Status.allCases {
            guard let written = codes.statusWritten(for: status) else {
                throw .unsupportedDialect("codes.status has no code for '\(status.canonicalName)' nor a close substitute")
            }
            statuses.append(written)
        }
        writtenStatus = statuses
        var extras = [Bool](repeating: false, count: ExtraField.allCases.count)
        ExportWriter.collectExtras(template.record, into: &extras)
        self.extras = extras
        inPersonCode = codes.channel[Int(Channel.inPerson.rawValue)]
        if dialect.fields[.channel] != nil, inPersonCode == nil,
           let fallback = dialect.defaults[.channel], dialect.channelCodes[fallback.uppercased()] != .inPerson
        {
            throw .unsupportedDialect("codes.channel has no in-person code and the default channel is not in person")
        }
    }

    private static func collectExtras(_ element: TemplateElement, into extras: inout [Bool]) {
        if case .extra(let extra) = element.textSlot { extras[extra.rawValue] = true }
        for child in element.children { collectExtras(child, into: &extras) }
    }

    /// Writes the export `night` of `source` holding `dossiers` into `sink`.
    func write(
        source: GeneratedSource, night: Int, dossiers: [UInt32], sink: OutputSink, relativePath: String
    ) throws(GenerationError) -> ExportFileReport {
        let exportTime = source.exportTimes[night]
        var out: [UInt8] = []
        out.reserveCapacity(ExportWriter.flushThreshold + 64 * 1024)
        var xmlBytes: Int64 = 0
        func flush() throws(GenerationError) {
            guard !out.isEmpty else { return }
            xmlBytes += Int64(out.count)
            let failure = out.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> GenerationError? in
                do throws(GenerationError) {
                    try sink.write(bytes)
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { throw failure }
            out.removeAll(keepingCapacity: true)
        }

        out.append(contentsOf: Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".utf8))
        var exportTimeText: [UInt8] = []
        dates.write(exportTime, into: &exportTimeText)
        for (level, name) in template.containers.enumerated() {
            ExportWriter.indent(level, &out)
            out.append(0x3C)
            out.append(contentsOf: name)
            if let attribute = template.exportTimeAttribute, attribute.level == level {
                ExportWriter.attribute(attribute.name, exportTimeText[...], &out)
            }
            out.append(contentsOf: [0x3E, 0x0A])
            if let header = template.exportTimeHeader, header.level == level {
                let values = RecordValues()
                let start = values.begin()
                values.append(exportTimeText)
                values.set(.received, from: start)
                writeElement(header.element, depth: level + 1, entry: 0, values: values, into: &out)
            }
        }

        let values = RecordValues()
        let recordDepth = template.containers.count
        var badRecords = 0
        for index in dossiers {
            let life = DossierLife(source: source, index: Int(index), seed: seed, catalogue: catalogue, year: year)
            var bad = false
            if badRecordRate > 0 {
                var random = SplitMix64(seed, UInt64(source.index), UInt64(index), UInt64(night), 0xBAD)
                bad = random.chance(badRecordRate)
            }
            if fill(values, life: life, source: source, at: exportTime, unparseableReceived: bad) { badRecords += 1 }
            writeElement(template.record, depth: recordDepth, entry: 0, values: values, into: &out)
            if out.count >= ExportWriter.flushThreshold { try flush() }
        }

        for level in stride(from: template.containers.count - 1, through: 0, by: -1) {
            ExportWriter.indent(level, &out)
            out.append(contentsOf: [0x3C, 0x2F])
            out.append(contentsOf: template.containers[level])
            out.append(contentsOf: [0x3E, 0x0A])
        }
        try flush()
        let onDisk = try sink.finish()
        return ExportFileReport(
            path: relativePath, source: source.name, records: dossiers.count, badRecords: badRecords,
            xmlBytes: xmlBytes, bytesOnDisk: onDisk)
    }

    // MARK: Record values

    /// Fills `values` with the dossier as the export at `time` shows it; true when the record
    /// was made unparseable on purpose.
    private func fill(
        _ values: RecordValues, life: DossierLife, source: GeneratedSource, at time: WallClock, unparseableReceived: Bool
    ) -> Bool {
        values.clear()
        let state = life.state(at: time)
        let procedure = catalogue.procedures[life.procedure]
        let status = writtenStatus[state.status.rawValue - 1]
        let showsReceived = state.showsReceived || (status.isAccepted && status != state.status)

        // Dossier id: {unit}-{yyMMdd of submission}-{sequence} (shared/reference/DOMAIN.md).
        let start = values.begin()
        values.append(source.unitCode)
        values.append(byte: 0x2D)
        let (y, m, d) = life.submitted.date
        values.appendNumber(y % 100, width: 2)
        values.appendNumber(m, width: 2)
        values.appendNumber(d, width: 2)
        values.append(byte: 0x2D)
        values.appendNumber(life.index + 1, width: 6)
        values.set(.dossierID, from: start)

        values.set(.procedureCode, bytes: life.unknownProcedure ?? procedure.codeBytes)
        // One record in a hundred carries its name decomposed (NFD), as some systems send it.
        values.set(.procedureName, bytes: life.index % 100 == 7 ? procedure.nameDecomposed : procedure.nameComposed)
        if life.index % 10 != 3 { values.set(.field, bytes: procedure.fieldBytes) }
        if let agency = life.agency { values.set(.agency, bytes: agency) }

        if life.writesChannel {
            if let code = codes.channel[Int(life.channel.rawValue)] ?? inPersonCode { values.set(.channel, bytes: code) }
        }
        if life.returnMethod != .unknown, let code = codes.returnMethod[Int(life.returnMethod.rawValue)] {
            values.set(.returnMethod, bytes: code)
        }
        values.set(.status, bytes: codes.status[status.rawValue]!)

        if showsReceived {
            if unparseableReceived {
                values.set(.received, bytes: ExportWriter.unparseableDate)
            } else {
                values.set(.received, date: life.received, writer: dates)
            }
            if state.showsDue || status != state.status { values.set(.due, date: life.due, writer: dates) }
        }
        if let end = state.end { values.set(endField, date: end, writer: dates) }
        if let returned = state.returned, endField == .finished { values.set(.returned, date: returned, writer: dates) }

        if let flag = life.recordFlag ? codes.flagTrue : codes.flagFalse { values.set(.digitised, bytes: flag) }
        for digitised in life.attachmentFlags {
            values.addAttachment()
            if let flag = digitised ? codes.flagTrue : codes.flagFalse { values.setLast(.digitised, bytes: flag) }
        }
        for supplement in state.supplements {
            values.addSupplement()
            values.setLast(.requested, date: supplement.requested, writer: dates)
            if let answered = supplement.answered { values.setLast(.answered, date: answered, writer: dates) }
            if let newDue = supplement.newDue { values.setLast(.newDue, date: newDue, writer: dates) }
        }
        PersonalData.fill(values, seed: life.personSeed, procedureName: procedure.nameComposed, slots: extras)
        return unparseableReceived && showsReceived
    }

    // MARK: XML

    private func hasContent(_ element: TemplateElement, entry: Int, values: RecordValues) -> Bool {
        if let slot = element.textSlot, values.range(of: slot, entry: entry) != nil { return true }
        for attribute in element.attributes where values.range(of: attribute.slot, entry: entry) != nil { return true }
        for child in element.children {
            if let group = child.repeated {
                if values.entries(of: group) > 0 { return true }
            } else if hasContent(child, entry: entry, values: values) {
                return true
            }
        }
        return false
    }

    private func writeElement(
        _ element: TemplateElement, depth: Int, entry: Int, values: RecordValues, into out: inout [UInt8]
    ) {
        ExportWriter.indent(depth, &out)
        out.append(0x3C)
        out.append(contentsOf: element.name)
        for attribute in element.attributes {
            if let range = values.range(of: attribute.slot, entry: entry) {
                ExportWriter.attribute(attribute.name, values.arena[range], &out)
            }
        }
        let text = element.textSlot.flatMap { values.range(of: $0, entry: entry) }
        var wroteChild = false
        for child in element.children {
            if let group = child.repeated {
                let count = values.entries(of: group)
                for index in 0..<count {
                    if !wroteChild { openForChildren(text: text, values: values, &out) }
                    wroteChild = true
                    writeElement(child, depth: depth + 1, entry: index, values: values, into: &out)
                }
            } else if hasContent(child, entry: entry, values: values) {
                if !wroteChild { openForChildren(text: text, values: values, &out) }
                wroteChild = true
                writeElement(child, depth: depth + 1, entry: entry, values: values, into: &out)
            }
        }
        if wroteChild {
            ExportWriter.indent(depth, &out)
            out.append(contentsOf: [0x3C, 0x2F])
            out.append(contentsOf: element.name)
            out.append(contentsOf: [0x3E, 0x0A])
        } else if let text {
            out.append(0x3E)
            out.append(contentsOf: values.arena[text])
            out.append(contentsOf: [0x3C, 0x2F])
            out.append(contentsOf: element.name)
            out.append(contentsOf: [0x3E, 0x0A])
        } else {
            out.append(contentsOf: [0x2F, 0x3E, 0x0A])
        }
    }

    private func openForChildren(text: Range<Int>?, values: RecordValues, _ out: inout [UInt8]) {
        out.append(0x3E)
        if let text { out.append(contentsOf: values.arena[text]) }
        out.append(0x0A)
    }

    private static func attribute(_ name: [UInt8], _ value: ArraySlice<UInt8>, _ out: inout [UInt8]) {
        out.append(0x20)
        out.append(contentsOf: name)
        out.append(contentsOf: [0x3D, 0x22])
        out.append(contentsOf: value)
        out.append(0x22)
    }

    private static let spaces = [UInt8](repeating: 0x20, count: 64)

    private static func indent(_ depth: Int, _ out: inout [UInt8]) {
        out.append(contentsOf: spaces[0..<min(64, 2 * depth)])
    }
}
