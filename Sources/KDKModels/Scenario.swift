import KDK

/// The `scenario` kind: a free-form model of named assumptions and results.
/// Any fields are allowed; variants are made with `extends` or `with`, and
/// every field that depends on an overridden one is recomputed.
public enum ScenarioModel {
    /// The kind, to register with an engine.
    public static let kind = ModelKind(
        name: "scenario",
        doc: "named assumptions and the figures that follow from them; variants with extends or with",
        openFields: true)
}

/// The model kinds that ship with kdk.
public enum CoreModels {
    /// scenario, campaign and launchpad.
    public static let kinds: [ModelKind] = [ScenarioModel.kind, CampaignModel.kind, LaunchpadModel.kind]

    /// Finance functions, scenario tools and charts.
    public static let functions: [Builtin] = FinanceLibrary.functions + ScenarioTools.functions + Charts.functions + Originality.functions
        + Uncertainty.functions

    /// An engine with the standard library and every core model kind.
    public static func engine() -> Engine {
        var e = Engine()
        for k in kinds { e.register(kind: k) }
        e.register(functions: functions)
        return e
    }
}
