import SQLKit

/// Which of the backlog's rows every member may see, for whole-product exports: a planning-poker vote only once
/// its round is revealed (before that, seeing the others' numbers would anchor the estimate).
enum BacklogSecrecy {
    static let shownRows: [String: SQLQueryString] = [
        "estimation_votes": "round_id IN (SELECT id FROM estimation_rounds WHERE revealed_at IS NOT NULL)",
    ]
}
