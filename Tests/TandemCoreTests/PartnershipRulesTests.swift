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

    @Test func blockedDaysCountOverlappingImpedimentsOnce() {
        let day: Int64 = 86_400_000
        #expect(Age.blockedDays([], now: 10 * day) == 0)
        #expect(Age.blockedDays([(2 * day, nil)], now: 10 * day) == 8, "open since day 2")
        #expect(Age.blockedDays([(2 * day, 5 * day), (4 * day, 7 * day)], now: 10 * day) == 5, "days 2–7 once, not 3 + 3")
        #expect(Age.blockedDays([(6 * day, 8 * day), (1 * day, 2 * day)], now: 10 * day) == 3, "two separate spans add up")
        #expect(Age.blockedDays([(1 * day, 9 * day), (2 * day, 3 * day)], now: 10 * day) == 8, "a span inside another adds nothing")
        #expect(Age.blockedDays([(9 * day, nil), (1 * day, 2 * day)], now: 10 * day) == 2)
    }
}

@Suite("Partnership signals")
struct SignalArithmeticTests {
    @Test func readyRunwayIsReadyPointsOverThePace() {
        let signal = Signals.readyRunway(teamID: "T", readyPointsAtTop: 45, readyItemsAtTop: 7, lastDone: [(9, 20), (8, 10), (7, 25), (6, 99)], threshold: 2)
        #expect(signal.value == 2.3, "45 ÷ median(20, 10, 25) = 45 ÷ 20 = 2.25")
        #expect(signal.healthy == true)
        #expect(signal.basis.contains("sprints 7, 8, 9"))
        let early = Signals.readyRunway(teamID: "T", readyPointsAtTop: 45, readyItemsAtTop: 7, lastDone: [(1, 20)], threshold: 2)
        #expect(early.value == nil && early.healthy == nil)
    }

    @Test func freshnessAnswerTimesAndAges() {
        let day: Int64 = 86_400_000, now = 100 * day
        let fresh = Signals.backlogFreshness(refinedAt: [now - day, now - 31 * day, nil, now - 29 * day], now: now, threshold: 50)
        #expect(fresh.value == 50 && fresh.healthy == true)
        let answers = Signals.questionAnswerTime(hours: [2, 30, 4, 50, 6], threshold: 24)
        #expect(answers.value == 6 && answers.healthy == true)
        #expect(answers.detail?["p90"] == .number(50))
        #expect(Signals.questionAnswerTime(hours: [], threshold: 24).healthy == nil)
        let ages = Signals.impedimentAge(teamID: "T", openAgesDays: [1, 3, 9, 12], threshold: 5)
        #expect(ages.value == 6 && ages.healthy == false, "median of 1, 3, 9, 12")
        #expect(ages.detail?["under2Days"] == .number(1) && ages.detail?["2to7Days"] == .number(1) && ages.detail?["over7Days"] == .number(2))
        #expect(Signals.impedimentAge(teamID: "T", openAgesDays: [], threshold: 5).healthy == true)
        #expect(Signals.escalatedImpediments(teamID: "T", escalatedAgesDays: [3, 11], threshold: 10).healthy == false)
        #expect(Signals.escalatedImpediments(teamID: "T", escalatedAgesDays: [3, 10], threshold: 10).healthy == true)
    }

    @Test func sprintSignals() {
        let realism = Signals.commitmentRealism(teamID: "T", sprintNumber: 9, committed: 22, capacity: 18, capacityBasis: "", threshold: 110)
        #expect(realism.value == 122.2 && realism.healthy == false)
        #expect(Signals.commitmentRealism(teamID: "T", sprintNumber: 9, committed: 22, capacity: nil, capacityBasis: "Too little history.", threshold: 110).healthy == nil)
        let sayDo = Signals.sayDoRatio(teamID: "T", closed: [(8, 26, 26), (7, 21, 11), (6, 18, 18), (5, 13, 0)], threshold: 80)
        #expect(sayDo.value == 84.6, "55 done ÷ 65 committed")
        #expect(sayDo.healthy == true)
        let goals = Signals.sprintGoalSuccess(teamID: "T", closed: [(8, true), (7, false), (6, true), (5, true), (4, true), (3, false), (2, false)], threshold: 70)
        #expect(goals.value == 66.7 && goals.healthy == false, "4 of the last 6")
        let waiting = Signals.waiting("openProposals", unit: "proposals", agesDays: [1, 6], threshold: 5, what: ("ordering proposal", "ordering proposals"))
        #expect(waiting.value == 2 && waiting.healthy == false)
        #expect(waiting.basis == "2 ordering proposals wait, the oldest for 6 days.")
        #expect(Signals.waiting("feedbackWaiting", unit: "feedback", agesDays: [1], threshold: 5, what: ("piece of feedback", "pieces of feedback")).basis
                == "1 piece of feedback waits, for 1 day.")
        #expect(Signals.openBlockingQuestions(count: 1, oldestHours: 3, threshold: 0).basis == "1 blocking question waits for the Product Owner.")
        #expect(Signals.openBlockingQuestions(count: 2, oldestHours: 3, threshold: 0).basis == "2 blocking questions wait for the Product Owner.")
        #expect(Signals.count("roleConflicts", unit: "people", value: 0, threshold: 0, basis: "").healthy == true)
    }

    @Test func thresholdsAreProductSettingsOverDefaults() {
        let thresholds = SignalThresholds.with(["readyRunway": 3, "unknown": 9])
        #expect(thresholds.readyRunwaySprints == 3)
        #expect(thresholds.sayDoPercent == 80)
        #expect(thresholds.byName.count == 14)
    }
}

@Suite("Signals replayed at a past moment")
struct SignalReplayTests {
    static let day: Int64 = 86_400_000

    @Test func eachSignalStandsAsItDidThen() {
        var replay = SignalReplay()
        replay.questions = [.init(askedAt: 1 * Self.day, answeredAt: 3 * Self.day, blocking: true), .init(askedAt: 2 * Self.day, answeredAt: nil, blocking: false)]
        replay.impediments = [.init(teamID: "T", createdAt: 1 * Self.day, resolvedAt: 4 * Self.day, escalatedAt: 2 * Self.day),
                              .init(teamID: "T", createdAt: 3 * Self.day, resolvedAt: nil, escalatedAt: nil)]
        replay.proposals = [.init(createdAt: 1 * Self.day, decidedAt: 2 * Self.day, silent: true), .init(createdAt: 2 * Self.day, decidedAt: nil)]
        replay.feedback = [.init(createdAt: 0, decidedAt: 1 * Self.day)]
        replay.silentReorders = [5 * Self.day]
        func value(_ name: String, at moment: Int64) -> Double? {
            replay.signals(at: moment, teams: ["T"], thresholds: .defaults).first { $0.name == name }?.value
        }
        let cases: [(String, Int64, Double?)] = [
            ("openBlockingQuestions", 2 * Self.day, 1), ("openBlockingQuestions", 3 * Self.day, 0), ("openBlockingQuestions", Self.day / 2, 0),
            ("questionAnswerTime", 2 * Self.day, nil), ("questionAnswerTime", 3 * Self.day, 48),
            ("impedimentAge", 2 * Self.day, 1), ("impedimentAge", 3 * Self.day, 1), ("impedimentAge", 5 * Self.day, 2),
            ("escalatedImpediments", Self.day + 1, 0), ("escalatedImpediments", 3 * Self.day, 1), ("escalatedImpediments", 4 * Self.day, 0),
            ("openProposals", Self.day, 1), ("openProposals", 2 * Self.day, 1), ("feedbackWaiting", Self.day / 2, 1), ("feedbackWaiting", Self.day, 0),
            ("decisionsWithoutRationale", 2 * Self.day, 1), ("decisionsWithoutRationale", 5 * Self.day, 2), ("decisionsWithoutRationale", 40 * Self.day, 0),
        ]
        for (name, moment, expected) in cases {
            #expect(value(name, at: moment) == expected, "\(name) at \(Double(moment) / Double(Self.day)) days")
        }
        #expect(replay.earliest == 0)
    }
}
