/// The cell formats of `xl/styles.xml`, by their index in `cellXfs` (the `s` attribute of a cell).
enum CellStyle: Int, Sendable, CaseIterable {
    case normal = 0
    /// Bold on a light fill, with a rule below: the header row.
    case header = 1
    /// Built-in number format 3, `#,##0`.
    case integer = 2
    /// Built-in number format 10, `0.00%`.
    case percent = 3
    /// Dark green on light green: a target met.
    case met = 4
    /// Dark red on light red: a target not met.
    case notMet = 5
    /// Built-in number format 1, `0`.
    case number = 6
    /// Custom number format 164, `+0.00;-0.00;0.00`: a change in percentage points.
    case change = 7
    /// Bold dark red text: a remark to the reader.
    case note = 8

    /// The style a cell takes.
    static func of(_ cell: Cell) -> CellStyle {
        switch cell {
        case .empty, .text: .normal
        case .integer: .integer
        case .number: .number
        case .percent: .percent
        case .change: .change
        case .note: .note
        case .outcome(_, let met): met == true ? .met : met == false ? .notMet : .normal
        }
    }

    /// `xl/styles.xml`: built-in number formats, and one of its own for changes.
    static let stylesheet = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="1"><numFmt numFmtId="164" formatCode="+0.00;-0.00;0.00"/></numFmts>\
        <fonts count="4">\
        <font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
        <font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
        <font><b/><sz val="11"/><color rgb="FF1B5E20"/><name val="Calibri"/><family val="2"/></font>\
        <font><b/><sz val="11"/><color rgb="FF9C0006"/><name val="Calibri"/><family val="2"/></font>\
        </fonts>\
        <fills count="5">\
        <fill><patternFill patternType="none"/></fill>\
        <fill><patternFill patternType="gray125"/></fill>\
        <fill><patternFill patternType="solid"><fgColor rgb="FFDDE7F0"/><bgColor indexed="64"/></patternFill></fill>\
        <fill><patternFill patternType="solid"><fgColor rgb="FFC6EFCE"/><bgColor indexed="64"/></patternFill></fill>\
        <fill><patternFill patternType="solid"><fgColor rgb="FFFFC7CE"/><bgColor indexed="64"/></patternFill></fill>\
        </fills>\
        <borders count="2">\
        <border><left/><right/><top/><bottom/><diagonal/></border>\
        <border><left/><right/><top/><bottom style="thin"><color rgb="FF7F7F7F"/></bottom><diagonal/></border>\
        </borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="9">\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/>\
        <xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="0" fontId="2" fillId="3" borderId="0" xfId="0" applyFont="1" applyFill="1"/>\
        <xf numFmtId="0" fontId="3" fillId="4" borderId="0" xfId="0" applyFont="1" applyFill="1"/>\
        <xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        </cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """
}
