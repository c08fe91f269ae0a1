import Testing
import TandemCore

@Suite("Domain errors speak to people")
struct DomainErrorTests {
    @Test(arguments: [
        ("title", "must be 1 to 200 characters long", "The title must be 1 to 200 characters long."),
        ("items[2]", "must not be empty", "Entry 3 of the Definition of Ready must not be empty."),
        ("blockedBy", "Choose an item of this backlog as the blocker.", "Choose an item of this backlog as the blocker."),
        ("somethingNew", "is odd", "somethingNew is odd."),
    ])
    func messagesNameTheFieldInWords(field: String, reason: String, message: String) {
        let error = DomainError.invalid(field: field, reason)
        #expect(error.message == message)
        #expect(error.field == field)
        #expect(error.code == "validation_failed")
        #expect(error.kind == .invalid)
    }

    @Test func aFieldViolationKeepsItsField() {
        let error = DomainError.invalid(FieldViolation(field: "key", reason: "must be 2 to 10 characters long"))
        #expect(error.message == "The key must be 2 to 10 characters long.")
        #expect(error.field == "key")
    }
}
