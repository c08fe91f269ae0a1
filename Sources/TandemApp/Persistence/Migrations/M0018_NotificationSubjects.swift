import Foundation
import SQLKit

extension SchemaStep {
    /// Notifications name their product (the list groups by it) and the thing that asks something of the person, and
    /// are settled once it asks nothing any more. Existing ones get their product from their link, and those whose
    /// question was answered, check completed or impediment resolved are settled now; links to a team's impediments
    /// pointed at a form's address and now open the team's partnership page.
    static let m0018NotificationSubjects = SchemaStep(name: "0018_notification_subjects") { db in
        try await db.alter(table: "notifications").column("product_id", type: .text, .references("products", "id", onDelete: .cascade)).run()
        try await db.alter(table: "notifications").column("subject_id", type: .text).run()
        try await db.alter(table: "notifications").column("settled_at", type: .bigint).run()
        let rows = try await db.select().columns("id", "link", "kind", "text", "created_at").from("notifications").all()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        for row in rows {
            let id = try row.decode(column: "id", as: String.self)
            var link = try row.decode(column: "link", as: String.self)
            let parts = link.split(separator: "/").map(String.init)
            var product: String?, subject: String?
            switch parts.first {
            case "products" where parts.count >= 2: product = parts[1]
            case "teams" where parts.count >= 2:
                product = try await db.select().column("product_id").from("teams").where("id", .equal, parts[1]).first()?.decode(column: "product_id", as: String.self)
                if parts.count >= 3, parts[2] == "impediments" { link = "/teams/\(parts[1])/partnership" }
            case "partnership-checks" where parts.count >= 2:
                let check = try await db.select().columns("product_id", "team_id").from("partnership_checks").where("id", .equal, parts[1]).first()
                product = try check?.decode(column: "product_id", as: String.self)
                // A request to answer is about its check; results are about the team (newer results supersede older).
                subject = try row.decode(column: "kind", as: String.self) == "check.results" ? try check?.decode(column: "team_id", as: String.self) : parts[1]
            case "items" where parts.count >= 2:
                product = try await db.select().column("product_id").from("backlog_items").where("ref", .equal, parts[1]).first()?.decode(column: "product_id", as: String.self)
            default: break
            }
            try await db.update("notifications").set("link", to: link).set("product_id", to: SQLBind(product)).set("subject_id", to: SQLBind(subject))
                .where("id", .equal, id).run()
        }
        // What no longer asks anything: answered questions (matched by their text), completed checks, resolved impediments.
        try await db.raw("""
            UPDATE notifications SET settled_at = \(bind: now) WHERE kind IN ('question.asked', 'question.blocking') AND EXISTS (
                SELECT 1 FROM questions q WHERE q.product_id = notifications.product_id AND q.state = 'answered'
                  AND (notifications.text = SUBSTR('Question: ' || q.text, 1, 300) OR notifications.text = SUBSTR('Blocking question: ' || q.text, 1, 300)))
            """).run()
        try await db.raw("""
            UPDATE notifications SET settled_at = \(bind: now) WHERE kind = 'check.opened' AND EXISTS (
                SELECT 1 FROM partnership_checks c WHERE c.id = notifications.subject_id AND c.completed_at IS NOT NULL)
            """).run()
        try await db.raw("""
            UPDATE notifications SET settled_at = \(bind: now) WHERE kind IN ('impediment.assigned', 'impediment.escalated') AND EXISTS (
                SELECT 1 FROM impediments m WHERE m.product_id = notifications.product_id AND m.state = 'resolved'
                  AND (notifications.text LIKE '%: ' || m.title))
            """).run()
        try await db.raw("""
            UPDATE notifications SET settled_at = \(bind: now) WHERE kind = 'check.results' AND EXISTS (
                SELECT 1 FROM notifications newer WHERE newer.kind = 'check.results' AND newer.user_id = notifications.user_id
                  AND newer.subject_id = notifications.subject_id AND newer.created_at > notifications.created_at)
            """).run()
        try await db.create(index: "notifications_user_link").on("notifications").column("user_id").column("link").run()
    }
}
