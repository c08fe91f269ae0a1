import TandemCore

/// Burndown, burnup, forecasts, the journal and the charts in the OpenAPI document.
extension OpenAPIDocument {
    static let levels: JSONValue = object(["50": number, "85": number, "95": number], required: ["50", "85", "95"])
    static let svg: JSONValue = ["description": "The chart as SVG: a title, axis labels, a legend and one group per series.",
                                 "content": ["image/svg+xml": ["schema": ["type": "string"]]]]

    static let planningSchemas: [String: JSONValue] = [
        "BurndownDay": object([
            "date": calendarDate, "working": ["type": "boolean"], "remainingPoints": number, "idealPoints": number, "addedPoints": number, "removedPoints": number,
        ], required: ["date", "working", "remainingPoints", "idealPoints", "addedPoints", "removedPoints"]),
        "Burndown": object([
            "sprintId": string, "number": integer, "state": enumeration(SprintState.self), "committedPoints": number,
            "days": ["type": "array", "items": ref("BurndownDay")],
        ], required: ["sprintId", "committedPoints", "days"]),
        "Burnup": object([
            "releaseId": string, "name": string, "teamId": string,
            "sprints": ["type": "array", "items": object([
                "number": integer, "endDate": calendarDate, "donePoints": number, "scopePoints": number,
            ], required: ["number", "endDate", "donePoints", "scopePoints"])],
            "donePointsNow": number, "scopePointsNow": number,
            "forecast": ["oneOf": [ref("Forecast"), ["type": "null"]]], "forecastNote": nullableString,
        ], required: ["releaseId", "sprints", "donePointsNow", "scopePointsNow", "forecast", "forecastNote"]),
        "ForecastInput": input([
            "mode": enumeration(Forecasting.Mode.self), "teamId": string, "releaseId": string,
            "remainingPoints": ["type": "number", "minimum": 0, "maximum": 1_000_000], "remainingItems": ["type": "number", "minimum": 0, "maximum": 1_000_000],
            "byDate": calendarDate, "sprints": ["type": "integer", "minimum": 1, "maximum": .number(Double(Forecasting.maxSprints))],
            "unit": ["type": "string", "enum": ["points", "items"]], "history": ["type": "integer", "minimum": 3, "maximum": 50],
            "trials": ["type": "integer", "minimum": 1, "maximum": .number(Double(PlanningService.maxTrials))],
            "seed": ["type": "integer", "minimum": 0, "maximum": .number(Double(PlanningService.maxSeed))],
            "scopeGrowth": ["type": "boolean"],
            "splitRate": object(["low": ["type": "number", "minimum": 1, "maximum": 10], "high": ["type": "number", "minimum": 1, "maximum": 10]], required: ["low", "high"]),
            "save": ["type": "boolean"], "method": enumeration(Forecasting.Method.self),
        ], required: ["mode"]),
        "TrackRecord": object([
            "unit": ["type": "string", "enum": ["points"]], "horizonSprints": integer,
            "levels": ["type": "array", "items": object(["level": ["type": "integer", "enum": [50, 85, 95]], "met": integer, "of": integer], required: ["level", "met", "of"])],
            "basis": string,
        ], required: ["unit", "horizonSprints", "levels", "basis"]),
        "Forecast": object([
            "id": nullableString, "mode": enumeration(Forecasting.Mode.self), "teamId": string, "unit": string, "percentiles": levels,
            "dates": ["type": "object", "additionalProperties": calendarDate],
            "histogram": ["type": "array", "items": object(["value": number, "trials": integer], required: ["value", "trials"])],
            "trials": integer, "seed": integer,
            "basis": object([
                "sprints": ["type": "array", "items": object(["number": integer, "endDate": calendarDate, "value": number], required: ["number", "value"])],
                "sprintLengthDays": integer, "countedFrom": calendarDate, "scopeGrowth": ["type": "array", "items": number],
            ], required: ["sprints", "sprintLengthDays", "countedFrom"]),
            "remaining": nullableNumber, "sprints": ["type": ["integer", "null"]], "byDate": nullableString, "releaseId": nullableString,
            "scopeGrowth": ["type": "boolean"], "splitRate": ["oneOf": [object(["low": number, "high": number], required: ["low", "high"]), ["type": "null"]]],
            "horizonEnd": calendarDate, "about": string, "method": enumeration(Forecasting.Method.self),
        ], required: ["mode", "teamId", "percentiles", "dates", "histogram", "trials", "seed", "basis"]),
        "ForecastJournal": object([
            "items": ["type": "array", "items": object([
                "id": string, "createdAt": dateTime, "createdBy": person, "mode": enumeration(Forecasting.Mode.self), "teamId": string,
                "releaseId": nullableString, "unit": string, "percentiles": levels, "about": string, "method": enumeration(Forecasting.Method.self), "forecast": ["type": "object"],
                "status": ["type": "string", "enum": ["waiting", "known"]],
                "outcome": ["oneOf": [object([
                    "value": number, "within": ["type": "object", "additionalProperties": ["type": "boolean"]], "basis": string,
                ], required: ["value", "within", "basis"]), ["type": "null"]]],
            ], required: ["id", "mode", "percentiles", "about", "status", "outcome"])],
            "calibration": object([
                "known": integer, "within": ["type": "object", "additionalProperties": integer],
                "share": ["type": "object", "additionalProperties": nullableNumber],
            ], required: ["known", "within", "share"]),
        ], required: ["items", "calibration"]),
    ]

    static let planningPaths: [String: JSONValue] = [
        "/api/v1/sprints/{sprintId}/burndown": [
            "get": operation("Remaining points per day against the ideal line, with the day's scope changes, from the sprint's record", id: "getBurndown",
                             params: [pathParam("sprintId")], responses: ["200": ok("The burndown.", "Burndown")]),
        ],
        "/api/v1/sprints/{sprintId}/burndown.svg": [
            "get": operation("The burndown chart", id: "getBurndownChart", params: [pathParam("sprintId")], responses: ["200": svg]),
        ],
        "/api/v1/releases/{releaseId}/burnup": [
            "get": operation("Done and total scope per closed sprint, and the forecast of the rest", id: "getBurnup",
                             params: [pathParam("releaseId"), queryParam("teamId", "The team, when the product has several.")],
                             responses: ["200": ok("The burnup.", "Burnup"), "422": error("Several teams and none named (`team_required`), or an unknown team (`unknown_team`).")]),
        ],
        "/api/v1/releases/{releaseId}/burnup.svg": [
            "get": operation("The burnup chart with the forecast cone", id: "getBurnupChart",
                             params: [pathParam("releaseId"), queryParam("teamId", "The team, when the product has several.")], responses: ["200": svg]),
        ],
        "/api/v1/teams/{teamId}/velocity.svg": [
            "get": operation("The velocity chart: committed and done per sprint, the median", id: "getVelocityChart", params: [pathParam("teamId")], responses: ["200": svg]),
        ],
        "/api/v1/products/{productId}/forecasts": [
            "post": operation("A Monte Carlo forecast: when the work is done, or how much gets done, at 50/85/95% confidence", id: "forecast",
                              params: [pathParam("productId")],
                              body: body("ForecastInput", example: ["mode": "when", "remainingPoints": 120, "seed": 42]),
                              responses: [
                                  "200": ok("The forecast.", "Forecast"),
                                  "201": ok("The forecast, saved to the journal.", "Forecast", links: [
                                      "GetForecastHistogram": ("getForecastHistogram", ["forecastId": "$response.body#/id"]),
                                  ]),
                                  "422": error("A bad field; fewer than three closed sprints (`not_enough_history`); no finish within 200 sprints (`no_forecast`); several teams and none named (`team_required`)."),
                              ]),
            "get": operation("The forecast journal: saved forecasts, their outcomes once known, and the calibration so far", id: "getForecastJournal",
                             params: [pathParam("productId")], responses: ["200": ok("The journal.", "ForecastJournal")]),
        ],
        "/api/v1/teams/{teamId}/forecast-track-record": [
            "get": operation("How the team's calibrated forecasts would have fared on its own closed sprints (a rolling back-test)", id: "getForecastTrackRecord",
                             params: [pathParam("teamId"), queryParam("horizon", "Sprints ahead, 1 to 6 (default 3).", schema: ["type": "integer", "minimum": 1, "maximum": 6])],
                             responses: ["200": ok("The track record.", "TrackRecord")]),
        ],
        "/api/v1/forecasts/{forecastId}/histogram.svg": [
            "get": operation("A saved forecast's histogram with the 50/85/95% levels", id: "getForecastHistogram", params: [pathParam("forecastId")], responses: ["200": svg]),
        ],
    ]
}
