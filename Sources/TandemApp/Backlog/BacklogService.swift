import SQLKit
import TandemCore
import Foundation

/// The Product Backlog's services, one per concern; every change is one transaction that re-checks the
/// caller's accountability and writes its activity record alongside.
public struct BacklogService: Sendable {
    public let items: BacklogItems
    public let ordering: BacklogOrdering
    public let refinement: BacklogRefinement
    public let estimation: EstimationRounds
    public let dependencies: BacklogDependencies

    init(database: TandemDatabase, stamps: Stamps, participants: [any ItemChangeParticipant] = []) {
        items = BacklogItems(database: database, stamps: stamps, participants: participants)
        ordering = BacklogOrdering(database: database, stamps: stamps)
        refinement = BacklogRefinement(database: database, stamps: stamps)
        estimation = EstimationRounds(database: database, stamps: stamps, participants: participants)
        dependencies = BacklogDependencies(database: database, stamps: stamps)
    }
}

/// A feature built on the backlog that takes part in an item's change inside the same transaction: the Sprints feature
/// checks who may move sprint work and writes the sprint's record, without the backlog knowing sprints.
protocol ItemChangeParticipant: Sendable {
    /// Throws to refuse the change; `before` is the stored item, `after` what it would become.
    func itemWillChange(from before: BacklogItemRow, to after: BacklogItemRow, access: ProductAccess, actorID: String, now: Int64, on db: any SQLDatabase) async throws
}
