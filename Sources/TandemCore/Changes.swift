/// One kind of change to a product, with its wire name declared here once: nothing outside this enum spells one.
/// Each kind declares the fields it carries and their types; the change log checks every change against its
/// declaration before writing it, and the API document's schema of `data` is built from the same declaration.
/// What a change may carry is what every member of the product may see: an unrevealed vote, one side's answers to a
/// health check and a stakeholder's feedback text are never in one.
public enum ChangeType: String, CaseIterable, Codable, Sendable {
    case productCreated = "product.created"
    case productImported = "product.imported"
    case productVisionSet = "product.vision_set"
    case productMemberAdded = "product.member_added"
    case productMemberRemoved = "product.member_removed"
    case productOwnerHandedOver = "product.product_owner_handed_over"
    case orderingDelegatesSet = "product.ordering_delegates_set"
    case definitionOfReadySet = "product.definition_of_ready_set"
    case definitionOfDoneSet = "product.definition_of_done_set"
    case signalThresholdsSet = "product.signal_thresholds_set"
    case teamCreated = "team.created"
    case teamMemberAdded = "team.member_added"
    case teamMemberRemoved = "team.member_removed"
    case teamCalendarSet = "team.calendar_set"
    case productGoalCreated = "product_goal.created"
    case productGoalAchieved = "product_goal.achieved"
    case productGoalAbandoned = "product_goal.abandoned"
    case releasePlanned = "release.planned"
    case releaseReleased = "release.released"
    case itemCreated = "item.created"
    case itemUpdated = "item.updated"
    case itemDeleted = "item.deleted"
    case itemDeclined = "item.declined"
    case itemReopened = "item.reopened"
    case itemMoved = "item.moved"
    case dependencyAdded = "item.dependency_added"
    case dependencyRemoved = "item.dependency_removed"
    case backlogReordered = "backlog.reordered"
    case proposalOpened = "proposal.opened"
    case proposalAccepted = "proposal.accepted"
    case proposalDeclined = "proposal.declined"
    case proposalWithdrawn = "proposal.withdrawn"
    case estimationOpened = "estimation.opened"
    case estimationVoted = "estimation.voted"
    case estimationRevealed = "estimation.revealed"
    case estimationAgreed = "estimation.agreed"
    case sprintCreated = "sprint.created"
    case sprintUpdated = "sprint.updated"
    case sprintCapacitySet = "sprint.capacity_set"
    case sprintItemAdded = "sprint.item_added"
    case sprintItemRemoved = "sprint.item_removed"
    case sprintStarted = "sprint.started"
    case sprintClosed = "sprint.closed"
    case sprintCancelled = "sprint.cancelled"
    case sprintImported = "sprint.imported"
    case sprintReviewed = "sprint.reviewed"
    case feedbackGiven = "feedback.given"
    case feedbackAccepted = "feedback.accepted"
    case feedbackDeclined = "feedback.declined"
    case retrospectiveNoteAdded = "retrospective.note_added"
    case improvementActionCreated = "improvement_action.created"
    case improvementActionDone = "improvement_action.done"
    case improvementActionReopened = "improvement_action.open"
    case impedimentRaised = "impediment.raised"
    case impedimentUpdated = "impediment.updated"
    case impedimentEscalated = "impediment.escalated"
    case impedimentResolved = "impediment.resolved"
    case questionAsked = "question.asked"
    case questionAnswered = "question.answered"
    case decisionRecorded = "decision.recorded"
    case workingAgreementSet = "working_agreement.set"
    case workingAgreementAgreed = "working_agreement.agreed"
    case checkOpened = "partnership_check.opened"
    case checkAnswered = "partnership_check.answered"
    case checkCompleted = "partnership_check.completed"
    case forecastSaved = "forecast.saved"

    /// What a change of this kind is about.
    public var subjectType: String {
        let prefix = rawValue.split(separator: ".").first.map(String.init) ?? rawValue
        switch self {
        case .backlogReordered: return "product"
        case .proposalOpened, .proposalAccepted, .proposalDeclined, .proposalWithdrawn, .estimationOpened, .estimationVoted, .estimationRevealed, .estimationAgreed:
            return "item"
        case .sprintItemAdded, .sprintItemRemoved, .sprintReviewed, .retrospectiveNoteAdded: return "sprint"
        case .workingAgreementSet, .workingAgreementAgreed: return "team"
        default: return prefix
        }
    }

    /// The part of the wire name before the dot, as the activity feed filters by it.
    public var family: String { rawValue.split(separator: ".").first.map(String.init) ?? rawValue }

    /// The fields a change of this kind carries, with their types.
    public var fields: [ChangeField] {
        typealias F = ChangeField
        switch self {
        case .productCreated: return [F("name", .string), F("key", .string)]
        case .productImported: return [F("fromKey", .string), F("exportedAt", .string), F("rows", .number), F("peopleCreated", .number)]
        case .productVisionSet, .workingAgreementSet, .workingAgreementAgreed: return [F("version", .number)]
        case .productMemberAdded: return [F("userId", .string), F("accountability", .string)]
        case .productMemberRemoved: return [F("userId", .string)]
        case .productOwnerHandedOver: return [F("from", .string), F("to", .string)]
        case .orderingDelegatesSet: return [F("userIds", .array)]
        case .definitionOfReadySet: return [F("items", .array), F("noLongerReady", .array)]
        case .definitionOfDoneSet: return [F("items", .array)]
        case .signalThresholdsSet: return [F("thresholds", .object)]
        case .teamCreated: return [F("name", .string)]
        case .teamMemberAdded, .teamMemberRemoved: return [F("userId", .string), F("accountability", .string)]
        case .teamCalendarSet: return [F("timeZone", .string)]
        case .productGoalCreated: return [F("statement", .string)]
        case .productGoalAchieved, .productGoalAbandoned: return [F("note", .string)]
        case .releasePlanned: return [F("name", .string), F("targetDate", .string, nullable: true)]
        case .releaseReleased: return [F("name", .string), F("releasedOn", .string)]
        case .itemCreated: return [F("ref", .string), F("title", .string), F("position", .object)]
        case .itemUpdated: return [F("changes", .object), F("version", .number)]
        case .itemDeleted: return [F("ref", .string), F("title", .string)]
        case .itemDeclined: return [F("reason", .string)]
        case .itemReopened: return [F("note", .string), F("declineReason", .string, nullable: true)]
        case .itemMoved:
            return [F("authority", .string), F("from", .object), F("to", .object), F("position", .object), F("proposalId", .string, optional: true)]
        case .dependencyAdded: return [F("blockedBy", .string), F("blockerRef", .string)]
        case .dependencyRemoved: return [F("blockedBy", .string), F("blockerRef", .string, nullable: true)]
        case .backlogReordered:
            return [F("basis", .string), F("authority", .string), F("order", .array), F("moved", .number), F("note", .string, nullable: true)]
        case .proposalOpened: return [F("proposalId", .string), F("position", .object), F("rationale", .string)]
        case .proposalAccepted, .proposalDeclined: return [F("proposalId", .string), F("note", .string, nullable: true)]
        case .proposalWithdrawn: return [F("proposalId", .string)]
        case .estimationOpened, .estimationVoted: return [F("roundId", .string)]
        case .estimationRevealed: return [F("roundId", .string), F("votes", .array)]
        case .estimationAgreed: return [F("roundId", .string), F("estimate", .number)]
        case .sprintCreated: return [F("number", .number), F("startDate", .string), F("endDate", .string)]
        case .sprintImported: return [F("number", .number), F("name", .string), F("startDate", .string), F("endDate", .string), F("donePoints", .number)]
        case .sprintUpdated: return [F("startDate", .string), F("endDate", .string), F("goal", .string)]
        case .sprintCapacitySet: return [F("members", .number), F("focusFactor", .number, nullable: true)]
        case .sprintItemAdded: return [F("itemId", .string), F("ref", .string), F("override", .string, optional: true)]
        case .sprintItemRemoved: return [F("itemId", .string), F("ref", .string)]
        case .sprintStarted: return [F("goal", .string)]
        case .sprintClosed: return [F("goalMet", .boolean), F("note", .string), F("carryOver", .string), F("donePoints", .number)]
        case .sprintCancelled: return [F("reason", .string)]
        case .sprintReviewed: return [F("invitees", .number)]
        case .feedbackGiven, .questionAnswered, .checkOpened, .checkCompleted, .improvementActionDone, .improvementActionReopened:
            return []
        case .feedbackAccepted: return [F("itemId", .string), F("ref", .string)]
        case .feedbackDeclined: return [F("reason", .string)]
        case .retrospectiveNoteAdded: return [F("kind", .string)]
        case .improvementActionCreated: return [F("ownerId", .string)]
        case .impedimentRaised: return [F("title", .string)]
        case .impedimentUpdated: return [F("state", .string, nullable: true), F("ownerId", .string, nullable: true)]
        case .impedimentEscalated: return [F("note", .string)]
        case .impedimentResolved: return [F("resolution", .string)]
        case .questionAsked: return [F("blocking", .boolean)]
        case .decisionRecorded: return [F("title", .string), F("supersedes", .string, nullable: true)]
        case .checkAnswered: return [F("side", .string)]
        case .forecastSaved: return [F("mode", .string)]
        }
    }

    /// Whether `data` is what this kind declares: every declared field present (unless optional) with its type,
    /// nothing undeclared. The change log refuses anything else, so the document's schema always holds.
    public func mismatch(in data: [String: JSONValue]) -> String? {
        let declared = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0) })
        if let extra = data.keys.sorted().first(where: { declared[$0] == nil }) { return "\(rawValue) does not declare \(extra)" }
        for field in fields {
            guard let value = data[field.name] else {
                if field.optional { continue }
                return "\(rawValue) needs \(field.name)"
            }
            if value == .null {
                if field.nullable { continue }
                return "\(rawValue).\(field.name) must not be null"
            }
            guard field.type.matches(value) else { return "\(rawValue).\(field.name) must be \(field.type.rawValue)" }
        }
        return nil
    }
}

/// A field a kind of change carries.
public struct ChangeField: Sendable, Equatable {
    public enum FieldType: String, Sendable {
        case string, number, boolean, object, array

        func matches(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (.string, .string), (.number, .number), (.boolean, .bool), (.object, .object), (.array, .array): true
            default: false
            }
        }
    }

    public let name: String
    public let type: FieldType
    public let nullable: Bool
    /// Left out when it does not apply (a move made without a proposal has no `proposalId`).
    public let optional: Bool

    public init(_ name: String, _ type: FieldType, nullable: Bool = false, optional: Bool = false) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.optional = optional
    }
}

/// One change to record: its kind, what it is about, and the fields its kind declares.
public struct Change: Sendable, Equatable {
    public let type: ChangeType
    public let subjectID: String
    /// An item's reference, when the subject is an item.
    public let subjectRef: String?
    public let data: [String: JSONValue]

    public init(_ type: ChangeType, subject subjectID: String, ref: String? = nil, _ data: [String: JSONValue] = [:]) {
        self.type = type
        self.subjectID = subjectID
        self.subjectRef = ref
        self.data = data
    }
}
