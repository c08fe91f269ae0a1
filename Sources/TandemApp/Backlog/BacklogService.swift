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

    public init(database: TandemDatabase, stamps: Stamps) {
        items = BacklogItems(database: database, stamps: stamps)
        ordering = BacklogOrdering(database: database, stamps: stamps)
        refinement = BacklogRefinement(database: database, stamps: stamps)
        estimation = EstimationRounds(database: database, stamps: stamps)
        dependencies = BacklogDependencies(database: database, stamps: stamps)
    }
}
