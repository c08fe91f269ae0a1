import Foundation
import SQLKit
import TandemCore

/// Estimating together: planning-poker rounds with votes hidden until revealed.
public struct EstimationRounds: Sendable {
    let database: TandemDatabase
    let stamps: Stamps
    let participants: [any ItemChangeParticipant]

    init(database: TandemDatabase, stamps: Stamps, participants: [any ItemChangeParticipant] = []) {
        self.database = database
        self.stamps = stamps
        self.participants = participants
    }

    // MARK: Estimating together (planning poker)

    public func openEstimationRound(itemIDOrRef: String, actorID: String) async throws -> EstimationRoundDTO {
        try await database.write { db in
            let (item, access) = try await BacklogStore.itemAccess(itemIDOrRef, userID: actorID, on: db)
            try access.require(.openEstimation)
            if let open = try await db.select().column("*").from("estimation_rounds").where("item_id", .equal, item.id)
                .where("state", .in, [EstimationRoundState.open, .revealed].map(\.rawValue)).first(EstimationRoundRow.self) {
                throw DomainError(.conflict, code: "round_open", message: "\(item.ref) already has a round in progress.", details: ["roundId": .string(open.id)])
            }
            let round = EstimationRoundRow(
                id: stamps.newID(), itemId: item.id, productId: item.productId, openedBy: actorID, state: .open,
                agreedEstimate: nil, createdAt: stamps.now(), revealedAt: nil, closedAt: nil
            )
            try await db.insert("estimation_rounds", round)
            try await ChangeLog.append(Change(.estimationOpened, subject: item.id, ref: item.ref, ["roundId": .string(round.id)]), productID: item.productId, actorID: actorID, stamps: stamps, on: db)
            return try await BacklogStore.roundDTO(round, scale: access.product.scale, viewerID: actorID, on: db)
        }
    }

    public func estimationRounds(itemIDOrRef: String, userID: String) async throws -> [EstimationRoundDTO] {
        let (item, access) = try await database.read { db in try await BacklogStore.itemAccess(itemIDOrRef, userID: userID, on: db) }
        return try await estimationRounds(of: item.id, access: access)
    }

    /// An item's rounds, newest first, for someone whose access is loaded: two queries however many rounds.
    public func estimationRounds(of itemID: String, access: ProductAccess) async throws -> [EstimationRoundDTO] {
        try await database.read { db in
            var openers: [String: String] = [:]
            var rounds: [EstimationRoundRow] = []
            for raw in try await db.raw("""
                SELECT r.*, u.display_name AS opener_name FROM estimation_rounds r LEFT JOIN users u ON u.id = r.opened_by
                WHERE r.item_id = \(bind: itemID) ORDER BY r.created_at DESC
                """).all() {
                let round = try raw.decode(model: EstimationRoundRow.self, with: RowCoding.decoder)
                if let opener = round.openedBy, try !raw.decodeNil(column: "opener_name") {
                    openers[opener] = try raw.decode(column: "opener_name", as: String.self)
                }
                rounds.append(round)
            }
            return try await BacklogStore.roundDTOs(rounds, scale: access.product.scale, viewerID: access.userID, openers: openers, on: db)
        }
    }

    public func estimationRound(itemIDOrRef: String, roundID: String, userID: String) async throws -> EstimationRoundDTO {
        try await database.read { db in
            let (item, access) = try await BacklogStore.itemAccess(itemIDOrRef, userID: userID, on: db)
            let round = try await BacklogStore.round(roundID, itemID: item.id, on: db)
            return try await BacklogStore.roundDTO(round, scale: access.product.scale, viewerID: userID, on: db)
        }
    }

    /// A private vote: nobody sees its points until the round is revealed; voting again replaces it.
    public func vote(itemIDOrRef: String, roundID: String, points: Double, actorID: String) async throws -> EstimationRoundDTO {
        try await database.write { db in
            let (item, access) = try await BacklogStore.itemAccess(itemIDOrRef, userID: actorID, on: db)
            try access.require(.vote)
            let round = try await BacklogStore.round(roundID, itemID: item.id, on: db)
            guard round.state == .open else {
                throw DomainError(.conflict, code: "round_not_open", message: "Votes are closed: the round is \(round.state.rawValue).")
            }
            guard access.product.scale.contains(points) else {
                throw DomainError.invalid(field: "points", "must be one of the product's scale: \(access.product.scale.description)")
            }
            try await db.delete(from: "estimation_votes").where("round_id", .equal, round.id).where("user_id", .equal, actorID).run()
            try await db.insert("estimation_votes", EstimationVoteRow(roundId: round.id, userId: actorID, points: points, votedAt: stamps.now()))
            // That a vote was cast, never what: the points stay hidden until the round is revealed.
            try await ChangeLog.append(Change(.estimationVoted, subject: item.id, ref: item.ref, ["roundId": .string(round.id)]),
                                       productID: item.productId, actorID: actorID, stamps: stamps, on: db)
            return try await BacklogStore.roundDTO(round, scale: access.product.scale, viewerID: actorID, on: db)
        }
    }

    public func reveal(itemIDOrRef: String, roundID: String, actorID: String) async throws -> EstimationRoundDTO {
        try await database.write { db in
            let (item, access) = try await BacklogStore.itemAccess(itemIDOrRef, userID: actorID, on: db)
            var round = try await BacklogStore.round(roundID, itemID: item.id, on: db)
            try access.require(.revealEstimation(openedByCaller: round.openedBy == actorID))
            guard round.state == .open else { throw DomainError(.conflict, code: "round_not_open", message: "The round is already \(round.state.rawValue).") }
            // Who is still waited for becomes who did not vote: kept with the round, so its page keeps naming them.
            let missing = try await BacklogStore.roundDTO(round, scale: access.product.scale, viewerID: actorID, on: db).waitingFor
            round.state = .revealed
            round.revealedAt = stamps.now()
            round.notVoted = JSONText.encode(missing)
            try await db.update("estimation_rounds").set("state", to: round.state).set("revealed_at", to: round.revealedAt)
                .set("not_voted", to: round.notVoted).where("id", .equal, round.id).run()
            let dto = try await BacklogStore.roundDTO(round, scale: access.product.scale, viewerID: actorID, on: db)
            try await ChangeLog.append(Change(.estimationRevealed, subject: item.id, ref: item.ref, ["roundId": .string(round.id), "votes": .array(dto.votes.compactMap { $0.points.map(JSONValue.number) })]), productID: item.productId, actorID: actorID, stamps: stamps, on: db)
            return dto
        }
    }

    /// Records the estimate the team agreed on after seeing the votes; the item becomes at least `estimated`.
    public func agree(itemIDOrRef: String, roundID: String, points: Double, actorID: String) async throws -> (round: EstimationRoundDTO, item: ItemDTO) {
        try await database.write { db in
            var (item, access) = try await BacklogStore.itemAccess(itemIDOrRef, userID: actorID, on: db)
            try access.require(.openEstimation)
            var round = try await BacklogStore.round(roundID, itemID: item.id, on: db)
            guard round.state == .revealed else {
                throw DomainError(.conflict, code: "round_not_revealed", message: round.state == .open
                    ? "Reveal the votes before agreeing on an estimate." : "This round is already closed.")
            }
            guard access.product.scale.contains(points) else {
                throw DomainError.invalid(field: "points", "must be one of the product's scale: \(access.product.scale.description)")
            }
            let now = stamps.now()
            round.state = .closed
            round.agreedEstimate = points
            round.closedAt = now
            try await db.update("estimation_rounds").set(model: round, with: RowCoding.encoder).where("id", .equal, round.id).run()
            let before = item
            item.estimate = points
            if item.refinementLevel < .estimated { item.refinement = .estimated }
            item.version += 1
            item.updatedAt = now
            item.updatedBy = actorID
            item.refinedAt = now
            for participant in participants {
                try await participant.itemWillChange(from: before, to: item, access: access, actorID: actorID, now: now, on: db)
            }
            try await BacklogStore.save(item, on: db)
            try await ChangeLog.append(Change(.estimationAgreed, subject: item.id, ref: item.ref, ["roundId": .string(round.id), "estimate": .number(points)]), productID: item.productId, actorID: actorID, stamps: stamps, on: db)
            return (try await BacklogStore.roundDTO(round, scale: access.product.scale, viewerID: actorID, on: db), try await BacklogStore.dtos([item], product: access.product, on: db)[0])
        }
    }
}

extension BacklogStore {
    static func round(_ roundID: String, itemID: String, on db: any SQLDatabase) async throws -> EstimationRoundRow {
        guard let round = try await db.select().column("*").from("estimation_rounds").where("id", .equal, roundID)
            .where("item_id", .equal, itemID).first(EstimationRoundRow.self)
        else { throw DomainError.notFound("The estimation round") }
        return round
    }

    static func roundDTO(_ round: EstimationRoundRow, scale: EstimateScale, viewerID: String, on db: any SQLDatabase) async throws -> EstimationRoundDTO {
        try await roundDTOs([round], scale: scale, viewerID: viewerID, on: db)[0]
    }

    /// Rounds as the API shows them: every round's votes in one query, the openers in one more unless known.
    static func roundDTOs(
        _ rounds: [EstimationRoundRow], scale: EstimateScale, viewerID: String, openers known: [String: String] = [:], on db: any SQLDatabase
    ) async throws -> [EstimationRoundDTO] {
        guard !rounds.isEmpty else { return [] }
        let votes = try await db.raw("""
            SELECT v.round_id, v.user_id, v.points, u.display_name FROM estimation_votes v JOIN users u ON u.id = v.user_id
            WHERE v.round_id IN (\(binds: rounds.map(\.id))) ORDER BY u.display_name
            """).all(VoteJoinRow.self)
        var openers = known
        let missing = Array(Set(rounds.compactMap(\.openedBy)).subtracting(known.keys))
        if !missing.isEmpty {
            for person in try await db.select().columns("id", "display_name").from("users").where("id", .in, missing).all(PersonRow.self) {
                openers[person.id] = person.displayName
            }
        }
        // Who may still vote: the Developers of the product's teams, read only while a round is open.
        var developers: [String: [PersonRef]] = [:]
        let openProducts = Array(Set(rounds.filter { $0.state == .open }.map(\.productId)))
        if !openProducts.isEmpty {
            let rows = try await db.raw("""
                SELECT DISTINCT t.product_id, tm.user_id, u.display_name FROM team_members tm JOIN teams t ON t.id = tm.team_id
                JOIN users u ON u.id = tm.user_id
                WHERE t.product_id IN (\(binds: openProducts)) AND tm.accountability = \(bind: Accountability.developer.rawValue)
                ORDER BY u.display_name
                """).all()
            for row in rows {
                developers[try row.decode(column: "product_id", as: String.self), default: []].append(
                    PersonRef(id: try row.decode(column: "user_id", as: String.self), displayName: try row.decode(column: "display_name", as: String.self))
                )
            }
        }
        let votesByRound = Dictionary(grouping: votes, by: \.roundId)
        return try rounds.map { round in
            let votes = votesByRound[round.id] ?? []
            let notVotedWhenRevealed: [PersonRef]
            do { notVotedWhenRevealed = try round.notVoted.map { try JSONDecoder().decode([PersonRef].self, from: Data($0.utf8)) } ?? [] } catch {
                throw DomainError(.inconsistent, code: "unreadable_row", message: "The estimation round \(round.id) lists who had not voted in a form this version of Tandem cannot read.")
            }
            let revealed = round.state != .open
            let points = votes.map(\.points).sorted()
            let spread: EstimationRoundDTO.Spread? = revealed && !points.isEmpty
                ? .init(
                    min: points[0], max: points[points.count - 1],
                    median: points.count % 2 == 1 ? points[points.count / 2] : (points[points.count / 2 - 1] + points[points.count / 2]) / 2,
                    consensus: points.first == points.last,
                    suggestedEstimate: PlanningPoker.suggestedEstimate(votes: points, scale: scale.values) ?? points[points.count / 2],
                    wideSpread: PlanningPoker.isWideSpread(votes: points)
                )
                : nil
            let voters = Set(votes.map(\.userId))
            return EstimationRoundDTO(
                id: round.id, itemId: round.itemId, state: round.state,
                openedBy: round.openedBy.flatMap { id in openers[id].map { PersonRef(id: id, displayName: $0) } },
                votes: votes.map { vote in
                    EstimationRoundDTO.Vote(
                        user: PersonRef(id: vote.userId, displayName: vote.displayName), voted: true,
                        points: revealed || vote.userId == viewerID ? vote.points : nil
                    )
                },
                waitingFor: round.state == .open ? (developers[round.productId] ?? []).filter { !voters.contains($0.id) } : [],
                notVoted: round.state == .open ? (developers[round.productId] ?? []).filter { !voters.contains($0.id) }
                    : round.state == .revealed ? notVotedWhenRevealed : [],
                spread: spread, agreedEstimate: round.agreedEstimate, scale: scale.values,
                createdAt: Clock.date(round.createdAt), revealedAt: round.revealedAt.map(Clock.date), closedAt: round.closedAt.map(Clock.date)
            )
        }
    }
}

private struct VoteJoinRow: Decodable {
    var roundId: String
    var userId: String
    var points: Double
    var displayName: String
}
