import Testing
import TandemCore

@Suite("Backlog rules")
struct BacklogRulesTests {
    static let dor = ["Acceptance criteria written", "Dependencies known", "Fits in a sprint"]

    @Test("refinement conditions", arguments: [
        (RefinementLevel.idea, nil, [], 0),
        (.described, nil, [], 0),
        (.estimated, nil, [], 1),
        (.estimated, 3.0, [], 0),
        (.ready, 3.0, [true, true, true], 0),
        (.ready, 3.0, [true, false, true], 1),
        (.ready, nil, [false, false], 4),
        (.ready, 5.0, [true, true], 1),
    ] as [(RefinementLevel, Double?, [Bool], Int)])
    func missingConditions(level: RefinementLevel, estimate: Double?, readiness: [Bool], missingCount: Int) {
        let missing = Refinement.missing(for: level, estimate: estimate, readiness: readiness, definitionOfReady: Self.dor)
        #expect(missing.count == missingCount, "\(missing)")
    }

    @Test func missingNamesTheUntickedItem() {
        let missing = Refinement.missing(for: .ready, estimate: 3, readiness: [true, false, true], definitionOfReady: Self.dor)
        #expect(missing == [MissingCondition(condition: "definitionOfReady[1]", message: "Dependencies known")])
    }

    @Test func settleLowersOnlyAsFarAsNeeded() {
        #expect(Refinement.settle(.ready, estimate: 3, readiness: [true, true, false], definitionOfReady: Self.dor) == .estimated)
        #expect(Refinement.settle(.ready, estimate: nil, readiness: [true, true, true], definitionOfReady: Self.dor) == .described)
        #expect(Refinement.settle(.idea, estimate: nil, readiness: [], definitionOfReady: Self.dor) == .idea)
        #expect(Refinement.settle(.ready, estimate: 1, readiness: [true, true, true], definitionOfReady: Self.dor) == .ready)
    }

    @Test func ticksStayWithTheirTextWhenTheDefinitionChanges() {
        let ticked = Checklist.ticked(flags: [true, false, true], definition: Self.dor)
        #expect(Checklist.flags(ticked: ticked, definition: ["Fits in a sprint", "New rule", "Acceptance criteria written"]) == [true, false, true])
        #expect(Checklist.flags(ticked: ticked, definition: []) == [])
        #expect(Checklist.flags(ticked: [], definition: Self.dor) == [false, false, false])
        #expect(Checklist.ticked(flags: [false, false, false], definition: Self.dor) == [])
    }

    @Test func workIsDoneOnlyWhenEveryDefinitionOfDoneEntryIsTicked() {
        let dod = ["Reviewed", "Tested", "Deployed"]
        #expect(DefinitionOfDone.unmet(ticked: ["Tested"], definition: dod) == ["Reviewed", "Deployed"])
        #expect(DefinitionOfDone.unmet(ticked: ["Deployed", "Reviewed", "Tested", "Gone"], definition: dod) == [])
        #expect(DefinitionOfDone.unmet(ticked: [], definition: []) == [], "no definition: nothing stands in the way")
    }

    @Test("WSJF", arguments: [
        (8, 5, 2, 5.0, 3.0),
        (1, 1, 1, 3.0, 1.0),
        (10, 10, 10, 1.0, 30.0),
        (5, 5, 5, 8.0, 1.88),
    ] as [(Int, Int, Int, Double, Double)])
    func wsjf(value: Int, criticality: Int, risk: Int, size: Double, expected: Double) {
        #expect(WSJF.score(businessValue: value, timeCriticality: criticality, riskReduction: risk, jobSize: size) == expected)
    }

    @Test func wsjfNeedsEveryInputAndAJobSize() {
        #expect(WSJF.score(businessValue: nil, timeCriticality: 1, riskReduction: 1, jobSize: 3) == nil)
        #expect(WSJF.score(businessValue: 1, timeCriticality: 1, riskReduction: 1, jobSize: 0) == nil)
        #expect(WSJF.score(businessValue: 1, timeCriticality: 1, riskReduction: 1, jobSize: nil) == nil)
    }

    @Test func estimateScale() {
        #expect(EstimateScale.fibonacci.contains(13))
        #expect(!EstimateScale.fibonacci.contains(4))
        #expect(EstimateScale.fibonacci.description == "0, 1, 2, 3, 5, 8, 13, 20, 40, 100")
    }

    @Test func cyclesAreFoundWithTheirPath() {
        // A is blocked by B, B by C.
        let blockers = ["A": ["B"], "B": ["C"]]
        #expect(DependencyGraph.cycle(adding: "C", blockedBy: "A", blockers: blockers) == ["C", "A", "B", "C"])
        #expect(DependencyGraph.cycle(adding: "B", blockedBy: "A", blockers: blockers) == ["B", "A", "B"])
        #expect(DependencyGraph.cycle(adding: "A", blockedBy: "A", blockers: blockers) == ["A", "A"])
        #expect(DependencyGraph.cycle(adding: "A", blockedBy: "C", blockers: blockers) == nil)
        #expect(DependencyGraph.cycle(adding: "D", blockedBy: "A", blockers: blockers) == nil)
    }

    @Test func orderedAboveAnUnfinishedBlockerWarns() {
        let warnings = BacklogWarnings.orderedAboveBlocker(itemRank: "a1", blockers: [
            ("b1", "ATL-2", "a5", .open), ("b2", "ATL-3", "a0", .open), ("b3", "ATL-4", "a7", .done),
        ])
        #expect(warnings.map(\.blockerRef) == ["ATL-2"])
        #expect(warnings.first?.code == "ordered_above_blocker")
    }

    @Test func positionsParseFromTheirAnchor() {
        #expect(BacklogPosition.before("x").anchor == "x")
        #expect(BacklogPosition.top.anchor == nil)
    }
}

@Suite("Planning poker")
struct PlanningPokerTests {
    static let scale: [Double] = [0, 1, 2, 3, 5, 8, 13, 20, 40, 100]

    @Test("the suggestion is the median, the higher middle one when even, rounded up to the scale", arguments: [
        ([3, 5, 8], 5.0), ([3, 5], 5.0), ([1, 2, 3, 13], 3.0), ([5], 5.0), ([2, 3, 3, 8], 3.0), ([0, 0, 1], 0.0),
    ] as [([Double], Double)])
    func suggestion(votes: [Double], expected: Double) {
        #expect(PlanningPoker.suggestedEstimate(votes: votes, scale: Self.scale) == expected)
    }

    @Test func aMedianBetweenScaleValuesRoundsUp() {
        #expect(PlanningPoker.suggestedEstimate(votes: [4, 4, 6], scale: Self.scale) == 5)
        #expect(PlanningPoker.suggestedEstimate(votes: [], scale: Self.scale) == nil)
        #expect(PlanningPoker.suggestedEstimate(votes: [200], scale: Self.scale) == 100, "beyond the scale: its largest value")
    }

    @Test("a wide spread is the highest at least three times the lowest non-zero vote", arguments: [
        ([1, 3], true), ([2, 5], false), ([0, 2, 5], false), ([0, 1, 3], true), ([5, 5], false), ([], false), ([0, 0], false),
    ] as [([Double], Bool)])
    func wideSpread(votes: [Double], wide: Bool) {
        #expect(PlanningPoker.isWideSpread(votes: votes) == wide)
    }
}
