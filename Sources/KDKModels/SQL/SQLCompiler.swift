import Foundation
import KDK

/// `kdk sql` and `kdk check --sql` for a source file: its campaigns
/// compiled with the file's own lets and units, before any data is read.
public enum SQLCompiler {
    /// The query for one campaign of `source` (the only one when `campaign`
    /// is nil). Throws a `DiagnosticList`: the source's own errors, or every
    /// reason the campaign cannot compile for the dialect (E05xx).
    /// `shape`: a shape the source declares, for a campaign without
    /// `entry = ...`.
    public static func query(_ source: String, name: String, importRoot: URL?, campaign: String?, shape: String?,
                             _ options: CampaignSQL.Options) throws -> String {
        let engine = CoreModels.engine()
        let target = try campaign ?? onlyCampaign(source, name: name, importRoot: importRoot, engine)
        let shapeValue = try shape.map { s in try engine.inspect(source, name: name, importRoot: importRoot, global: s) { v, _, _ in v } }
        return try engine.inspect(source, name: name, importRoot: importRoot, global: target) { value, m, diagnose in
            guard case .model(let obj) = value, obj.kind.name == "campaign" else {
                throw EvalError("\(target) is not a campaign: kdk sql compiles campaigns")
            }
            let (sql, problems) = CampaignSQL.compile(value, options, shape: shapeValue, shapeName: shape, m)
            guard let sql else { throw DiagnosticList(problems.map(diagnose)) }
            return sql
        }
    }

    /// A one-parameter lambda of `source` (`let tags = p => hashtags(p.text)`)
    /// as one SQL expression over a table of `shape`'s columns: what a
    /// campaign's rule becomes, to read or to test on an engine.
    public static func expression(_ source: String, name: String, importRoot: URL?, function: String, shape: String,
                                  dialect: SQLDialect) throws -> String {
        let engine = CoreModels.engine()
        let shapeValue = try engine.inspect(source, name: name, importRoot: importRoot, global: shape) { v, _, _ in v }
        guard case .record(let s) = shapeValue else {
            throw DiagnosticList([Diagnostic(.error, "\(shape) is not a shape", at: .none, code: .sqlShape)])
        }
        return try engine.inspect(source, name: name, importRoot: importRoot, global: function) { value, m, _ in
            guard case .function(let f) = value else { throw EvalError("\(function) is not a function").coded(.sqlExpression) }
            var t = SQLExpression.Translator(dialect: dialect, fields: SQLExpression.kinds(of: s), shapeName: shape)
            return try t.translate(f, function, m).sql
        }
    }

    /// Every reason each campaign of `source` cannot compile for `dialect`
    /// (the `kdk check --sql` list); empty when all compile.
    public static func check(_ source: String, name: String, importRoot: URL?, dialect: SQLDialect) -> [Diagnostic] {
        let engine = CoreModels.engine()
        var out: [Diagnostic] = []
        for c in campaigns(source, name: name, engine) {
            do {
                _ = try query(source, name: name, importRoot: importRoot, campaign: c, shape: nil,
                              CampaignSQL.Options(dialect: dialect, table: "entries"))
            } catch let d as DiagnosticList {
                out += d.diagnostics
            } catch {
                out.append(Diagnostic(.error, "\(error)", at: .none, code: .sqlFeature))
            }
        }
        return out
    }

    static func campaigns(_ source: String, name: String, _ engine: Engine) -> [String] {
        engine.outline(source, name: name).symbols.filter { $0.kind == .model && $0.detail.hasPrefix("campaign") }.map { $0.name }
    }

    static func onlyCampaign(_ source: String, name: String, importRoot: URL?, _ engine: Engine) throws -> String {
        let all = campaigns(source, name: name, engine)
        guard all.count == 1 else {
            // A file that does not parse or check: its own errors first.
            let errors = engine.check(source, name: name, importRoot: importRoot).filter { $0.severity == .error }
            if !errors.isEmpty { throw DiagnosticList(errors) }
            let listed = all.isEmpty ? "none" : all.joined(separator: ", ")
            throw DiagnosticList([Diagnostic(.error, "\(name) has \(all.count) campaigns (\(listed)): say which with --campaign NAME",
                                             at: .none, code: .sqlFeature)])
        }
        return all[0]
    }
}
