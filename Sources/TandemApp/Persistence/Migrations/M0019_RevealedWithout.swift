import SQLKit

extension SchemaStep {
    /// A revealed planning-poker round remembers who had not voted, so its page keeps naming them.
    static let m0019RevealedWithout = SchemaStep(name: "0019_revealed_without") { db in
        try await db.alter(table: "estimation_rounds").column("not_voted", type: .text).run()
    }
}
