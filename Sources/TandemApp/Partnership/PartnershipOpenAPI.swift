import TandemCore

/// The partnership part of the OpenAPI document.
extension OpenAPIDocument {
    static let person: JSONValue = ["oneOf": [ref("PersonRef"), ["type": "null"]]]
    static let itemIdInput: JSONValue = ["type": "string", "minLength": 1, "maxLength": 200]

    static let partnershipSchemas: [String: JSONValue] = [
        "ImpedimentInput": input([
            "title": InputRules.title.schema, "detail": longText, "itemIds": ["type": "array", "items": itemIdInput, "maxItems": 50],
        ], required: ["title"]),
        "ImpedimentChange": input([
            "state": enumeration(ImpedimentState.self), "ownerId": string, "resolution": InputRules.resolution.schema,
        ], required: []),
        "EscalationNote": object(["note": InputRules.reason.schema], required: ["note"]),
        "Impediment": object([
            "id": string, "teamId": string, "productId": string, "title": string, "detail": string, "state": enumeration(ImpedimentState.self),
            "level": enumeration(ImpedimentLevel.self), "owner": person, "resolution": nullableString, "escalationNote": nullableString,
            "raisedBy": person, "createdAt": dateTime, "updatedAt": dateTime, "escalatedAt": nullable(dateTime), "resolvedAt": nullable(dateTime),
            "ageDays": integer, "items": ["type": "array", "items": ref("ItemRef")],
        ], required: ["id", "teamId", "title", "state", "level", "owner", "ageDays", "items"]),
        "ImpedimentList": object([
            "items": ["type": "array", "items": ref("Impediment")], "nextCursor": nullableString, "medianDaysToResolve": nullableNumber,
        ], required: ["items", "nextCursor", "medianDaysToResolve"]),
        "QuestionInput": input(["text": InputRules.question.schema, "itemId": itemIdInput, "blocking": ["type": "boolean"]], required: ["text"]),
        "AnswerInput": object(["answer": InputRules.answer.schema], required: ["answer"]),
        "Question": object([
            "id": string, "productId": string, "itemId": nullableString, "itemRef": nullableString, "text": string, "blocking": ["type": "boolean"],
            "state": enumeration(QuestionState.self), "askedBy": person, "askedAt": dateTime, "answer": nullableString, "answeredBy": person,
            "answeredAt": nullable(dateTime), "waitingHours": number,
        ], required: ["id", "text", "blocking", "state", "askedAt", "waitingHours"]),
        "QuestionList": list("Question"),
        "ItemPartnership": object([
            "itemId": string, "blocked": ["type": "boolean"], "blockedDays": integer,
            "impediments": ["type": "array", "items": ref("Impediment")], "questions": ["type": "array", "items": ref("Question")],
        ], required: ["itemId", "blocked", "blockedDays", "impediments", "questions"]),
        "DecisionInput": input([
            "title": InputRules.title.schema, "context": InputRules.decisionText.schema, "decision": InputRules.decisionText.schema,
            "rationale": InputRules.decisionRationale.schema, "alternatives": longText, "accountability": enumeration(DecisionAccountability.self),
            "itemIds": ["type": "array", "items": itemIdInput, "maxItems": 50], "supersedes": string,
        ], required: ["title", "context", "decision", "rationale", "accountability"]),
        "Decision": object([
            "kind": ["type": "string", "enum": ["decision", "proposal", "reorder"]], "id": string, "productId": string, "title": string, "context": string,
            "decision": string, "rationale": string, "alternatives": string, "accountability": enumeration(DecisionAccountability.self),
            "itemIds": ["type": "array", "items": string], "supersedes": nullableString, "supersededBy": nullableString, "superseded": ["type": "boolean"],
            "decidedBy": person, "decidedAt": dateTime,
        ], required: ["kind", "id", "title", "decision", "rationale", "accountability", "superseded", "decidedAt"]),
        "DecisionList": list("Decision"),
        "WorkingAgreementInput": object([
            "items": ["type": "array", "items": InputRules.agreementItem.schema, "maxItems": 30, "uniqueItems": true],
        ], required: ["items"]),
        "WorkingAgreement": object([
            "teamId": string, "version": integer, "items": ["type": "array", "items": string], "writtenBy": person, "writtenAt": nullable(dateTime),
            "agreedBy": ["type": "array", "items": ref("PersonRef")], "waitingFor": ["type": "array", "items": ref("PersonRef")],
        ], required: ["teamId", "version", "items", "agreedBy", "waitingFor"]),
        "Expectation": object([
            "id": string, "owedBy": enumeration(PartnershipSide.self), "service": string, "text": string,
        ], required: ["id", "owedBy", "service", "text"]),
        "Expectations": object(["items": ["type": "array", "items": ref("Expectation")]], required: ["items"]),
        "CheckResponse": input([
            "ratings": [
                "type": "object", "additionalProperties": false,
                "properties": .object(Dictionary(uniqueKeysWithValues: PartnershipFoundation.allCases.map { ($0.rawValue, ["type": "integer", "minimum": 1, "maximum": 5] as JSONValue) })),
                "required": .array(PartnershipFoundation.allCases.map { .string($0.rawValue) }),
            ],
            "expectationsMet": ["type": "array", "items": ["type": "string", "enum": .array(Expectations.all.map { .string($0.id) })], "uniqueItems": true],
            "comment": InputRules.note.schema,
        ], required: ["ratings", "expectationsMet"]),
        "FoundationComparison": object([
            "foundation": enumeration(PartnershipFoundation.self), "productOwner": integer, "scrumMaster": integer, "gap": integer, "highlighted": ["type": "boolean"],
        ], required: ["foundation", "productOwner", "scrumMaster", "gap", "highlighted"]),
        "PartnershipCheck": object([
            "id": string, "teamId": string, "productId": string, "productOwner": person, "scrumMaster": person, "openedAt": dateTime,
            "completedAt": nullable(dateTime),
            "answered": object(["productOwner": ["type": "boolean"], "scrumMaster": ["type": "boolean"]], required: ["productOwner", "scrumMaster"]),
            "results": ["oneOf": [object([
                "foundations": ["type": "array", "items": ref("FoundationComparison")],
                "unmetByScrumMaster": ["type": "array", "items": ref("Expectation")], "unmetByProductOwner": ["type": "array", "items": ref("Expectation")],
                "productOwnerComment": string, "scrumMasterComment": string,
            ], required: ["foundations", "unmetByScrumMaster", "unmetByProductOwner"]), ["type": "null"]]],
        ], required: ["id", "teamId", "answered", "results"]),
        "PartnershipTrend": object([
            "teamId": string, "checks": ["type": "array", "items": ref("PartnershipCheck")],
            "trend": ["type": "array", "items": object([
                "checkId": string, "completedAt": dateTime, "foundations": ["type": "array", "items": ref("FoundationComparison")],
            ], required: ["checkId", "completedAt", "foundations"])],
        ], required: ["teamId", "checks", "trend"]),
        "Signal": object([
            "name": string, "teamId": nullableString, "value": nullableNumber, "unit": string, "healthy": ["type": ["boolean", "null"]],
            "threshold": number, "comparison": ["type": "string", "enum": ["atLeast", "atMost", "noneOlderThan"]], "basis": string,
            "detail": ["type": ["object", "null"]],
            "trend": ["type": "array", "items": object(["at": string, "value": nullableNumber], required: ["at", "value"])],
        ], required: ["name", "value", "unit", "healthy", "threshold", "basis", "trend"]),
        "PartnershipReport": object([
            "productId": string, "signals": ["type": "array", "items": ref("Signal")],
            "thresholds": ["type": "object", "additionalProperties": ["type": "number"]],
        ], required: ["productId", "signals", "thresholds"]),
        "Thresholds": [
            "type": "object", "additionalProperties": false, "description": "Thresholds by signal name; those left out keep their values.",
            "properties": .object(Dictionary(uniqueKeysWithValues: SignalThresholds.fields.map { ($0.name, ["type": "number", "minimum": 0, "maximum": 10_000] as JSONValue) })),
        ],
        "ThresholdValues": ["type": "object", "additionalProperties": ["type": "number"]],
        "Notification": object([
            "id": string, "kind": string, "text": string, "link": string, "createdAt": dateTime, "readAt": nullable(dateTime),
            "productId": nullableString, "productName": nullableString, "settledAt": nullable(dateTime), "isNew": ["type": "boolean"],
        ], required: ["id", "kind", "text", "link", "createdAt", "readAt", "productId", "productName", "settledAt", "isNew"]),
        "NotificationList": object([
            "items": ["type": "array", "items": ref("Notification")], "nextCursor": nullableString, "unread": integer,
        ], required: ["items", "nextCursor", "unread"]),
    ]

    static let partnershipPaths: [String: JSONValue] = [
        "/api/v1/teams/{teamId}/impediments": [
            "post": operation("Raise an impediment (any member of the product); the team's Scrum Master owns it", id: "raiseImpediment", params: [pathParam("teamId")],
                              body: body("ImpedimentInput", example: ["title": "The staging database is down every morning"]),
                              responses: [
                                  "201": ok("The impediment.", "Impediment", links: [
                                      "UpdateImpediment": ("updateImpediment", ["impedimentId": "$response.body#/id"]),
                                      "EscalateImpediment": ("escalateImpediment", ["impedimentId": "$response.body#/id"]),
                                  ]),
                                  "422": error("A bad field, or an item not of this backlog (`unknown_item`)."),
                              ]),
            "get": operation("The team's impediments, oldest first, with their age", id: "listImpediments",
                             params: [pathParam("teamId"), queryParam("state", "Only impediments in this state; empty or left out for all.", schema: QueryFilter.schema(one: ImpedimentState.self))],
                             responses: ["200": ok("The impediments and the median days to resolve.", "ImpedimentList")]),
        ],
        "/api/v1/impediments/{impedimentId}": [
            "patch": operation("Move an impediment along, hand it over, resolve it (with a resolution)", id: "updateImpediment", params: [pathParam("impedimentId")],
                               body: body("ImpedimentChange", example: ["state": "inProgress"]),
                               responses: ["200": ok("The impediment.", "Impediment"), "422": error("A bad field, resolving without a resolution, or an owner outside the team.")]),
        ],
        "/api/v1/impediments/{impedimentId}/escalate": [
            "post": operation("Escalate beyond the team's reach; the Product Owner is told", id: "escalateImpediment", params: [pathParam("impedimentId")],
                              body: body("EscalationNote", example: ["note": "Needs the IT director's budget"]),
                              responses: ["200": ok("The impediment, now at organisation level.", "Impediment"), "409": error("Already resolved (`impediment_resolved`).")]),
        ],
        "/api/v1/products/{productId}/questions": [
            "post": operation("Ask the Product Owner a question (any member)", id: "askQuestion", params: [pathParam("productId")],
                              body: body("QuestionInput", example: ["text": "Should the export include declined items?", "blocking": true]),
                              responses: [
                                  "201": ok("The question.", "Question", links: ["AnswerQuestion": ("answerQuestion", ["questionId": "$response.body#/id"])]),
                                  "422": error("A bad field, or an item not of this backlog (`unknown_item`)."),
                              ]),
            "get": operation("Questions: open ones first (blocking first), with how long each waited", id: "listQuestions",
                             params: [pathParam("productId"), queryParam("state", "open or answered; empty or left out for all.", schema: QueryFilter.schema(one: QuestionState.self))],
                             responses: ["200": ok("The questions.", "QuestionList")]),
        ],
        "/api/v1/items/{itemId}/partnership": [
            "get": operation("The impediments blocking an item (with the days it has been blocked) and the questions about it", id: "getItemPartnership",
                             params: [pathParam("itemId")], responses: ["200": ok("What stands in the item's way.", "ItemPartnership")]),
        ],
        "/api/v1/questions/{questionId}/answer": [
            "post": operation("Answer a question (the Product Owner or an ordering delegate)", id: "answerQuestion", params: [pathParam("questionId")],
                              body: body("AnswerInput", example: ["answer": "No: declined items stay out of exports."]),
                              responses: ["200": ok("The answered question.", "Question"), "409": error("Already answered (`question_answered`).")]),
        ],
        "/api/v1/products/{productId}/decisions": [
            "post": operation("Record a decision with its rationale; it may supersede an earlier one", id: "recordDecision", params: [pathParam("productId")],
                              body: body("DecisionInput", example: [
                                  "title": "Forecast from throughput", "context": "Stakeholders ask for dates", "decision": "We forecast with Monte Carlo on done items",
                                  "rationale": "Hours estimates were never met", "accountability": "process",
                              ]),
                              responses: [
                                  "201": ok("The decision.", "Decision"), "409": error("The superseded decision already was (`already_superseded`)."),
                                  "422": error("A bad field, a missing rationale, an unknown item or decision."),
                              ]),
            "get": operation("The decision log: decisions, decided proposals and applied reorders, newest first", id: "listDecisions",
                             params: [pathParam("productId")], responses: ["200": ok("The log.", "DecisionList")]),
        ],
        "/api/v1/decisions/{decisionId}": [
            "get": operation("A recorded decision (the log is append-only: no PATCH or DELETE)", id: "getDecision", params: [pathParam("decisionId")],
                             responses: ["200": ok("The decision.", "Decision")]),
        ],
        "/api/v1/teams/{teamId}/working-agreement": [
            "get": operation("The team's working agreement and who agreed to this version", id: "getWorkingAgreement", params: [pathParam("teamId")],
                             responses: ["200": ok("The agreement.", "WorkingAgreement")]),
            "put": operation("Write a new version of the working agreement (the team's Scrum Team)", id: "setWorkingAgreement", params: [pathParam("teamId")],
                             body: body("WorkingAgreementInput", example: ["items": ["We start at 9:30 with the Daily Scrum", "Questions to the Product Owner are answered the same day"]]),
                             responses: ["200": ok("The agreement.", "WorkingAgreement")]),
        ],
        "/api/v1/teams/{teamId}/working-agreement/agree": [
            "post": operation("Agree to the current version", id: "agreeWorkingAgreement", params: [pathParam("teamId")],
                              responses: ["200": ok("The agreement.", "WorkingAgreement"), "422": error("No agreement yet (`no_working_agreement`).")]),
        ],
        "/api/v1/expectations": [
            "get": operation("What the Scrum Master and the Product Owner may expect of each other", id: "listExpectations", responses: ["200": ok("The expectations.", "Expectations")]),
        ],
        "/api/v1/teams/{teamId}/partnership-checks": [
            "post": operation("Open a partnership health check (the Product Owner or the team's Scrum Master)", id: "openPartnershipCheck", params: [pathParam("teamId")],
                              responses: [
                                  "201": ok("The check.", "PartnershipCheck", links: ["GetCheck": ("getPartnershipCheck", ["checkId": "$response.body#/id"])]),
                                  "422": error("No Scrum Master, or the Product Owner is also the Scrum Master (`no_partnership`)."),
                              ]),
            "get": operation("The team's checks, newest first, and the trend of the completed ones", id: "listPartnershipChecks", params: [pathParam("teamId")],
                             responses: ["200": ok("The checks and trend.", "PartnershipTrend")]),
        ],
        "/api/v1/partnership-checks/{checkId}": [
            "get": operation("A check; results stay null until both have answered", id: "getPartnershipCheck", params: [pathParam("checkId")],
                             responses: ["200": ok("The check.", "PartnershipCheck")]),
        ],
        "/api/v1/partnership-checks/{checkId}/responses": [
            "put": operation("Answer the check once (the check's Product Owner or Scrum Master)", id: "answerPartnershipCheck", params: [pathParam("checkId")],
                             body: body("CheckResponse", example: [
                                 "ratings": .object(Dictionary(uniqueKeysWithValues: PartnershipFoundation.allCases.map { ($0.rawValue, JSONValue.number(4)) })),
                                 "expectationsMet": [], "comment": "Good sprint",
                             ]),
                             responses: ["200": ok("The check.", "PartnershipCheck"), "409": error("Already answered (`already_answered`).")]),
        ],
        "/api/v1/products/{productId}/partnership": [
            "get": operation("The partnership signals: what each side owes the other, with the data behind each number", id: "getPartnership",
                             params: [pathParam("productId")], responses: ["200": ok("The signals.", "PartnershipReport")]),
        ],
        "/api/v1/products/{productId}/partnership/thresholds": [
            "put": operation("Set signal thresholds (the Product Owner or a Scrum Master)", id: "setSignalThresholds", params: [pathParam("productId")],
                             body: body("Thresholds", example: ["readyRunway": 2, "questionAnswerTime": 8]),
                             responses: ["200": ok("Every threshold now in force.", "ThresholdValues")]),
        ],
        "/api/v1/products/{productId}/activity": [
            "get": operation("Every change recorded in the product, newest first", id: "listProductActivity", params: [
                pathParam("productId"), limitParam, cursorParam(.offset),
                queryParam("kind", "The kind of change: the part of the action before the dot (item, sprint, impediment, question, decision, …).",
                           schema: ["type": "string", "pattern": "^([a-z_]{1,40})?$"]),
                queryParam("actorId", "Only changes by this person."),
            ], responses: ["200": ok("A page of activity.", "ActivityList")]),
        ],
        "/api/v1/notifications": [
            "get": operation("Your notifications, newest first, with the unread count", id: "listNotifications", responses: ["200": ok("The notifications.", "NotificationList")]),
        ],
        "/api/v1/notifications/read-all": [
            "post": operation("Mark every notification read", id: "readAllNotifications", responses: ["204": noContent]),
        ],
        "/api/v1/notifications/{notificationId}/read": [
            "post": operation("Mark a notification read", id: "readNotification", params: [pathParam("notificationId")], responses: ["204": noContent]),
        ],
    ]
}
