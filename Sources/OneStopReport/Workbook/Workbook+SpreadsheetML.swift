import Foundation

/// The parts of the package, as SpreadsheetML text (ECMA-376 Part 1, transitional).
extension Workbook {
    /// The package's parts, by path, in the order they go into the zip.
    func parts() -> [(path: String, text: String)] {
        var strings = SharedStrings()
        let sheetParts = sheets.enumerated().map { index, sheet in
            (path: "xl/worksheets/sheet\(index + 1).xml", text: worksheetXML(sheet, selected: index == 0, strings: &strings))
        }
        return [
            ("[Content_Types].xml", contentTypes()),
            ("_rels/.rels", packageRelationships),
            ("docProps/app.xml", appProperties()),
            ("docProps/core.xml", coreProperties()),
            ("xl/workbook.xml", workbookXML()),
            ("xl/_rels/workbook.xml.rels", workbookRelationships()),
            ("xl/styles.xml", CellStyle.stylesheet),
            ("xl/sharedStrings.xml", strings.xml()),
        ] + sheetParts
    }

    static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

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
        xml += #"<Override PartName="/xl/styles.xml" ContentType="\#(prefix)spreadsheetml.styles+xml"/>"#
            + #"<Override PartName="/xl/sharedStrings.xml" ContentType="\#(prefix)spreadsheetml.sharedStrings+xml"/>"#
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

    private func workbookXML() -> String {
        var xml = Self.declaration
            + #"<workbook xmlns="\#(Self.mainNamespace)" xmlns:r="\#(Self.relationshipNamespace)">"#
            + #"<bookViews><workbookView activeTab="0"/></bookViews><sheets>"#
        for (index, sheet) in sheets.enumerated() {
            xml += #"<sheet name="\#(Markup.escape(sheet.name))" sheetId="\#(index + 1)" r:id="rId\#(index + 1)"/>"#
        }
        xml += "</sheets><definedNames>"
        // Excel keeps an autofilter's range in this hidden name as well as in the sheet.
        for (index, sheet) in sheets.enumerated() {
            let name = "'" + sheet.name.replacingOccurrences(of: "'", with: "''") + "'"
            let range = "$A$1:$\(Self.column(sheet.header.count))$\(sheet.rows.count + 1)"
            xml += #"<definedName name="_xlnm._FilterDatabase" localSheetId="\#(index)" hidden="1">"#
                + Markup.escape("\(name)!\(range)") + "</definedName>"
        }
        return xml + "</definedNames></workbook>"
    }

    private func workbookRelationships() -> String {
        let base = Self.relationshipNamespace
        var xml = Self.declaration + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for index in sheets.indices {
            xml += #"<Relationship Id="rId\#(index + 1)" Type="\#(base)/worksheet" Target="worksheets/sheet\#(index + 1).xml"/>"#
        }
        xml += #"<Relationship Id="rId\#(sheets.count + 1)" Type="\#(base)/styles" Target="styles.xml"/>"#
            + #"<Relationship Id="rId\#(sheets.count + 2)" Type="\#(base)/sharedStrings" Target="sharedStrings.xml"/>"#
        return xml + "</Relationships>"
    }

    /// One worksheet: dimension, frozen header pane, column widths, rows, autofilter.
    private func worksheetXML(_ sheet: Worksheet, selected: Bool, strings: inout SharedStrings) -> String {
        let lastColumn = Self.column(max(sheet.header.count, 1))
        let range = "A1:\(lastColumn)\(sheet.rows.count + 1)"
        var xml = Self.declaration
            + #"<worksheet xmlns="\#(Self.mainNamespace)" xmlns:r="\#(Self.relationshipNamespace)">"#
            + #"<dimension ref="\#(range)"/>"#
            + #"<sheetViews><sheetView \#(selected ? #"tabSelected="1" "# : "")workbookViewId="0">"#
            + #"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            + #"<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>"#
            + #"<sheetFormatPr defaultRowHeight="15"/><cols>"#
        for (index, width) in Self.columnWidths(sheet).enumerated() {
            xml += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(width)" customWidth="1"/>"#
        }
        xml += "</cols><sheetData>"
        xml += #"<row r="1">"#
        for (index, name) in sheet.header.enumerated() {
            xml += #"<c r="\#(Self.column(index + 1))1" s="\#(CellStyle.header.rawValue)" t="s"><v>\#(strings.index(of: name))</v></c>"#
        }
        xml += "</row>"
        for (rowIndex, row) in sheet.rows.enumerated() {
            let number = rowIndex + 2
            xml += #"<row r="\#(number)">"#
            for (index, cell) in row.enumerated() {
                let reference = "\(Self.column(index + 1))\(number)"
                let style = CellStyle.of(cell).rawValue
                switch cell {
                case .empty, .text(""):
                    continue  // an empty field is a blank cell, as in the CSV, not an empty string
                case .text(let text), .outcome(let text, _):
                    xml += #"<c r="\#(reference)" s="\#(style)" t="s"><v>\#(strings.index(of: text))</v></c>"#
                case .integer(let value), .number(let value):
                    xml += #"<c r="\#(reference)" s="\#(style)"><v>\#(value)</v></c>"#
                case .percent(let decimal):
                    xml += #"<c r="\#(reference)" s="\#(style)"><v>\#(Markup.escape(decimal))</v></c>"#
                }
            }
            xml += "</row>"
        }
        xml += "</sheetData>"
        xml += #"<autoFilter ref="\#(range)"/>"#
        xml += #"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>"#
        return xml + "</worksheet>"
    }

    /// Each column's width in characters: its widest cell (the header counted a little wider, for
    /// the bold face and the filter button), between 6 and 60.
    static func columnWidths(_ sheet: Worksheet) -> [Int] {
        sheet.header.enumerated().map { index, name in
            let widest = sheet.rows.reduce(name.count + 3) { widest, row in
                index < row.count ? max(widest, row[index].displayWidth) : widest
            }
            return min(max(widest + 2, 6), 60)
        }
    }

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

/// The shared strings table: each distinct text once, numbered in order of first use.
struct SharedStrings: Sendable {
    private var indices: [String: Int] = [:]
    private var texts: [String] = []
    private var uses = 0

    /// Excel holds at most 32,767 characters (UTF-16 units) in a cell and calls a longer one a
    /// damaged file; such a text is cut there, with an ellipsis.
    static let maximumLength = 32_767

    mutating func index(of text: String) -> Int {
        uses += 1
        var text = text
        if text.utf16.count > Self.maximumLength {
            var cut = ""
            var length = 0
            for character in text {
                length += character.utf16.count
                if length > Self.maximumLength - 1 { break }
                cut.append(character)
            }
            text = cut + "…"
        }
        if let index = indices[text] { return index }
        indices[text] = texts.count
        texts.append(text)
        return texts.count - 1
    }

    func xml() -> String {
        var xml = Workbook.declaration
            + #"<sst xmlns="\#(Workbook.mainNamespace)" count="\#(uses)" uniqueCount="\#(texts.count)">"#
        for text in texts {
            let cell = Workbook.cellText(text)
            // Leading or trailing white space survives only with xml:space="preserve".
            let preserve = cell.first?.isWhitespace == true || cell.last?.isWhitespace == true
            xml += preserve ? #"<si><t xml:space="preserve">"# : "<si><t>"
            xml += Markup.escape(cell) + "</t></si>"
        }
        return xml + "</sst>"
    }
}
