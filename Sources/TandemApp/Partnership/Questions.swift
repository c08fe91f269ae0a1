import Foundation
import SQLKit
import TandemCore

/// A question to the Product Owner and how long it waited.
public struct QuestionDTO: Encodable, Sendable {
    public let id: String
    public let productId: String
    @NullEncodable public var itemId: String?
    @NullEncodable public var itemRef: String?
    public let text: String
    public let blocking: Bool
    public let state: QuestionState
    @NullEncodable public var askedBy: PersonRef?
    public let askedAt: Date
    @NullEncodable public var answer: String?
    @NullEncodable public var answeredBy: PersonRef?
    @NullEncodable public var answeredAt: Date?
    /// Hours it waited for its answer, or has been waiting so far.
    public let waitingHours: Double
}

/// Questions to the Product Owner: anyone in the product asks, the Product Owner (or an ordering delegate) answers;
/// blocking ones stand out, because a team waiting for an answer is a team not working.
public struct Questions: Sendable {
    let database: TandemDatabase
    let stamps: Stamps
    let notifications: NotificationInbox

    public func ask(productID: String, text rawText: String, itemID: String?, blocking: Bool, actorID: String) async throws -> QuestionDTO {
        let text = try InputRules.question.validated(rawText, field: "text")
        let id = stamps.newID()
        return try await database.write { db in
            let access = try await ProductService.access(productID: productID, userID: actorID, on: db)
            var item: String?
            if let itemID { item = try await Impediments.items([itemID], productID: productID, field: { _ in "itemId" }, on: db)[0] }
            try await db.insert(into: "questions").columns("id", "product_id", "item_id", "text", "blocking", "state", "asked_by", "asked_at")
                .values(SQLBind(id), SQLBind(productID), SQLBind(item), SQLBind(text), SQLBind(blocking ? 1 : 0), SQLBind(QuestionState.open.rawValue),
                        SQLBind(actorID), SQLBind(stamps.now())).run()
            try await ChangeLog.append(Change(.questionAsked, subject: id, ["blocking": .bool(blocking)]), productID: productID, actorID: actorID, stamps: stamps, on: db)
            let delegates = try await db.select().column("user_id").from("ordering_delegates").where("product_id", .equal, productID).all()
                .map { try $0.decode(column: "user_id", as: String.self) }
            try await notifications.notify((delegates + [access.product.productOwnerId]).filter { $0 != actorID },
                                           kind: blocking ? "question.blocking" : "question.asked",
                                           text: (blocking ? "Blocking question: " : "Question: ") + text, link: "/products/\(productID)/questions",
                                           productID: productID, subjectID: id, on: db)
            return try await Self.questions(where: "q.id = \(bind: id)", now: stamps.now(), on: db)[0]
        }
    }

    public func answer(_ questionID: String, answer rawAnswer: String, actorID: String) async throws -> QuestionDTO {
        let answer = try InputRules.answer.validated(rawAnswer, field: "answer")
        return try await database.write { db in
            let (question, access) = try await Self.visible(questionID, userID: actorID, on: db)
            try access.require(.answerQuestion)
            guard question.state == .open else { throw DomainError(.conflict, code: "question_answered", message: "This question was already answered.") }
            let now = stamps.now()
            try await db.update("questions").set("state", to: QuestionState.answered.rawValue).set("answer", to: answer)
                .set("answered_by", to: actorID).set("answered_at", to: now).where("id", .equal, questionID).run()
            try await ChangeLog.append(Change(.questionAnswered, subject: questionID), productID: question.productId, actorID: actorID, stamps: stamps, on: db)
            if let asker = question.askedBy?.id, asker != actorID {
                try await notifications.notify([asker], kind: "question.answered", text: "Your question was answered: \(question.text)",
                                               link: "/products/\(question.productId)/questions", productID: question.productId, on: db)
            }
            try await notifications.settle(subjectID: questionID, kinds: ["question.asked", "question.blocking"], on: db)
            return try await Self.questions(where: "q.id = \(bind: questionID)", now: now, on: db)[0]
        }
    }

    /// The product a question belongs to, for someone who may see it; anyone else is told it was not found.
    public func productID(of questionID: String, userID: String) async throws -> String {
        try await database.read { db in try await Self.visible(questionID, userID: userID, on: db).0.productId }
    }

    static func visible(_ questionID: String, userID: String, on db: any SQLDatabase) async throws -> (QuestionDTO, ProductAccess) {
        guard let question = try await questions(where: "q.id = \(bind: questionID)", now: 0, on: db).first else { throw DomainError.notFound("The question") }
        do {
            return (question, try await ProductService.access(productID: question.productId, userID: userID, on: db))
        } catch let error as DomainError where error.kind == .notFound {
            throw DomainError.notFound("The question")
        }
    }

    /// Open ones first (blocking before others, longest waiting first), then answered ones newest first.
    public func list(productID: String, state: QuestionState?, userID: String) async throws -> [QuestionDTO] {
        try await database.read { db in
            _ = try await ProductService.access(productID: productID, userID: userID, on: db)
            var condition: SQLQueryString = "q.product_id = \(bind: productID)"
            if let state { condition = condition + " AND q.state = \(bind: state.rawValue)" }
            return try await Self.questions(where: condition, now: stamps.now(), on: db)
        }
    }

    static func questions(where condition: SQLQueryString, now: Int64, on db: any SQLDatabase) async throws -> [QuestionDTO] {
        try await db.raw("""
            SELECT q.*, i.ref AS item_ref, a.display_name AS asker_name, b.display_name AS answerer_name FROM questions q
            LEFT JOIN backlog_items i ON i.id = q.item_id LEFT JOIN users a ON a.id = q.asked_by LEFT JOIN users b ON b.id = q.answered_by
            WHERE \(condition)
            ORDER BY CASE WHEN q.state = 'open' THEN 0 ELSE 1 END, CASE WHEN q.state = 'open' THEN -q.blocking ELSE 0 END,
                     CASE WHEN q.state = 'open' THEN q.asked_at ELSE -q.answered_at END, q.id
            """).all().map { row in
            let r = RowReader(row: row)
            let asked = try r.integer("asked_at")
            let answered = try r.optionalInteger("answered_at")
            return QuestionDTO(
                id: try r.text("id"), productId: try r.text("product_id"), itemId: try r.optionalText("item_id"), itemRef: try r.optionalText("item_ref"),
                text: try r.text("text"), blocking: try r.integer("blocking") != 0, state: try r.known("state", as: QuestionState.self, in: "questions"),
                askedBy: try r.person("asked_by", "asker_name"), askedAt: Clock.date(asked), answer: try r.optionalText("answer"),
                answeredBy: try r.person("answered_by", "answerer_name"), answeredAt: answered.map(Clock.date),
                waitingHours: Age.hours(from: asked, to: answered ?? max(now, asked)).rounded(toPlaces: 1)
            )
        }
    }
}
