import SQLKit

extension SchemaStep {
    /// Each product's partnership signal thresholds, as JSON over the defaults (`{}` keeps every default).
    static let m0014SignalThresholds = SchemaStep(name: "0014_signal_thresholds") { db in
        try await db.alter(table: "products").column("signal_thresholds", type: .text, .notNull, .default("{}")).run()
    }
}
