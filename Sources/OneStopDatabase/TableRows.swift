import OneStopModel

/// The rows one run writes into one table, produced on demand in order (the dossiers may be
/// hundreds of thousands: they are streamed, never all held).
public struct TableRows: Sendable {
    /// Receives one row's values, in `columns` order.
    public typealias Visit = (_ values: [SQLValue]) throws -> Void

    public var table: String
    public var columns: [String]
    private let produce: @Sendable (Visit) throws -> Void

    init(table: String, columns: [String], produce: @escaping @Sendable (Visit) throws -> Void) {
        self.table = table
        self.columns = columns
        self.produce = produce
    }

    /// Calls `visit` with every row; an error thrown by `visit`, or by reading the rows, ends it.
    public func forEach(_ visit: Visit) throws {
        try produce(visit)
    }
}

extension RunRecord {
    /// The rows of `figures`, `files`, `rejects` and `dossiers` (when carried), in that order,
    /// for the run kept as `runs.id` `id`; `runs` is written first, from `run`.
    public func tables(id: Int) -> [TableRows] {
        let figures = self.figures
        let files = self.files
        let rejects = self.rejects
        var tables = [
            TableRows(table: "figures", columns: FigureRow.columns) { visit in
                for figure in figures { try visit(figure.values(run: id)) }
            },
            TableRows(table: "files", columns: FileReport.columns) { visit in
                for file in files { try visit(file.values(run: id)) }
            },
            TableRows(table: "rejects", columns: RejectRow.columns) { visit in
                for reject in rejects { try visit(reject.values(run: id)) }
            },
        ]
        if let dossiers {
            tables.append(TableRows(table: "dossiers", columns: ["run_id"] + DossierSource.columns) { visit in
                try dossiers.forEachRow { values in try visit([.integer(id)] + values) }
            })
        }
        return tables
    }
}
