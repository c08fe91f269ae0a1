import Testing
import TandemCore

@Suite("Partnership rules")
struct PartnershipRulesTests {
    @Test func expectationsAreTheSeedsServiceTables() {
        #expect(Expectations.owed(by: .scrumMaster).count == 9)
        #expect(Expectations.owed(by: .productOwner).count == 9)
        #expect(Set(Expectations.owed(by: .scrumMaster).map(\.service)) == ["Team coaching", "Organisational change", "Product Owner coaching"])
        #expect(Set(Expectations.owed(by: .productOwner).map(\.service)) == ["Vision and strategy", "Product details", "Collaboration"])
        #expect(Expectations.ids.count == 18, "ids are unique")
        #expect(Expectations.all.first?.id == "sm-team-coaching-1", "ids are stable: stored checks name them")
    }

    @Test func gapsOfTwoOrMoreAreTheConversationToHave() {
        var po: [PartnershipFoundation: Int] = [:], sm: [PartnershipFoundation: Int] = [:]
        for foundation in PartnershipFoundation.allCases { po[foundation] = 4; sm[foundation] = 4 }
        po[.openCommunication] = 2
        sm[.sharedVision] = 5
        po[.sharedVision] = 3
        sm[.transparentDecisionMaking] = 5
        let results = PartnershipCheckResults.compare(
            productOwner: (po, ["sm-team-coaching-1", "sm-team-coaching-2"]), scrumMaster: (sm, Set(Expectations.owed(by: .productOwner).map(\.id)).subtracting(["po-collaboration-1"]))
        )
        #expect(results.foundations.filter(\.highlighted).map(\.foundation) == [.openCommunication, .sharedVision])
        #expect(results.foundations.first { $0.foundation == .transparentDecisionMaking }?.gap == 1)
        #expect(results.unmetByScrumMaster.count == 7)
        #expect(results.unmetByProductOwner == ["po-collaboration-1"])
    }

    @Test func agesAndPercentiles() {
        #expect(Age.days(from: 0, to: 86_400_000 * 3 - 1) == 2)
        #expect(Age.days(from: 10, to: 5) == 0)
        #expect(Age.hours(from: 0, to: 5_400_000) == 1.5)
        #expect(Age.percentile([], 0.9) == nil)
        #expect(Age.percentile([5, 1, 3, 2, 4, 10, 8, 7, 6, 9], 0.9) == 9)
        #expect(Age.percentile([4], 0.5) == 4)
    }
}
