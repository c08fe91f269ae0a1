import Foundation

/// The Product Backlog's services, one per concern; every change is one transaction that re-checks the
/// caller's accountability and writes its activity record alongside.
public struct BacklogService: Sendable {
    public let items: BacklogItems
    public let ordering: BacklogOrdering
    public let refinement: BacklogRefinement
    public let estimation: EstimationRounds
    public let dependencies: BacklogDependencies

    public init(database: TandemDatabase) {
        items = BacklogItems(database: database)
        ordering = BacklogOrdering(database: database)
        refinement = BacklogRefinement(database: database)
        estimation = EstimationRounds(database: database)
        dependencies = BacklogDependencies(database: database)
    }
}
