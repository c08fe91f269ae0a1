import Foundation
import Testing
import TandemCore

/// The review brings feedback back into the backlog; the retrospective's actions are followed through.
@Suite("Review, feedback and retrospective")
struct SprintEventsTests {
    @Test(arguments: TestEngine.all)
    func theReviewInvitesStakeholdersAndThePOAnswersTheirFeedback(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let s = try await SprintFixture.make(api)
            let sprint = try await s.sprintID("2027-01-04", "2027-01-15")
            let review = "/api/v1/sprints/\(sprint)/review"
            let guest = try await api.person("Gina")
            #expect(try await api.call(.post, review, token: s.f.po.token, body: ["invitees": [], "notes": "x"]).errorCode == "sprint_not_started")
            #expect(try await s.start(sprint).status == .ok)
            #expect(try await api.call(.post, review, token: s.f.dev.token, body: ["invitees": [], "notes": "x"]).status == .forbidden)
            let unknown = try await api.call(.post, review, token: s.f.sm.token, body: ["invitees": ["nobody@example.com"], "notes": "x"])
            #expect(unknown.errorCode == "unknown_invitee")
            #expect(unknown.errorField == "invitees[0]")
            // The guest is not in the product yet: they cannot give feedback.
            #expect(try await api.call(.post, "/api/v1/products/\(s.f.productID)/feedback", token: guest.token, body: ["text": "Hello"]).status == .notFound)
            let recorded = try await api.call(.post, review, token: s.f.sm.token, body: [
                "invitees": [.string(guest.email), .string(s.f.stakeholder.email)], "notes": "Showed the burndown and the forecast",
            ])
            #expect(recorded.status == .created, "\(recorded.text)")
            #expect(recorded.json["invitees"]?.array.map { $0["addedAsStakeholder"] } == [.bool(true), .bool(false)])
            // The guest joined through the products service, so the product's stream records it like any member added.
            let joined = try await api.call(.get, "/api/v1/products/\(s.f.productID)/changes?limit=200", token: s.f.po.token).json["items"]?.array
                .filter { $0["type"]?.string == "product.member_added" && $0["data"]?["userId"]?.string == guest.id } ?? []
            #expect(joined.count == 1 && joined.first?["data"]?["accountability"]?.string == "stakeholder", "\(joined)")
            #expect(try await api.call(.get, review, token: s.f.dev.token).json["notes"]?.string == "Showed the burndown and the forecast")

            let feedback = "/api/v1/products/\(s.f.productID)/feedback"
            #expect(try await api.call(.post, feedback, token: guest.token, body: ["text": " "]).errorField == "text")
            #expect(try await api.call(.post, feedback, token: guest.token, body: ["text": "x", "itemId": "nope"]).errorCode == "unknown_item")
            let given = try await api.call(.post, feedback, token: guest.token, body: ["text": "Show the release date as a range\nA single date is not believable."])
            #expect(given.status == .created, "\(given.text)")
            let other = try await api.call(.post, feedback, token: s.f.stakeholder.token, body: ["text": "Add a leaderboard of teams"])
            let inbox = try await api.call(.get, "\(feedback)?state=open", token: s.f.po.token)
            #expect(inbox.json["items"]?.array.count == 2)
            #expect(try await api.call(.get, feedback, token: guest.token).json["items"]?.array.count == 1, "a giver sees their own feedback")

            let givenID = try #require(given.json["id"]?.string)
            #expect(try await api.call(.post, "/api/v1/feedback/\(givenID)/accept", token: s.f.sm.token).status == .forbidden)
            let accepted = try await api.call(.post, "/api/v1/feedback/\(givenID)/accept", token: s.f.po.token)
            #expect(accepted.status == .ok, "\(accepted.text)")
            #expect(accepted.json["state"]?.string == "accepted")
            let ref = try #require(accepted.json["ref"]?.string)
            let item = try await api.call(.get, "/api/v1/items/\(ref)", token: s.f.po.token)
            #expect(item.json["title"]?.string == "Show the release date as a range")
            #expect(try await api.call(.post, "/api/v1/feedback/\(givenID)/decline", token: s.f.po.token, body: ["reason": "x"]).errorCode == "feedback_decided")

            let otherID = try #require(other.json["id"]?.string)
            #expect(try await api.call(.post, "/api/v1/feedback/\(otherID)/decline", token: s.f.po.token, body: ["reason": ""]).errorField == "reason")
            let declined = try await api.call(.post, "/api/v1/feedback/\(otherID)/decline", token: s.f.po.token, body: ["reason": "Velocity is not a performance measure."])
            #expect(declined.json["state"]?.string == "declined")
            let kinds = try await api.call(.get, "/api/v1/notifications", token: guest.token).json["items"]?.array.compactMap { $0["kind"]?.string }
            #expect(kinds == ["feedback.accepted"], "the giver is told the outcome")
            let seen = try await api.call(.get, feedback, token: s.f.stakeholder.token)
            #expect(seen.json["items"]?[0]?["reason"]?.string == "Velocity is not a performance measure.", "the giver sees the outcome")
        }
    }

    @Test(arguments: TestEngine.all)
    func openActionsOpenTheNextRetrospectiveUntilDone(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let s = try await SprintFixture.make(api)
            let first = try await s.sprintID("2027-01-04", "2027-01-15")
            let retro = "/api/v1/sprints/\(first)/retrospective"
            #expect(try await api.call(.post, "\(retro)/notes", token: s.f.stakeholder.token, body: ["kind": "helped", "text": "x"]).status == .forbidden)
            #expect(try await api.call(.post, "\(retro)/notes", token: s.f.dev.token, body: ["kind": "sad", "text": "x"]).errorField == "kind")
            #expect(try await api.call(.post, "\(retro)/notes", token: s.f.dev.token, body: ["kind": "hindered", "text": "Stories arrived unrefined"]).status == .created)
            #expect(try await api.call(.post, "\(retro)/actions", token: s.f.dev.token, body: ["text": "x", "ownerId": .string(s.f.stakeholder.id)]).errorCode == "not_a_team_member")
            let action = try await api.call(.post, "\(retro)/actions", token: s.f.sm.token, body: ["text": "Refine every Wednesday", "ownerId": .string(s.f.po.id)])
            #expect(action.status == .created, "\(action.text)")
            let kept = try await api.call(.post, "\(retro)/actions", token: s.f.sm.token, body: ["text": "Pair on the release forecast", "ownerId": .string(s.f.dev.id)])
            let actionID = try #require(action.json["id"]?.string), keptID = try #require(kept.json["id"]?.string)

            let second = try await s.sprintID("2027-01-18", "2027-01-29")
            let third = try await s.sprintID("2027-02-01", "2027-02-12")
            let next = try await api.call(.get, "/api/v1/sprints/\(second)/retrospective", token: s.f.dev.token)
            #expect(next.json["carriedActions"]?.array.map { $0["text"]?.string } == ["Refine every Wednesday", "Pair on the release forecast"])
            #expect(next.json["carriedActions"]?[0]?["carriedSprints"]?.number == 1)
            #expect(next.json["carriedActions"]?[0]?["owner"]?["id"]?.string == s.f.po.id)

            #expect(try await api.call(.patch, "/api/v1/improvement-actions/\(actionID)", token: s.f.dev.token, body: ["state": "done"]).status == .forbidden)
            #expect(try await api.call(.patch, "/api/v1/improvement-actions/\(actionID)", token: s.f.po.token, body: ["state": "finished"]).errorField == "state")
            #expect(try await api.call(.patch, "/api/v1/improvement-actions/\(actionID)", token: s.f.po.token, body: ["state": "done"]).json["state"]?.string == "done")
            #expect(try await api.call(.patch, "/api/v1/improvement-actions/\(keptID)", token: s.f.sm.token, body: ["state": "open"]).status == .ok, "the Scrum Master may")
            let later = try await api.call(.get, "/api/v1/sprints/\(third)/retrospective", token: s.f.dev.token)
            #expect(later.json["carriedActions"]?.array.map { $0["text"]?.string } == ["Pair on the release forecast"])
            #expect(later.json["carriedActions"]?[0]?["carriedSprints"]?.number == 2, "carried through two sprints")
            #expect(try await api.call(.get, retro, token: s.f.stakeholder.token).json["notes"]?.array.count == 1)
        }
    }
}
