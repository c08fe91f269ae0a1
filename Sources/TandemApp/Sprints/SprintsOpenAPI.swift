import TandemCore

/// Sprints, the team calendar, capacity, planning and velocity in the OpenAPI document.
extension OpenAPIDocument {
    static let number: JSONValue = ["type": "number"]
    static let integer: JSONValue = ["type": "integer"]
    static let calendarDate = InputRules.calendarDate.schema

    static let sprintSchemas: [String: JSONValue] = [
        "TeamCalendar": object([
            "teamId": string, "timeZone": string, "workingWeekdays": ["type": "array", "items": enumeration(Weekday.self)],
            "nonWorkingDates": ["type": "array", "items": calendarDate], "today": calendarDate,
        ], required: ["teamId", "timeZone", "workingWeekdays", "nonWorkingDates", "today"]),
        "TeamCalendarInput": input([
            "timeZone": InputRules.timeZone.schema,
            "workingWeekdays": ["type": "array", "items": enumeration(Weekday.self), "minItems": 1, "uniqueItems": true],
            "nonWorkingDates": ["type": "array", "items": calendarDate, "maxItems": .number(Double(InputRules.nonWorkingDates)), "uniqueItems": true],
        ], required: []),
        "NewSprint": input(["startDate": calendarDate, "endDate": calendarDate, "goal": InputRules.sprintGoal.schema], required: ["startDate", "endDate"]),
        "SprintChange": input([
            "startDate": calendarDate, "endDate": calendarDate, "goal": InputRules.sprintGoal.schema, "version": version,
        ], required: []),
        "SprintFigures": object([
            "committedPoints": number, "committedItems": integer, "addedPoints": number, "addedItems": integer,
            "removedPoints": number, "removedItems": integer, "reestimatedPoints": number, "donePoints": number, "doneItems": integer,
            "carriedOverPoints": number, "carriedOverItems": integer,
        ], required: ["committedPoints", "addedPoints", "removedPoints", "donePoints", "carriedOverPoints", "carriedOverItems"]),
        "SprintItem": object([
            "id": string, "ref": string, "title": string, "kind": kind, "status": status, "refinement": refinement,
            "estimate": nullableNumber, "workState": nullable(enumeration(WorkState.self)), "doneChecks": ["type": "array", "items": ["type": "boolean"]],
            "version": version, "assigneeId": nullableString,
        ], required: ["id", "ref", "title", "status", "estimate", "workState", "version"]),
        "Sprint": object([
            "id": string, "teamId": string, "productId": string, "number": integer, "state": enumeration(SprintState.self),
            "startDate": calendarDate, "endDate": calendarDate, "goal": nullableString, "productGoalId": nullableString,
            "overdue": ["type": "boolean"], "workingDays": integer, "version": version, "createdAt": dateTime,
            "startedAt": nullable(dateTime), "closedAt": nullable(dateTime), "goalMet": ["type": ["boolean", "null"]],
            "closeNote": nullableString, "carryOver": nullable(enumeration(CarryOver.self)),
            "figures": ["oneOf": [ref("SprintFigures"), ["type": "null"]]], "items": ["type": "array", "items": ref("SprintItem")],
        ], required: ["id", "teamId", "number", "state", "startDate", "endDate", "goal", "overdue", "workingDays", "version", "figures", "items"]),
        "SprintList": list("Sprint"),
        "CapacityInput": input([
            "members": ["type": "array", "items": object([
                "userId": string, "daysAvailable": ["type": "number", "minimum": 0, "maximum": .number(Double(SprintTimebox.maximumDays))],
            ], required: ["userId", "daysAvailable"])],
            "focusFactor": ["type": "number", "exclusiveMinimum": 0, "maximum": 1],
        ], required: ["members"]),
        "Capacity": object([
            "sprintId": string, "members": ["type": "array", "items": object(["userId": string, "displayName": string, "daysAvailable": number], required: ["userId", "displayName", "daysAvailable"])],
            "focusFactor": nullableNumber, "workingDays": integer, "personDays": number, "focusedPersonDays": number,
            "source": ["type": "string", "enum": ["recorded", "developers"]],
        ], required: ["sprintId", "members", "focusFactor", "workingDays", "personDays", "focusedPersonDays", "source"]),
        "Planning": object([
            "sprintId": string, "committedPoints": number, "capacityPoints": nullableNumber, "basis": string,
            "warning": ["type": ["string", "null"], "enum": ["overcommitted", .null]], "personDays": number, "workingDays": integer,
            "basisSprints": ["type": "array", "items": object(["number": integer, "donePoints": number, "personDays": number], required: ["number", "donePoints", "personDays"])],
        ], required: ["committedPoints", "capacityPoints", "basis", "warning"]),
        "SprintItemInput": input([
            "itemId": ["type": "string", "minLength": 1, "maxLength": 200], "override": ["type": "boolean"], "reason": InputRules.reason.schema,
        ], required: ["itemId"]),
        "SprintStart": input(["goal": InputRules.sprintGoal.schema], required: []),
        "SprintClose": input([
            "goalMet": ["type": "boolean"], "note": InputRules.note.schema, "carryOver": enumeration(CarryOver.self),
        ], required: ["goalMet", "note"]),
        "SprintCancel": input(["reason": InputRules.reason.schema], required: ["reason"]),
        "Velocity": object([
            "teamId": string,
            "sprints": ["type": "array", "items": object([
                "id": string, "number": integer, "goal": nullableString, "startDate": calendarDate, "endDate": calendarDate,
                "committedPoints": number, "addedPoints": number, "removedPoints": number, "donePoints": number, "goalMet": ["type": "boolean"],
                "carriedOverItems": integer, "carriedOverPoints": number, "personDays": number, "availableDays": number, "imported": ["type": "boolean"], "externalName": nullableString,
            ], required: ["number", "goal", "committedPoints", "addedPoints", "donePoints", "goalMet", "carriedOverItems", "carriedOverPoints"])],
            "summary": object([
                "sprints": integer, "medianDonePoints": nullableNumber, "lowestDonePoints": nullableNumber, "highestDonePoints": nullableNumber,
                "interquartileRange": nullableNumber, "sayDoRatio": nullableNumber,
            ], required: ["sprints", "medianDonePoints", "sayDoRatio"]),
            "median": nullableNumber, "sayDoRatio": nullableNumber,
            "spread": object(["lowest": nullableNumber, "highest": nullableNumber, "interquartileRange": nullableNumber], required: ["lowest", "highest", "interquartileRange"]),
        ], required: ["sprints", "summary", "median", "spread", "sayDoRatio"]),
        "SprintRecord": object([
            "sprintId": string,
            "events": ["type": "array", "items": object([
                "kind": enumeration(SprintEventKind.self), "itemId": string, "ref": string, "title": string, "points": number,
                "previousPoints": number, "day": calendarDate, "note": nullableString, "by": ["oneOf": [ref("PersonRef"), ["type": "null"]]],
            ], required: ["kind", "itemId", "ref", "points", "day"])],
            "burndown": ["type": "array", "items": object(["day": calendarDate, "remainingPoints": number], required: ["day", "remainingPoints"])],
            "days": ["type": "array", "items": ref("BurndownDay")],
            "ideal": ["type": "array", "items": object(["date": calendarDate, "working": ["type": "boolean"], "idealPoints": number], required: ["date", "working", "idealPoints"])],
        ], required: ["sprintId", "events", "burndown", "days"]),
        "ReviewInput": object([
            "invitees": ["type": "array", "items": InputRules.email.schema, "maxItems": 100], "notes": longText,
        ], required: ["invitees", "notes"]),
        "Review": object([
            "sprintId": string, "notes": string,
            "invitees": ["type": "array", "items": object([
                "userId": string, "displayName": string, "email": string, "addedAsStakeholder": ["type": "boolean"],
            ], required: ["userId", "displayName", "email", "addedAsStakeholder"])],
            "recordedBy": ["oneOf": [ref("PersonRef"), ["type": "null"]]], "recordedAt": dateTime,
        ], required: ["sprintId", "notes", "invitees", "recordedAt"]),
        "FeedbackInput": input(["text": InputRules.feedback.schema, "itemId": ["type": "string", "minLength": 1, "maxLength": 200]], required: ["text"]),
        "Feedback": object([
            "id": string, "productId": string, "text": string, "itemId": nullableString, "state": enumeration(FeedbackState.self),
            "givenBy": ["oneOf": [ref("PersonRef"), ["type": "null"]]], "createdAt": dateTime, "createdItemId": nullableString,
            "ref": nullableString, "reason": nullableString, "decidedBy": ["oneOf": [ref("PersonRef"), ["type": "null"]]],
            "decidedAt": nullable(dateTime),
        ], required: ["id", "productId", "text", "state", "createdAt", "ref", "reason"]),
        "FeedbackList": list("Feedback"),
        "FeedbackDecline": object(["reason": InputRules.reason.schema], required: ["reason"]),
        "RetrospectiveNoteInput": object(["kind": enumeration(RetrospectiveNoteKind.self), "text": InputRules.retrospectiveText.schema], required: ["kind", "text"]),
        "RetrospectiveNote": object([
            "id": string, "kind": enumeration(RetrospectiveNoteKind.self), "text": string,
            "author": ["oneOf": [ref("PersonRef"), ["type": "null"]]], "createdAt": dateTime,
        ], required: ["id", "kind", "text", "createdAt"]),
        "ImprovementActionInput": object(["text": InputRules.retrospectiveText.schema, "ownerId": string], required: ["text", "ownerId"]),
        "ImprovementActionChange": object(["state": enumeration(ImprovementActionState.self)], required: ["state"]),
        "ImprovementAction": object([
            "id": string, "sprintId": string, "sprintNumber": integer, "text": string, "owner": ["oneOf": [ref("PersonRef"), ["type": "null"]]],
            "state": enumeration(ImprovementActionState.self), "createdAt": dateTime, "doneAt": nullable(dateTime), "carriedSprints": integer,
        ], required: ["id", "sprintId", "text", "owner", "state", "carriedSprints"]),
        "Retrospective": object([
            "sprintId": string, "notes": ["type": "array", "items": ref("RetrospectiveNote")],
            "actions": ["type": "array", "items": ref("ImprovementAction")], "carriedActions": ["type": "array", "items": ref("ImprovementAction")],
        ], required: ["sprintId", "notes", "actions", "carriedActions"]),
    ]

    static let sprintLinks: [String: (operation: String, parameters: [String: String])] = [
        "GetSprint": ("getSprint", ["sprintId": "$response.body#/id"]),
        "UpdateSprint": ("updateSprint", ["sprintId": "$response.body#/id"]),
        "SetCapacity": ("setCapacity", ["sprintId": "$response.body#/id"]),
        "GetPlanning": ("getSprintPlanning", ["sprintId": "$response.body#/id"]),
        "GetBurndown": ("getBurndown", ["sprintId": "$response.body#/id"]),
        "GetBurndownChart": ("getBurndownChart", ["sprintId": "$response.body#/id"]),
        "GetRecord": ("getSprintRecord", ["sprintId": "$response.body#/id"]),
        "AddSprintItem": ("addSprintItem", ["sprintId": "$response.body#/id"]),
        "StartSprint": ("startSprint", ["sprintId": "$response.body#/id"]),
        "CloseSprint": ("closeSprint", ["sprintId": "$response.body#/id"]),
        "CancelSprint": ("cancelSprint", ["sprintId": "$response.body#/id"]),
    ]

    static let sprintPaths: [String: JSONValue] = [
        "/api/v1/sprints/{sprintId}/review": [
            "get": operation("The recorded Sprint Review", id: "getReview", params: [pathParam("sprintId")], responses: ["200": ok("The review.", "Review")]),
            "post": operation("Record the review and who was invited (Product Owner, Scrum Master)", id: "recordReview", params: [pathParam("sprintId")],
                              body: body("ReviewInput", example: ["invitees": [], "notes": "Showed the forecast chart"]),
                              responses: [
                                  "201": ok("The review; invitees new to the product became stakeholders.", "Review"),
                                  "409": error("The sprint has not started (`sprint_not_started`)."),
                                  "422": error("A bad field, or an invitee without an account (`unknown_invitee`)."),
                              ]),
        ],
        "/api/v1/products/{productId}/feedback": [
            "get": operation("The feedback inbox (the Product Owner sees all; others their own)", id: "listFeedback",
                             params: [pathParam("productId"), queryParam("state", "Only feedback in this state; empty or left out for all.", schema: QueryFilter.schema(one: FeedbackState.self))],
                             responses: ["200": ok("The feedback, newest first.", "FeedbackList")]),
            "post": operation("Give feedback (any member, stakeholders included)", id: "giveFeedback", params: [pathParam("productId")],
                              body: body("FeedbackInput", example: ["text": "The forecast should show the release date range"]),
                              responses: [
                                  "201": ok("The feedback, waiting for the Product Owner.", "Feedback", links: [
                                      "AcceptFeedback": ("acceptFeedback", ["feedbackId": "$response.body#/id"]),
                                      "DeclineFeedback": ("declineFeedback", ["feedbackId": "$response.body#/id"]),
                                  ]),
                                  "422": error("A bad field, or an item not of this backlog (`unknown_item`)."),
                              ]),
        ],
        "/api/v1/feedback/{feedbackId}/accept": [
            "post": operation("Accept feedback into the backlog (Product Owner only)", id: "acceptFeedback", params: [pathParam("feedbackId")],
                              responses: ["200": ok("The feedback with the new item's `ref`.", "Feedback"), "409": error("Already decided (`feedback_decided`).")]),
        ],
        "/api/v1/feedback/{feedbackId}/decline": [
            "post": operation("Decline feedback with a reason (Product Owner only)", id: "declineFeedback", params: [pathParam("feedbackId")],
                              body: body("FeedbackDecline", example: ["reason": "Out of scope for the Product Goal"]),
                              responses: ["200": ok("The feedback.", "Feedback"), "409": error("Already decided (`feedback_decided`).")]),
        ],
        "/api/v1/sprints/{sprintId}/retrospective": [
            "get": operation("The retrospective: notes, actions, and open actions carried from earlier sprints", id: "getRetrospective",
                             params: [pathParam("sprintId")], responses: ["200": ok("The retrospective.", "Retrospective")]),
        ],
        "/api/v1/sprints/{sprintId}/retrospective/notes": [
            "post": operation("Add a retrospective note (the team's Scrum Team)", id: "addRetrospectiveNote", params: [pathParam("sprintId")],
                              body: body("RetrospectiveNoteInput", example: ["kind": "helped", "text": "Pairing on the forecast"]),
                              responses: ["201": ok("The note.", "RetrospectiveNote")]),
        ],
        "/api/v1/sprints/{sprintId}/retrospective/actions": [
            "post": operation("Agree an improvement action with an owner", id: "addImprovementAction", params: [pathParam("sprintId")],
                              body: body("ImprovementActionInput", example: ["text": "Refine on Wednesdays", "ownerId": "someone"]),
                              responses: [
                                  "201": ok("The action.", "ImprovementAction", links: ["SetActionState": ("setImprovementActionState", ["actionId": "$response.body#/id"])]),
                                  "422": error("A bad field, or an owner outside the team's Scrum Team (`not_a_team_member`)."),
                              ]),
        ],
        "/api/v1/improvement-actions/{actionId}": [
            "patch": operation("Mark an action done or open (its owner, the team's Scrum Master)", id: "setImprovementActionState", params: [pathParam("actionId")],
                               body: body("ImprovementActionChange", example: ["state": "done"]), responses: ["200": ok("The action.", "ImprovementAction")]),
        ],
        "/api/v1/teams/{teamId}/calendar": [
            "get": operation("The team's working calendar", id: "getTeamCalendar", params: [pathParam("teamId")], responses: ["200": ok("The calendar.", "TeamCalendar")]),
            "put": operation("Set the time zone, working weekdays and non-working dates (Scrum Master, Product Owner)", id: "setTeamCalendar",
                             params: [pathParam("teamId")],
                             body: body("TeamCalendarInput", example: ["timeZone": "Europe/Berlin", "workingWeekdays": ["monday", "tuesday", "wednesday", "thursday", "friday"], "nonWorkingDates": ["2026-12-25"]]),
                             responses: ["200": ok("The calendar.", "TeamCalendar")]),
        ],
        "/api/v1/teams/{teamId}/sprints": [
            "get": operation("The team's sprints, newest first", id: "listSprints",
                             params: [pathParam("teamId"), queryParam("state", "Only sprints in this state; empty or left out for all.", schema: QueryFilter.schema(one: SprintState.self))],
                             responses: ["200": ok("The sprints.", "SprintList")]),
            "post": operation("Plan a sprint", id: "createSprint", params: [pathParam("teamId")],
                              body: body("NewSprint", example: ["startDate": "2027-01-04", "endDate": "2027-01-15", "goal": "Stakeholders see the release forecast"]),
                              responses: [
                                  "201": ok("The planned sprint.", "Sprint", links: sprintLinks),
                                  "422": error("A bad field, a timebox outside 1 to 28 days (`invalid_timebox`) or dates overlapping another sprint (`sprint_overlap`)."),
                              ]),
        ],
        "/api/v1/teams/{teamId}/velocity": [
            "get": operation("Closed sprints with commitment, additions, done points and outcome", id: "getVelocity", params: [pathParam("teamId")],
                             responses: ["200": ok("The velocity.", "Velocity")]),
        ],
        "/api/v1/sprints/{sprintId}": [
            "get": operation("A sprint with its items and figures", id: "getSprint", params: [pathParam("sprintId")], responses: ["200": ok("The sprint.", "Sprint")]),
            "patch": operation("Change a planned sprint's dates or goal", id: "updateSprint", params: [pathParam("sprintId")],
                               body: body("SprintChange", example: ["goal": "Stakeholders see the release forecast"]),
                               responses: ["200": ok("The sprint.", "Sprint"), "409": error("The sprint started (`sprint_not_planned`) or changed meanwhile (`version_conflict`).")]),
        ],
        "/api/v1/sprints/{sprintId}/capacity": [
            "get": operation("The capacity recorded for a sprint", id: "getCapacity", params: [pathParam("sprintId")], responses: ["200": ok("The capacity.", "Capacity")]),
            "put": operation("Record who is available for how many days", id: "setCapacity", params: [pathParam("sprintId")],
                             body: body("CapacityInput", example: ["members": [], "focusFactor": .number(0.8)]),
                             responses: ["200": ok("The capacity.", "Capacity"), "409": error("The sprint has ended (`sprint_closed`).")]),
        ],
        "/api/v1/sprints/{sprintId}/planning": [
            "get": operation("The commitment against the capacity the team's last three sprints support", id: "getSprintPlanning", params: [pathParam("sprintId")],
                             responses: ["200": ok("The planning figures.", "Planning")]),
        ],
        "/api/v1/sprints/{sprintId}/record": [
            "get": operation("Everything that happened to the sprint's items since the start, and the burndown", id: "getSprintRecord", params: [pathParam("sprintId")],
                             responses: ["200": ok("The record.", "SprintRecord")]),
        ],
        "/api/v1/sprints/{sprintId}/items": [
            "post": operation("Add an item to the Sprint Backlog", id: "addSprintItem", params: [pathParam("sprintId")],
                              body: body("SprintItemInput", example: ["itemId": "ATL-1"]),
                              responses: [
                                  "201": ok("The item in the sprint.", "SprintItem"),
                                  "409": error("The sprint has ended (`sprint_closed`)."),
                                  "422": error("The item is not ready (`item_not_ready`; override with a reason), finished, or in another sprint."),
                              ]),
        ],
        "/api/v1/sprints/{sprintId}/items/{itemId}": [
            "delete": operation("Take an item out of the Sprint Backlog", id: "removeSprintItem", params: [pathParam("sprintId"), pathParam("itemId")],
                                responses: ["204": noContent, "409": error("The sprint has ended (`sprint_closed`).")]),
        ],
        "/api/v1/sprints/{sprintId}/start": [
            "post": operation("Start the sprint and freeze its commitment", id: "startSprint", params: [pathParam("sprintId")],
                              body: body("SprintStart", example: ["goal": "Stakeholders see the release forecast"]),
                              responses: [
                                  "200": ok("The running sprint.", "Sprint"), "409": error("The sprint is not planned (`sprint_not_planned`)."),
                                  "422": error("No Sprint Goal (`sprint_goal_required`), or another sprint runs (`active_sprint_exists`)."),
                              ]),
        ],
        "/api/v1/sprints/{sprintId}/close": [
            "post": operation("Close the running sprint; unfinished items are carried over", id: "closeSprint", params: [pathParam("sprintId")],
                              body: body("SprintClose", example: ["goalMet": true, "note": "The forecast is live", "carryOver": "top"]),
                              responses: [
                                  "200": ok("The closed sprint with its frozen figures.", "Sprint"), "409": error("The sprint is not running (`sprint_not_active`)."),
                                  "422": error("A bad field, or `nextSprint` with no planned sprint (`no_next_sprint`)."),
                              ]),
        ],
        "/api/v1/sprints/{sprintId}/cancel": [
            "post": operation("Cancel a sprint (Product Owner only); its items return to the backlog", id: "cancelSprint", params: [pathParam("sprintId")],
                              body: body("SprintCancel", example: ["reason": "The market moved; the Sprint Goal is obsolete"]),
                              responses: ["200": ok("The cancelled sprint.", "Sprint"), "409": error("The sprint has ended (`sprint_closed`).")]),
        ],
    ]
}
