import OneStopEmit

/// The parts of the package, as SpreadsheetML text (ECMA-376 Part 1, transitional). Text cells
/// are inline strings (`t="inlineStr"`), not a shared strings table: a table of every distinct
/// text would grow with the data (200,000 agency codes, a million dossier ids).
extension Workbook {
    /// Writes the `.xlsx` file into `writer`: the parts deflated into a zip, in a fixed order,
    /// each sheet streamed row by row.
    func write(to writer: OutputWriter, fileName: String, zip64Threshold: UInt64 = 0xFFFF_FFFF) throws(EmitError) {
        let zip = ZipStream(writer: writer, name: fileName, zip64Threshold: zip64Threshold)
        try zip.addEntry("[Content_Types].xml", text: contentTypes())
        try zip.addEntry("_rels/.rels", text: packageRelationships)
        try zip.addEntry("docProps/app.xml", text: appProperties())
        try zip.addEntry("docProps/core.xml", text: coreProperties())
        try zip.addEntry("xl/workbook.xml", text: workbookXML())
        try zip.addEntry("xl/_rels/workbook.xml.rels", text: workbookRelationships())
        try zip.addEntry("xl/styles.xml", text: CellStyle.stylesheet)
        for (index, sheet) in sheets.enumerated() {
            try zip.addEntry("xl/worksheets/sheet\(index + 1).xml") { sink throws(EmitError) in
                try writeWorksheet(sheet, selected: index == 0, tablePart: tableNumber(of: index) != nil, into: sink)
            }
        }
        for (index, sheet) in sheets.enumerated() {
            guard let number = tableNumber(of: index) else { continue }
            try zip.addEntry("xl/worksheets/_rels/sheet\(index + 1).xml.rels", text: sheetRelationships(table: number))
            try zip.addEntry("xl/tables/table\(number).xml", text: tableXML(sheet, number: number))
        }
        try zip.finish()
    }

    /// The whole file in memory (tests).
    func xlsx() throws(EmitError) -> [UInt8] {
        let writer = OutputWriter()
        try write(to: writer, fileName: OutputDocument.workbook.fileName)
        return writer.bytes
    }

    static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// The number of the table part of sheet `index` (1 for the first sheet that is a table), or nil.
    func tableNumber(of index: Int) -> Int? {
        guard sheets[index].isTable else { return nil }
        return sheets[...index].filter(\.isTable).count
    }

    private func contentTypes() -> String {
        let prefix = "application/vnd.openxmlformats-officedocument."
        var xml = Self.declaration
            + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
            + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
            + #"<Default Extension="xml" ContentType="application/xml"/>"#
            + #"<Override PartName="/xl/workbook.xml" ContentType="\#(prefix)spreadsheetml.sheet.main+xml"/>"#
        for index in sheets.indices {
            xml += #"<Override PartName="/xl/worksheets/sheet\#(index + 1).xml" ContentType="\#(prefix)spreadsheetml.worksheet+xml"/>"#
        }
        for index in sheets.indices {
            guard let number = tableNumber(of: index) else { continue }
            xml += #"<Override PartName="/xl/tables/table\#(number).xml" ContentType="\#(prefix)spreadsheetml.table+xml"/>"#
        }
        xml += #"<Override PartName="/xl/styles.xml" ContentType="\#(prefix)spreadsheetml.styles+xml"/>"#
            + #"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#
            + #"<Override PartName="/docProps/app.xml" ContentType="\#(prefix)extended-properties+xml"/>"#
            + "</Types>"
        return xml
    }

    private var packageRelationships: String {
        Self.declaration
            + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
            + #"<Relationship Id="rId1" Type="\#(Self.relationshipNamespace)/officeDocument" Target="xl/workbook.xml"/>"#
            + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#
            + #"<Relationship Id="rId3" Type="\#(Self.relationshipNamespace)/extended-properties" Target="docProps/app.xml"/>"#
            + "</Relationships>"
    }

    /// No creation or modification time: the same figures give the same bytes.
    private func coreProperties() -> String {
        Self.declaration
            + #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#
            + #"xmlns:dc="http://purl.org/dc/elements/1.1/">"#
            + "<dc:title>\(Markup.escape(title))</dc:title><dc:creator>onestop</dc:creator>"
            + "</cp:coreProperties>"
    }

    private func appProperties() -> String {
        Self.declaration
            + #"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">"#
            + "<Application>onestop</Application></Properties>"
    }

    /// The data rows a sheet gets: all of them, or as many as fit below the header.
    func writtenRowCount(_ sheet: Worksheet) -> Int { sheet.writtenRowCount(maximumRows: maximumRows) }

    /// Whether rows of a sheet are left out.
    func isCut(_ sheet: Worksheet) -> Bool { sheet.rowCount > writtenRowCount(sheet) }

    /// The range of a sheet's header and data rows, e.g. `A1:V9` (`$A$1:$V$9` when `absolute`).
    func range(_ sheet: Worksheet, absolute: Bool = false) -> String {
        let dollar = absolute ? "$" : ""
        return "\(dollar)A\(dollar)1:\(dollar)\(Self.column(max(sheet.header.count, 1)))\(dollar)\(writtenRowCount(sheet) + 1)"
    }

    private func workbookXML() -> String {
        var xml = Self.declaration
            + #"<workbook xmlns="\#(Self.mainNamespace)" xmlns:r="\#(Self.relationshipNamespace)">"#
            + #"<bookViews><workbookView activeTab="0"/></bookViews><sheets>"#
        for (index, sheet) in sheets.enumerated() {
            xml += #"<sheet name="\#(Markup.escape(sheet.name))" sheetId="\#(index + 1)" r:id="rId\#(index + 1)"/>"#
        }
        xml += "</sheets><definedNames>"
        // Excel keeps a filter's range in this hidden name as well as in the sheet (a table
        // keeps its own), and the rows printed at the top of every page in Print_Titles.
        for (index, sheet) in sheets.enumerated() where !sheet.isTable {
            xml += #"<definedName name="_xlnm._FilterDatabase" localSheetId="\#(index)" hidden="1">"#
                + Markup.escape("\(Self.quotedName(sheet))!\(range(sheet, absolute: true))") + "</definedName>"
        }
        for (index, sheet) in sheets.enumerated() {
            xml += #"<definedName name="_xlnm.Print_Titles" localSheetId="\#(index)">"#
                + Markup.escape("\(Self.quotedName(sheet))!$1:$1") + "</definedName>"
        }
        return xml + "</definedNames></workbook>"
    }

    private static func quotedName(_ sheet: Worksheet) -> String {
        "'" + sheet.name.replacingOccurrences(of: "'", with: "''") + "'"
    }

    private func workbookRelationships() -> String {
        let base = Self.relationshipNamespace
        var xml = Self.declaration + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for index in sheets.indices {
            xml += #"<Relationship Id="rId\#(index + 1)" Type="\#(base)/worksheet" Target="worksheets/sheet\#(index + 1).xml"/>"#
        }
        xml += #"<Relationship Id="rId\#(sheets.count + 1)" Type="\#(base)/styles" Target="styles.xml"/>"#
        return xml + "</Relationships>"
    }

    private func sheetRelationships(table number: Int) -> String {
        Self.declaration
            + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
            + #"<Relationship Id="rId1" Type="\#(Self.relationshipNamespace)/table" Target="../tables/table\#(number).xml"/>"#
            + "</Relationships>"
    }

    /// An Excel Table over the sheet's header and rows, named after the sheet, with a filter
    /// button on every column and banded rows.
    private func tableXML(_ sheet: Worksheet, number: Int) -> String {
        let name = Self.tableName(sheet.name)
        // A table holds at least one data row, even an empty one.
        let last = "\(Self.column(max(sheet.header.count, 1)))\(max(writtenRowCount(sheet), 1) + 1)"
        var xml = Self.declaration
            + #"<table xmlns="\#(Self.mainNamespace)" id="\#(number)" name="\#(name)" displayName="\#(name)" "#
            + #"ref="A1:\#(last)" totalsRowShown="0"><autoFilter ref="A1:\#(last)"/>"#
            + #"<tableColumns count="\#(sheet.header.count)">"#
        for (index, column) in sheet.header.enumerated() {
            xml += #"<tableColumn id="\#(index + 1)" name="\#(Markup.escape(column))"/>"#
        }
        return xml + "</tableColumns>"
            + #"<tableStyleInfo name="TableStyleLight9" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/>"#
            + "</table>"
    }

    /// A table's name: the sheet's name without what a defined name cannot hold.
    static func tableName(_ sheetName: String) -> String {
        let kept = sheetName.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" }
        let name = String(String.UnicodeScalarView(kept))
        return name.first.map { $0.isLetter || $0 == "_" } == true ? name : "T_" + name
    }

    /// One worksheet: frozen header, column widths, rows, filter, A4 print setup fitted to the
    /// page width (landscape for wide sheets), and the table part when it is a table.
    private func writeWorksheet(_ sheet: Worksheet, selected: Bool, tablePart: Bool, into sink: ZipEntrySink) throws(EmitError) {
        let lastColumn = Self.column(max(sheet.header.count, 1))
        let noteColumn = Self.column(sheet.header.count + 1)
        let rowCount = writtenRowCount(sheet)
        let isCut = isCut(sheet)
        let dimensionColumn = isCut ? noteColumn : lastColumn
        var xml = Self.declaration
            + #"<worksheet xmlns="\#(Self.mainNamespace)" xmlns:r="\#(Self.relationshipNamespace)">"#
            + #"<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>"#
            + #"<dimension ref="A1:\#(dimensionColumn)\#(rowCount + 1)"/>"#
            + #"<sheetViews><sheetView \#(selected ? #"tabSelected="1" "# : "")workbookViewId="0">"#
            + #"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            + #"<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>"#
            + #"<sheetFormatPr defaultRowHeight="15"/><cols>"#
        for (index, width) in sheet.columnWidths.enumerated() {
            xml += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(width)" customWidth="1"/>"#
        }
        xml += #"</cols><sheetData><row r="1">"#
        for (index, name) in sheet.header.enumerated() {
            xml += #"<c r="\#(Self.column(index + 1))1" s="\#(CellStyle.header.rawValue)" t="inlineStr">"#
                + Self.inlineString(name) + "</c>"
        }
        if isCut, let note = sheet.cutNote {
            xml += #"<c r="\#(noteColumn)1" s="\#(CellStyle.note.rawValue)" t="inlineStr">"# + Self.inlineString(note) + "</c>"
        }
        xml += "</row>"
        try sink.write(xml)

        let columns = (0..<sheet.header.count).map { Array(Self.column($0 + 1).utf8) }
        var number = 1
        let rows = WorksheetRows(room: rowCount) { cells throws(EmitError) in
            number += 1
            try sink.append { Self.appendRow(cells, number: number, columns: columns, to: &$0) }
        }
        try sheet.rows(rows)

        var end = "</sheetData>"
        if !sheet.isTable { end += #"<autoFilter ref="\#(range(sheet))"/>"# }
        end += #"<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>"#
        end += #"<pageSetup paperSize="9" orientation="\#(sheet.header.count > 8 ? "landscape" : "portrait")" fitToWidth="1" fitToHeight="0"/>"#
        if tablePart { end += #"<tableParts count="1"><tablePart r:id="rId1"/></tableParts>"# }
        try sink.write(end + "</worksheet>")
    }

    /// Excel holds at most 32,767 characters (UTF-16 units) in a cell and calls a longer one a
    /// damaged file; such a text is cut there, with an ellipsis.
    static let maximumTextLength = 32_767

    /// A text cell's `<is>` element: the text cut to Excel's length, in SpreadsheetML's and
    /// XML's escaping, its leading or trailing white space kept.
    static func inlineString(_ text: String) -> String {
        if isPlain(text) { return "<is><t>" + text + "</t></is>" }
        var text = text
        if text.utf16.count > maximumTextLength {
            var cut = ""
            var length = 0
            for character in text {
                length += character.utf16.count
                if length > maximumTextLength - 1 { break }
                cut.append(character)
            }
            text = cut + "…"
        }
        let cell = cellText(text)
        // Leading or trailing white space survives only with xml:space="preserve".
        let preserve = cell.first?.isWhitespace == true || cell.last?.isWhitespace == true
        return (preserve ? #"<is><t xml:space="preserve">"# : "<is><t>") + Markup.escape(cell) + "</t></is>"
    }

    /// Whether the text goes into a cell as it is: short enough, no character XML or
    /// SpreadsheetML escapes, no control character, no white space at either end. Most codes and
    /// names are; this spares them two passes.
    static func isPlain(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count <= maximumTextLength, let first = utf8.first, let last = utf8.last,
              first > 0x20, first < 0x7F, last > 0x20, last < 0x7F
        else { return false }
        var previous: UInt8 = 0
        for byte in utf8 {
            defer { previous = byte }
            switch byte {
            case 0x26, 0x3C, 0x3E, 0x22, 0x27: return false  // & < > " '
            case 0x78 where previous == 0x5F: return false  // "_x" may start an `_xHHHH_` escape
            case 0x20...0x7E: continue
            case 0xEF: return false  // may start U+FFFE or U+FFFF, which XML forbids
            case 0x80...: continue
            default: return false
            }
        }
        return true
    }

    /// Each column's width in characters: its widest cell (the header counted a little wider, for
    /// the bold face and the filter button), between 6 and 60.
    static func columnWidths(header: [String], rows: [[Cell]]) -> [Int] {
        header.enumerated().map { index, name in
            let widest = rows.reduce(name.count + 3) { widest, row in
                index < row.count ? max(widest, row[index].displayWidth) : widest
            }
            return min(max(widest + 2, 6), 60)
        }
    }

    /// A sheet's column widths.
    static func columnWidths(_ sheet: Worksheet) -> [Int] { sheet.columnWidths }

    /// The column letters of a 1-based column number: 1 → A, 26 → Z, 27 → AA.
    static func column(_ number: Int) -> String {
        var number = number
        var letters = ""
        while number > 0 {
            let remainder = (number - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            number = (number - 1) / 26
        }
        return letters
    }
}
