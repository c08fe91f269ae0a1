import Foundation
import SQLKit
import TandemCore

/// The product and team rows are the Products feature's; the settings other features keep on them (the Backlog's
/// Definitions and item counter, the Partnership's thresholds, the Sprints' team calendar) are written here, so
/// only this feature's SQL names its tables' columns for writing.
enum ProductSettingsStore {
    /// A setting another feature keeps on the product row, as JSON.
    enum Setting: String {
        case definitionOfReady = "definition_of_ready"
        case definitionOfDone = "definition_of_done"
        case signalThresholds = "signal_thresholds"
    }

    static func store(_ setting: Setting, json: String, productID: String, on db: any SQLDatabase) async throws {
        try await db.update("products").set(SQLIdentifier(setting.rawValue), to: json).where("id", .equal, productID).run()
    }

    /// The next item number of the product. Incrementing the counter also takes the product's row lock, which
    /// serializes ordering on PostgreSQL.
    static func nextItemNumber(productID: String, on db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("UPDATE products SET last_item_number = last_item_number + 1 WHERE id = \(bind: productID)").run()
        guard let row = try await db.select().column("last_item_number").from("products").where("id", .equal, productID).first() else {
            throw DomainError.notFound("The product")
        }
        return try row.decode(column: "last_item_number", as: Int64.self)
    }

    /// A team's working calendar, as the Sprints feature validated it.
    static func storeCalendar(teamID: String, timeZone: String, workingWeekdays: String, nonWorkingDates: String, on db: any SQLDatabase) async throws {
        try await db.update("teams").set("time_zone", to: timeZone).set("working_weekdays", to: workingWeekdays)
            .set("non_working_dates", to: nonWorkingDates).where("id", .equal, teamID).run()
    }
}
