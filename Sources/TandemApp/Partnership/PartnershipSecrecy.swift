import SQLKit

/// Which of the partnership's rows every member may see, for whole-product exports: a health check's answers only
/// once both sides have answered (each side answers without seeing the other's).
enum PartnershipSecrecy {
    static let shownRows: [String: SQLQueryString] = [
        "partnership_responses": "check_id IN (SELECT id FROM partnership_checks WHERE completed_at IS NOT NULL)",
    ]
}
