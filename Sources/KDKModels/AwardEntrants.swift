import KDK

extension Award {
    /// The eligible entrants, in input order. Those a campaign's rules
    /// passed over a table's columns are kept as columns (each one's row,
    /// input order and whole-number score) and made into an `Entrant` when
    /// read: five million entrants as structs were 240 MB, and their rows
    /// 40 MB more; as columns they are 60 MB, and the rows are the column.
    struct Entrants: RandomAccessCollection {
        private enum Storage {
            case made([Entrant])
            case columns(Columns)
        }

        /// Entrants that are rows of one table, none with a tie-break or
        /// one-prize key of its own.
        struct Columns {
            let table: ColumnTable
            let rows: RowNumbers
            /// Each entrant's place among the entries; nil when it is its row
            /// (every row of `read_csv`'s table).
            let indexes: RowNumbers?
            /// Each entrant's score; nil when the campaign has none.
            let scores: [Int64]?
        }

        private let storage: Storage

        init(_ made: [Entrant]) { storage = .made(made) }
        init(_ columns: Columns) { storage = .columns(columns) }

        var startIndex: Int { 0 }
        var endIndex: Int {
            switch storage {
            case .made(let es): return es.count
            case .columns(let c): return c.rows.count
            }
        }
        func index(after i: Int) -> Int { i + 1 }
        func index(before i: Int) -> Int { i - 1 }

        subscript(i: Int) -> Entrant {
            switch storage {
            case .made(let es): return es[i]
            case .columns(let c):
                let row = c.rows[i]
                return Entrant(index: c.indexes?[i] ?? row, entry: Record(table: c.table, row: row),
                               score: c.scores.map { .whole($0[i]) } ?? .none, tie: nil, onePerKey: nil)
            }
        }

        /// The whole-number scores of the entrants at `indexes`, read where
        /// they are kept; nil when one is not a whole number (or there is no
        /// score). One look at the storage for all: entrant by entrant, each
        /// look retained the columns (0.32 s, now 0.06 s, for the 4.5 million
        /// entries a ten-million-post leaderboard passes over).
        func wholeScores(at indexes: [Int]) -> [Int64]? {
            switch storage {
            case .made(let es):
                var out = [Int64]()
                out.reserveCapacity(indexes.count)
                for i in indexes {
                    guard let x = es[i].wholeScore else { return nil }
                    out.append(x)
                }
                return out
            case .columns(let c):
                guard let scores = c.scores else { return nil }
                return indexes.map { scores[$0] }
            }
        }

        /// Whether each entrant's one-prize key is its author (no entrant made).
        var keysAreAuthors: Bool {
            switch storage {
            case .made(let es): return es.first?.keyIsAuthor == true
            case .columns: return true
            }
        }

        /// The entrants as rows of one table, when they are kept so.
        var rows: TableRows? {
            if case .columns(let c) = storage { return TableRows(c.table, rows: c.rows) }
            return nil
        }

        /// Every entrant's score as a whole number (no value made per
        /// entrant); nil when one is not.
        var wholeScores: [Int64]? {
            switch storage {
            case .columns(let c): return c.scores
            case .made(let es):
                var out: [Int64] = []
                out.reserveCapacity(es.count)
                for e in es {
                    guard let x = e.wholeScore else { return nil }
                    out.append(x)
                }
                return out
            }
        }
    }
}
