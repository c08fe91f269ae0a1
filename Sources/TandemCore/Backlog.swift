import Foundation

/// The kinds of Product Backlog item Tandem distinguishes.
public enum ItemKind: String, Codable, Sendable, CaseIterable {
    case story, bug, spike, chore, epic
}

/// Where an item is in its life: `planned` means pulled into a sprint.
public enum ItemStatus: String, Codable, Sendable, CaseIterable {
    case open, planned, done, declined

    /// What the backlog shows when no status filter is given.
    public static let shownByDefault: [ItemStatus] = [.open, .planned]
    /// Finished items no longer block anything.
    public var isFinished: Bool { self == .done || self == .declined }
}

/// How far refinement has taken an item, in order; `ready` means the team could start it in the next sprint.
public enum RefinementLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case idea, described, estimated, ready

    var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.order < rhs.order }
}

/// The numbers a team may estimate with; the default is the modified Fibonacci scale of planning poker.
public struct EstimateScale: Sendable, Equatable, Codable {
    public let values: [Double]
    public static let fibonacci = EstimateScale(values: [0, 1, 2, 3, 5, 8, 13, 20, 40, 100])

    public init(values: [Double]) { self.values = values }

    public func contains(_ estimate: Double) -> Bool { values.contains(estimate) }

    /// "0, 1, 2, 3, 5, …" for error messages and pages.
    public var description: String {
        values.map { abs($0) < 9_007_199_254_740_992 && $0.rounded() == $0 ? String(Int($0)) : String($0) }.joined(separator: ", ")
    }
}

/// What stops an item from reaching a refinement level: the `not_ready` answer lists these.
public struct MissingCondition: Sendable, Equatable, Codable {
    public let condition: String
    public let message: String

    public init(condition: String, message: String) {
        self.condition = condition
        self.message = message
    }
}

/// The refinement rules: a level may be set only when its conditions hold.
public enum Refinement {
    /// Conditions of `level` that the item does not meet; empty means the level may be set.
    public static func missing(
        for level: RefinementLevel, estimate: Double?, readiness: [Bool], definitionOfReady: [String]
    ) -> [MissingCondition] {
        var missing: [MissingCondition] = []
        if level >= .estimated, estimate == nil {
            missing.append(MissingCondition(condition: "estimate", message: "The item has no estimate."))
        }
        if level == .ready {
            for (index, text) in definitionOfReady.enumerated() where !(index < readiness.count && readiness[index]) {
                missing.append(MissingCondition(condition: "definitionOfReady[\(index)]", message: text))
            }
        }
        return missing
    }

    /// The highest level at or below `level` whose conditions still hold, after an edit removed some.
    public static func settle(_ level: RefinementLevel, estimate: Double?, readiness: [Bool], definitionOfReady: [String]) -> RefinementLevel {
        var candidate = level
        while candidate > .described,
              !missing(for: candidate, estimate: estimate, readiness: readiness, definitionOfReady: definitionOfReady).isEmpty {
            candidate = RefinementLevel.allCases[candidate.order - 1]
        }
        return candidate
    }

}

/// An item's ticks against a Definition (of Ready or of Done), kept by entry text: editing the Definition then rewrites
/// no item (no version moves, no open form meets a conflict), and each tick stays with its entry wherever it moves.
public enum Checklist {
    /// One flag per entry of `definition`, in its order: ticked when the item ticked that text.
    public static func flags(ticked: [String], definition: [String]) -> [Bool] {
        guard !ticked.isEmpty else { return Array(repeating: false, count: definition.count) }
        return definition.map(ticked.contains)
    }

    /// The ticked entries' texts, from flags sent against `definition` (which the caller checked are one per entry).
    public static func ticked(flags: [Bool], definition: [String]) -> [String] {
        zip(definition, flags).filter(\.1).map(\.0)
    }
}

/// The Definition of Done applies to a sprint's work: an item is done only when every entry is ticked.
public enum DefinitionOfDone {
    /// The entries not ticked, in the Definition's order; empty means the work may be called done.
    public static func unmet(ticked: [String], definition: [String]) -> [String] {
        definition.filter { !ticked.contains($0) }
    }
}

/// Weighted Shortest Job First, an ordering technique a Scrum Master can teach: cost of delay ÷ job size.
public enum WSJF {
    /// Inputs are 1–10; nil when any input is missing or the job size is zero.
    public static func score(businessValue: Int?, timeCriticality: Int?, riskReduction: Int?, jobSize: Double?) -> Double? {
        guard let businessValue, let timeCriticality, let riskReduction, let jobSize, jobSize > 0 else { return nil }
        let raw = Double(businessValue + timeCriticality + riskReduction) / jobSize
        return (raw * 100).rounded() / 100
    }

    public static let inputRange = 1...10
}

/// Where an item should go, named by a neighbour rather than an index, so concurrent moves cannot corrupt the order.
public enum BacklogPosition: Sendable, Equatable {
    case top
    case bottom
    case before(String)
    case after(String)

    /// The neighbour item this position names, if any.
    public var anchor: String? {
        switch self {
        case .before(let id), .after(let id): id
        case .top, .bottom: nil
        }
    }
}

/// The Product Backlog's "blocked by" graph; it must stay acyclic.
public enum DependencyGraph {
    /// The path `item → blocker → … → item` that adding "item is blocked by blocker" would close, or nil.
    ///
    /// `blockers` maps an item to the items it is blocked by.
    public static func cycle(adding item: String, blockedBy blocker: String, blockers: [String: [String]]) -> [String]? {
        if item == blocker { return [item, item] }
        // Breadth-first from the blocker along "blocked by" edges; reaching the item closes a cycle.
        var previous: [String: String] = [:]
        var queue = [blocker]
        var seen: Set<String> = [blocker]
        var head = 0
        while head < queue.count {
            let current = queue[head]
            head += 1
            for next in blockers[current, default: []].sorted() where !seen.contains(next) {
                previous[next] = current
                if next == item {
                    var backwards = [item]
                    while let step = previous[backwards[backwards.count - 1]] { backwards.append(step) }
                    // backwards runs item ← … ← blocker; the cycle reads item → blocker → … → item.
                    return [item] + backwards.reversed()
                }
                seen.insert(next)
                queue.append(next)
            }
        }
        return nil
    }
}

/// A caution shown on a backlog item; `code` is the API's contract string.
public struct ItemWarning: Sendable, Equatable, Codable {
    public let code: String
    public let message: String
    public let blockerId: String?
    public let blockerRef: String?

    public init(code: String, message: String, blockerId: String? = nil, blockerRef: String? = nil) {
        self.code = code
        self.message = message
        self.blockerId = blockerId
        self.blockerRef = blockerRef
    }
}

/// The warnings the order itself produces.
public enum BacklogWarnings {
    /// An item ranked above an unfinished item that blocks it cannot be done in that order.
    public static func orderedAboveBlocker(itemRank: String, blockers: [(id: String, ref: String, rank: String, status: ItemStatus)]) -> [ItemWarning] {
        blockers
            .filter { !$0.status.isFinished && $0.rank > itemRank }
            .sorted { $0.rank < $1.rank }
            .map {
                ItemWarning(
                    code: "ordered_above_blocker",
                    message: "Ordered above \($0.ref), which blocks it and is not done.",
                    blockerId: $0.id, blockerRef: $0.ref
                )
            }
    }
}

/// Where an ordering proposal stands; only the Product Owner moves it out of `open`.
public enum ProposalState: String, Codable, Sendable, CaseIterable {
    case open, accepted, declined
    /// Taken back by its proposer before the Product Owner decided.
    case withdrawn
}

/// How a stored proposal names its wanted place; `before` and `after` come with an anchor item.
public enum PlacementKind: String, Codable, Sendable, CaseIterable {
    case top, bottom, before, after
}

/// A planning-poker round: votes are hidden while `open`, shown once `revealed`, and the round is `closed` when
/// the team agrees on an estimate.
public enum EstimationRoundState: String, Codable, Sendable, CaseIterable {
    case open, revealed, closed
}

/// The orders a backlog view can be read in; only `rank` is the Product Owner's order.
public enum BacklogSort: String, CaseIterable, Sendable {
    case rank
    case wsjf
}

/// What a revealed planning-poker round suggests, so the team starts from the votes rather than from zero.
public enum PlanningPoker {
    /// The median of the votes; with an even number of votes the higher of the two middle ones (estimates err
    /// towards the work being bigger), rounded up to the nearest value of the product's scale.
    public static func suggestedEstimate(votes: [Double], scale: [Double]) -> Double? {
        let sorted = votes.sorted()
        guard !sorted.isEmpty else { return nil }
        let median = sorted[sorted.count / 2]
        return scale.sorted().first { $0 >= median } ?? scale.max() ?? median
    }

    /// A spread worth a conversation: the highest vote at least three times the lowest non-zero one.
    public static func isWideSpread(votes: [Double]) -> Bool {
        guard let lowest = votes.filter({ $0 > 0 }).min(), let highest = votes.max() else { return false }
        return highest >= 3 * lowest
    }
}

/// Where a Product Goal stands: one is active at a time, until it is achieved or abandoned.
public enum ProductGoalState: String, Codable, Sendable, CaseIterable {
    case active, achieved, abandoned
}

/// A release is planned until the Product Owner marks it released.
public enum ReleaseState: String, Codable, Sendable, CaseIterable {
    case planned, released
}

/// An item's reference, like `TND-42`: the product key, a dash and the item's number in the product.
public enum ItemRef {
    /// Whether `text` has a reference's shape (a product key of 2 to 10 capitals or digits, a number of 1 to 9 digits).
    public static func isWellFormed(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, (2...10).contains(parts[0].count), (1...9).contains(parts[1].count) else { return false }
        return parts[0].utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            && parts[1].utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
