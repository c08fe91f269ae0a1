import Foundation
import SQLKit
import TandemCore

extension SchemaStep {
    /// Items keep their Definition of Ready and Done ticks by entry text instead of one flag per position, so setting
    /// a Definition rewrites no item. Each stored list of flags becomes the texts it ticked under the Definition of
    /// the moment; rows already holding texts are left as they are.
    static let m0021TicksByText = SchemaStep(name: "0021_ticks_by_text") { db in
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let products = try await db.select().columns("id", "definition_of_ready", "definition_of_done").from("products").all()
        for product in products {
            let id = try product.decode(column: "id", as: String.self)
            let ready = try JSONDecoder().decode([String].self, from: Data(try product.decode(column: "definition_of_ready", as: String.self).utf8))
            let done = try JSONDecoder().decode([String].self, from: Data(try product.decode(column: "definition_of_done", as: String.self).utf8))
            let items = try await db.select().columns("id", "readiness", "done_checks").from("backlog_items").where("product_id", .equal, id).all()
            for item in items {
                func texts(_ column: String, _ definition: [String]) throws -> String? {
                    let stored = try item.decode(column: column, as: String.self)
                    guard stored != "[]" else { return nil }
                    guard let flags = try? JSONDecoder().decode([Bool].self, from: Data(stored.utf8)) else { return nil }  // texts already
                    return String(decoding: try encoder.encode(Checklist.ticked(flags: flags, definition: definition)), as: UTF8.self)
                }
                let readiness = try texts("readiness", ready), doneChecks = try texts("done_checks", done)
                guard readiness != nil || doneChecks != nil else { continue }
                let update = db.update("backlog_items").where("id", .equal, try item.decode(column: "id", as: String.self))
                if let readiness { update.set("readiness", to: readiness) }
                if let doneChecks { update.set("done_checks", to: doneChecks) }
                try await update.run()
            }
        }
    }
}
