import Foundation
import Testing
import TandemCore

@Suite("Sprint rules")
struct SprintRulesTests {
    func day(_ text: String) -> CalendarDay { CalendarDay(text)! }

    @Test func calendarDaysRoundTripAndKnowTheirWeekday() {
        for text in ["1970-01-01", "2000-02-29", "2026-11-26", "1969-12-31", "0001-01-01", "9999-12-31"] {
            #expect(day(text).description == text)
        }
        #expect(day("1970-01-01").weekday == .thursday)
        #expect(day("2026-11-26").weekday == .thursday)
        #expect(day("2026-11-29").weekday == .sunday)
        #expect(day("1969-12-29").weekday == .monday)
        #expect(day("2026-03-01").dayNumber - day("2026-02-28").dayNumber == 1)
        #expect(CalendarDay("2026-02-29") == nil)
        #expect(CalendarDay("26-1-1") == nil)
    }

    @Test func todayDependsOnTheTeamsTimeZone() {
        // 2026-11-26 23:30 UTC is already the 27th in Berlin and still the 26th in New York.
        let millis = Int64(day("2026-11-26").dayNumber) * 86_400_000 + (23 * 60 + 30) * 60_000
        #expect(WorkingCalendar(timeZone: "UTC").today(atMillis: millis) == day("2026-11-26"))
        #expect(WorkingCalendar(timeZone: "Europe/Berlin").today(atMillis: millis) == day("2026-11-27"))
        #expect(WorkingCalendar(timeZone: "America/New_York").today(atMillis: millis) == day("2026-11-26"))
        #expect(CalendarDay.on(millis: -1, in: TimeZone(identifier: "UTC")!) == day("1969-12-31"))
    }

    @Test func weekendsAndHolidaysAreNotWorkingDays() {
        var calendar = WorkingCalendar()
        // Monday 2026-12-21 to Friday 2027-01-01: ten weekdays.
        #expect(calendar.workingDays(from: day("2026-12-21"), through: day("2027-01-01")).count == 10)
        calendar.nonWorkingDates = [day("2026-12-25"), day("2027-01-01"), day("2026-12-26")]
        #expect(calendar.workingDays(from: day("2026-12-21"), through: day("2027-01-01")).count == 8, "a holiday on a Saturday changes nothing")
        calendar.workingWeekdays = [.sunday, .monday, .tuesday, .wednesday, .thursday]
        #expect(calendar.workingDays(from: day("2026-12-20"), through: day("2026-12-26")).map(\.description)
                == ["2026-12-20", "2026-12-21", "2026-12-22", "2026-12-23", "2026-12-24"])
        #expect(calendar.workingDays(from: day("2026-12-26"), through: day("2026-12-20")).isEmpty)
    }

    @Test func theTimeboxIsOneToTwentyEightDays() throws {
        #expect(try SprintTimebox.check(start: day("2026-12-01"), end: day("2026-12-01")) == 1)
        #expect(try SprintTimebox.check(start: day("2026-12-01"), end: day("2026-12-28")) == 28)
        for end in ["2026-12-29", "2026-11-30"] {
            #expect(throws: DomainError.self) { try SprintTimebox.check(start: day("2026-12-01"), end: day(end)) }
            do { _ = try SprintTimebox.check(start: day("2026-12-01"), end: day(end)) } catch { #expect(error.code == "invalid_timebox") }
        }
        #expect(SprintTimebox.overlaps((day("2026-12-01"), day("2026-12-14")), (day("2026-12-14"), day("2026-12-28"))))
        #expect(!SprintTimebox.overlaps((day("2026-12-01"), day("2026-12-14")), (day("2026-12-15"), day("2026-12-28"))))
    }

    @Test func theRecordKeepsCommitmentAddedRemovedAndDoneApart() {
        let d = day("2026-12-01")
        let events: [SprintEvent] = [
            .init(kind: .committed, itemID: "a", points: 5, day: d),
            .init(kind: .committed, itemID: "b", points: 3, day: d),
            .init(kind: .committed, itemID: "c", points: 8, day: d),
            .init(kind: .added, itemID: "d", points: 2, day: d.adding(days: 1)),
            .init(kind: .reestimated, itemID: "a", points: 8, previousPoints: 5, day: d.adding(days: 2)),
            .init(kind: .done, itemID: "a", points: 8, day: d.adding(days: 3)),
            .init(kind: .done, itemID: "d", points: 2, day: d.adding(days: 3)),
            .init(kind: .reopened, itemID: "d", points: 2, day: d.adding(days: 4)),
            .init(kind: .removed, itemID: "b", points: 3, day: d.adding(days: 4)),
            .init(kind: .carriedOver, itemID: "c", points: 8, day: d.adding(days: 9)),
            .init(kind: .carriedOver, itemID: "d", points: 2, day: d.adding(days: 9)),
        ]
        let figures = SprintFigures.from(events)
        #expect(figures.committedPoints == 16 && figures.committedItems == 3)
        #expect(figures.addedPoints == 2 && figures.addedItems == 1)
        #expect(figures.removedPoints == 3 && figures.removedItems == 1)
        #expect(figures.reestimatedPoints == 3)
        #expect(figures.donePoints == 8 && figures.doneItems == 1)
        #expect(figures.carriedOverPoints == 10 && figures.carriedOverItems == 2)
        let days = (0...4).map { d.adding(days: $0) }
        #expect(SprintFigures.remaining(events, days: days) == [16, 18, 21, 11, 10])
    }

    @Test func capacityNeedsThreeClosedSprintsAndScalesByPersonDays() {
        let none = CapacityPlan.plan(committedPoints: 20, personDays: 30, history: [.init(number: 1, donePoints: 20, personDays: 30)])
        #expect(none.capacityPoints == nil)
        #expect(none.basis.contains("one closed sprint"))
        #expect(none.warning == nil)
        let history: [ClosedSprintFigure] = [
            .init(number: 8, donePoints: 24, personDays: 40), .init(number: 7, donePoints: 18, personDays: 36),
            .init(number: 6, donePoints: 21, personDays: 40), .init(number: 5, donePoints: 99, personDays: 40),
        ]
        let plan = CapacityPlan.plan(committedPoints: 20, personDays: 30, history: history)
        #expect(plan.capacityPoints == 15.8, "median 21 × 30 ÷ 40 = 15.75")
        #expect(plan.basis.contains("sprint 6, sprint 7, sprint 8"))
        #expect(plan.warning == "overcommitted", "20 > 110% of 15.8")
        #expect(CapacityPlan.plan(committedPoints: 17, personDays: 30, history: history).warning == nil)
        #expect(CapacityPlan.personDays(daysAvailable: nil, developers: 3, workingDays: 9) == 27)
        #expect(CapacityPlan.personDays(daysAvailable: [8, 9, 4.5], developers: 3, workingDays: 9) == 21.5)
        #expect(CapacityPlan.median([3, 1, 2, 10]) == 2.5)
    }

    /// The case: 28 person-days with a focus factor of 0.8 against past sprints of 40 person-days. The focus
    /// factor once discounted the coming sprint alone (18 × 22.4 ÷ 40 = 10.1); like with like it is 18 × 28 ÷ 40.
    @Test func theFocusFactorIsNotCountedTwice() {
        let history: [ClosedSprintFigure] = [
            .init(number: 3, donePoints: 18, personDays: 40), .init(number: 2, donePoints: 16, personDays: 40), .init(number: 1, donePoints: 20, personDays: 40),
        ]
        let plan = CapacityPlan.plan(committedPoints: 31, personDays: 28, history: history)
        #expect(plan.capacityPoints == 12.6)
        #expect(plan.basis.contains("18 × 28 ÷ 40 = 12.6"))
        #expect(plan.warning == "overcommitted")
        // sprints closed before: their frozen days included the factor, so the entered days come back by dividing
        #expect(ClosedSprintFigure.enteredDays(availableDays: nil, frozenPersonDays: 32, focusFactor: 0.8) == 40)
        #expect(ClosedSprintFigure.enteredDays(availableDays: nil, frozenPersonDays: 40, focusFactor: nil) == 40)
        #expect(ClosedSprintFigure.enteredDays(availableDays: 38.5, frozenPersonDays: 30.8, focusFactor: 0.8) == 38.5)
        #expect(CapacityPlan.focusedPersonDays(28, focusFactor: 0.8) == 22.4)
    }

    /// A burnup is history: re-estimating an item later must not rewrite the scope of sprints that ended before.
    @Test func theBurnupCountsEachSprintWithTheEstimatesOfItsDay() {
        let item = Burnup.Item(points: 8, createdOn: day("2027-01-01"), doneInSprint: nil,
                               reestimates: [(day("2027-01-20"), 5), (day("2027-01-12"), nil)])
        #expect(item.points(asOf: day("2027-01-08")) == 0, "not yet estimated")
        #expect(item.points(asOf: day("2027-01-12")) == 5, "estimated 5 that day")
        #expect(item.points(asOf: day("2027-01-19")) == 5)
        #expect(item.points(asOf: day("2027-01-20")) == 8)
        let done = Burnup.Item(points: 3, createdOn: day("2027-01-05"), doneInSprint: 2, reestimates: [(day("2027-01-30"), 2)])
        let sprints = Burnup.sprints([(1, day("2027-01-08")), (2, day("2027-01-15")), (3, day("2027-01-22"))], items: [item, done])
        #expect(sprints.map(\.scopePoints) == [2, 7, 10], "the done item counts 2 until its re-estimate to 3 on the 30th")
        #expect(sprints.map(\.donePoints) == [0, 2, 2])
    }
}
