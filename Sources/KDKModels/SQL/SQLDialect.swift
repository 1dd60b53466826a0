import KDK

/// The SQL engines `kdk sql` writes for, and how each spells what the
/// query needs. Each difference here is one that changes answers when
/// missed (docs/sql.md): string escapes, regex escapes and back-references,
/// wide integers, integer division, SHA-256's form, time literals.
public enum SQLDialect: String, CaseIterable, Sendable {
    case duckdb, postgres, spark, bigquery

    /// An identifier, quoted so that no name (a quote, a space, a keyword)
    /// changes the query.
    func identifier(_ name: String) -> String {
        switch self {
        case .duckdb, .postgres: return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        case .spark: return "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
        case .bigquery: return escaped(name, quote: "`")
        }
    }

    /// A table name: its dot-separated parts (catalog, schema, table), each quoted.
    func table(_ name: String) -> String {
        name.split(separator: ".", omittingEmptySubsequences: false).map { identifier(String($0)) }.joined(separator: ".")
    }

    /// A text constant. DuckDB and PostgreSQL (standard strings) take a
    /// backslash as itself and double the quote; Spark and BigQuery read
    /// backslash escapes (and Spark joins `'a' 'b'`), so there every
    /// backslash, quote and control character is escaped.
    func text(_ s: String) -> String {
        switch self {
        case .duckdb, .postgres: return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case .spark, .bigquery: return escaped(s, quote: "'")
        }
    }

    /// Backslash escapes, control characters as `\uXXXX`.
    private func escaped(_ s: String, quote: Unicode.Scalar) -> String {
        Value.backslashed(s, quote: quote) { c in c.value < 0x20 || c.value == 0x7F ? String(format: "\\u%04X", c.value) : nil }
    }

    /// The text type, for casts.
    var textType: String {
        switch self {
        case .duckdb: return "VARCHAR"
        case .postgres: return "TEXT"
        case .spark, .bigquery: return "STRING"
        }
    }

    /// An integer type wide enough for an amount in its smallest unit times
    /// a weight (about 10^38).
    var wideInteger: String {
        switch self {
        case .duckdb: return "HUGEINT"
        case .postgres: return "NUMERIC"
        case .spark: return "DECIMAL(38,0)"
        case .bigquery: return "BIGNUMERIC"
        }
    }

    /// A union without repeats (BigQuery needs the word).
    var unionDistinct: String { self == .bigquery ? "UNION DISTINCT" : "UNION" }

    var bigint: String { self == .bigquery ? "INT64" : "BIGINT" }

    /// `a` divided by `b`, both whole and positive, rounded down, exactly:
    /// never through a decimal or binary fraction.
    func integerDivision(_ a: String, _ b: String) -> String {
        switch self {
        case .duckdb: return "(\(a) // \(b))"
        case .postgres: return "div(\(a), \(b))"
        case .spark: return "(\(a) div \(b))"
        case .bigquery: return "DIV(\(a), \(b))"
        }
    }

    /// The lowercase hex SHA-256 of a text's UTF-8 bytes.
    func sha256(_ text: String) -> String {
        switch self {
        case .duckdb: return "sha256(\(text))"
        case .postgres: return "encode(sha256(convert_to(\(text), 'UTF8')), 'hex')"
        case .spark: return "sha2(\(text), 256)"
        case .bigquery: return "TO_HEX(SHA256(\(text)))"
        }
    }

    /// A lowercase hex text of 8 digits as a whole number.
    func hex8(_ text: String) -> String {
        switch self {
        case .duckdb: return "CAST('0x' || \(text) AS BIGINT)"
        case .postgres: return "CAST(CAST('x' || \(text) AS BIT(32)) AS BIGINT)"
        case .spark: return "CAST(conv(\(text), 16, 10) AS BIGINT)"
        case .bigquery: return "CAST(CONCAT('0x', \(text)) AS INT64)"
        }
    }

    /// Sorting text by its bytes (a raffle's hex tickets).
    func bytewise(_ column: String) -> String { self == .postgres ? "\(column) COLLATE \"C\"" : column }

    /// A table of constant rows, named `name` with `columns`, for a FROM.
    func inlineTable(_ name: String, _ columns: [String], _ rows: [[String]]) -> String {
        if self == .bigquery {
            let structs = rows.map { r in "STRUCT(" + zip(r, columns).map { "\($0) AS \($1)" }.joined(separator: ", ") + ")" }
            return "UNNEST([\(structs.joined(separator: ", "))]) AS \(name)"
        }
        return "(VALUES " + rows.map { "(" + $0.joined(separator: ", ") + ")" }.joined(separator: ", ") + ") AS \(name)(\(columns.joined(separator: ", ")))"
    }

    /// An instant, in UTC.
    func time(_ t: Instant) -> String {
        let s = t.utcTimestamp
        switch self {
        case .duckdb, .postgres: return "TIMESTAMPTZ '\(s)+00'"
        case .spark: return "TIMESTAMP '\(s)'"
        case .bigquery: return "TIMESTAMP '\(s)+00'"
        }
    }

    /// What runs before the query: Spark reads `TIMESTAMP` in the
    /// session's time zone, which is pinned to UTC.
    var preamble: String? { self == .spark ? "SET spark.sql.session.timeZone = UTC;" : nil }

    /// A regular expression's character class, each scalar range written
    /// as the engine's escape (RE2 and Java `\x{...}`, PostgreSQL `\u`/`\U`).
    func characterClass(_ ranges: [ClosedRange<UInt32>]) -> String {
        func one(_ v: UInt32) -> String {
            if let c = Unicode.Scalar(v), c.isASCII, c.properties.isAlphabetic || (0x30...0x39).contains(v) { return String(Character(c)) }
            switch self {
            case .postgres: return v <= 0xFFFF ? String(format: "\\u%04X", v) : String(format: "\\U%08X", v)
            default: return String(format: "\\x{%X}", v)
            }
        }
        return "[" + ranges.map { $0.lowerBound == $0.upperBound ? one($0.lowerBound) : one($0.lowerBound) + "-" + one($0.upperBound) }.joined() + "]"
    }

    /// `regexp_replace` of every match, `\1` in `replacement` for the first group.
    func replaceAll(_ s: String, _ pattern: String, _ replacement: String) -> String {
        switch self {
        case .duckdb, .postgres: return "regexp_replace(\(s), \(text(pattern)), \(text(replacement)), 'g')"
        case .spark: return "regexp_replace(\(s), \(text(pattern)), \(text(replacement.replacingOccurrences(of: "\\1", with: "$1"))))"
        case .bigquery: return "REGEXP_REPLACE(\(s), \(text(pattern)), \(text(replacement)))"
        }
    }

    /// Every match of `pattern` (no groups) in `s`, as an array of text.
    func matches(_ s: String, _ pattern: String) -> String {
        switch self {
        case .duckdb: return "regexp_extract_all(\(s), \(text(pattern)))"
        case .postgres: return "ARRAY(SELECT kdk_m[1] FROM regexp_matches(\(s), \(text(pattern)), 'g') AS kdk_m)"
        case .spark: return "regexp_extract_all(\(s), \(text("(" + pattern + ")")), 1)"
        case .bigquery: return "REGEXP_EXTRACT_ALL(\(s), \(text(pattern)))"
        }
    }

    /// Whether some (`any`) or every item of an array passes `test`, which
    /// reads the item as `variable`.
    func fold(any: Bool, _ list: String, _ variable: String, _ test: String) -> String {
        switch self {
        case .duckdb:
            return "(len(list_filter(\(list), lambda \(variable): \(any ? test : "(\(test)) IS NOT TRUE"))) \(any ? ">" : "=") 0)"
        case .postgres:
            return "(\(any ? "" : "NOT ")EXISTS (SELECT 1 FROM unnest(\(list)) AS \(variable)_t(\(variable)) WHERE \(any ? test : "(\(test)) IS NOT TRUE")))"
        case .spark: return "\(any ? "exists" : "forall")(\(list), \(variable) -> \(test))"
        case .bigquery:
            return "(\(any ? "" : "NOT ")EXISTS (SELECT 1 FROM UNNEST(\(list)) AS \(variable) WHERE \(any ? test : "(\(test)) IS NOT TRUE")))"
        }
    }

    /// The number of items in an array.
    func count(_ list: String) -> String {
        switch self {
        case .duckdb: return "len(\(list))"
        case .postgres: return "cardinality(\(list))"
        case .spark: return "size(\(list))"
        case .bigquery: return "ARRAY_LENGTH(\(list))"
        }
    }

    /// Texts joined by ", ", the null ones left out.
    func joinPresent(_ parts: [String]) -> String {
        self == .bigquery ? "ARRAY_TO_STRING([\(parts.joined(separator: ", "))], ', ')" : "concat_ws(', ', \(parts.joined(separator: ", ")))"
    }

    /// An amount in its token's smallest unit as a decimal with `places`
    /// places: multiplied by 10^-places, which every engine does exactly
    /// (a division would not be exact in all of them).
    func amount(_ units: String, places: Int) -> String {
        let whole = self == .bigquery ? "CAST(\(units) AS BIGNUMERIC)" : "CAST(\(units) AS DECIMAL(20,0))"
        guard places > 0 else { return whole }
        let step = "0." + String(repeating: "0", count: places - 1) + "1"
        return "\(whole) * \(self == .bigquery ? "BIGNUMERIC '\(step)'" : step)"
    }
}
