import ArgumentParser
import Foundation
import KDK
import KDKModels

extension SQLDialect: ExpressibleByArgument {}
extension SQLResult: ExpressibleByArgument {}

struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Compile a campaign to one SQL query for DuckDB, PostgreSQL, Spark or BigQuery.",
        discussion: """
        The query reads an existing table whose columns are the entries' fields, typed as the \
        campaign's entry shape says (entry = Post, or --shape Post): number BIGINT, a unit \
        DECIMAL(38,s), text VARCHAR/TEXT/STRING, bool BOOLEAN, time TIMESTAMPTZ (Spark: TIMESTAMP, \
        with the session time zone set to UTC by the query's first line). It gives the same winners, \
        payouts and totals as the campaign's award, to the token. A campaign that cannot compile for \
        the dialect is refused with the reasons (E05xx), as `kdk check --sql DIALECT` lists them.

        Examples:
          kdk sql examples/campaign.kdk --dialect duckdb --table posts
          kdk sql examples/rewards.kdk --campaign PostToWinKDK --dialect spark --table analytics.posts --result payouts
        See docs/sql.md.
        """)

    @Argument(help: "The file that declares the campaign.") var file: String
    @Option(help: "The campaign to compile (default: the file's only campaign).") var campaign: String?
    @Option(help: "duckdb, postgres, spark or bigquery.") var dialect: SQLDialect
    @Option(help: "The table of entries (schema.table: each part is quoted).") var table: String?
    @Option(help: "Print only this one-parameter lambda of the file (let tags = p => hashtags(p.text)) as a SQL expression over --shape's columns.")
    var expression: String?
    @Option(help: "winners (one row per winner), payouts (one row per key) or totals (one row per token).")
    var result: SQLResult = .winners
    @Option(help: "A shape the file declares, for a campaign without entry = ...") var shape: String?

    func validate() throws {
        if expression == nil && table == nil { throw ValidationError("give the table of entries: --table posts") }
        if expression != nil && shape == nil { throw ValidationError("--expression needs --shape: the columns it reads") }
    }

    func run() throws {
        let root = URL(fileURLWithPath: file).deletingLastPathComponent()
        do {
            let source = try Terminal.loadSource(file)
            let (file, campaign, shape, dialect) = (self.file, self.campaign, self.shape, self.dialect)
            if let expression, let shape {
                let sql = try withLargeStack {
                    try SQLCompiler.expression(source, name: file, importRoot: root, function: expression, shape: shape, dialect: dialect)
                }
                print(sql)
                return
            }
            let options = CampaignSQL.Options(dialect: dialect, table: table ?? "", result: result)
            let sql = try withLargeStack {
                try SQLCompiler.query(source, name: file, importRoot: root, campaign: campaign, shape: shape, options)
            }
            print(sql, terminator: "")
        } catch let d as DiagnosticList {
            Terminal.report(d.diagnostics)
            throw ExitCode(1)
        }
    }
}
