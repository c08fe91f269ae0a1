import Foundation
import TandemCore

/// The backlog's most read answers written by hand (`JSONWriter`), byte for byte as `JSONBody.encoder` would.
extension ItemRefDTO: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.raw("{")
        json.key("id", first: true); json.string(id)
        json.key("ref"); json.string(ref)
        json.key("status"); json.string(status.rawValue)
        json.key("title"); json.string(title)
        json.raw("}")
    }
}

extension ItemWarning: JSONWritable {
    /// Optional members are left out when nil, as the synthesized `Encodable` does.
    func write(to json: inout JSONWriter) {
        json.raw("{")
        var first = true
        if let blockerId { json.key("blockerId", first: first); json.string(blockerId); first = false }
        if let blockerRef { json.key("blockerRef", first: first); json.string(blockerRef); first = false }
        json.key("code", first: first); json.string(code)
        json.key("message"); json.string(message)
        json.raw("}")
    }
}

extension ItemDTO: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.raw("{")
        json.key("acceptanceCriteria", first: true); json.string(acceptanceCriteria)
        json.key("assigneeId"); json.string(assigneeId)
        json.key("blockedBy"); json.array(blockedBy) { $0.value($1) }
        json.key("blocks"); json.array(blocks) { $0.value($1) }
        json.key("businessValue"); json.integer(businessValue)
        json.key("createdAt"); json.date(createdAt)
        json.key("createdBy"); if let createdBy { json.value(createdBy) } else { json.raw("null") }
        json.key("declineReason"); json.string(declineReason)
        json.key("description"); json.string(description)
        json.key("doneChecks"); json.array(doneChecks) { $0.bool($1) }
        json.key("estimate"); json.number(estimate)
        json.key("id"); json.string(id)
        json.key("kind"); json.string(kind.rawValue)
        json.key("parentId"); json.string(parentId)
        json.key("productGoalId"); json.string(productGoalId)
        json.key("productId"); json.string(productId)
        json.key("rank"); json.string(rank)
        json.key("readiness"); json.array(readiness) { $0.bool($1) }
        json.key("ref"); json.string(ref)
        json.key("refinement"); json.string(refinement.rawValue)
        json.key("releaseId"); json.string(releaseId)
        json.key("riskReduction"); json.integer(riskReduction)
        json.key("sprintId"); json.string(sprintId)
        json.key("status"); json.string(status.rawValue)
        json.key("timeCriticality"); json.integer(timeCriticality)
        json.key("title"); json.string(title)
        json.key("updatedAt"); json.date(updatedAt)
        json.key("version"); json.integer(version)
        json.key("warnings"); json.array(warnings) { $0.value($1) }
        json.key("workState"); json.string(workState?.rawValue)
        json.key("wsjf"); json.number(wsjf)
        json.raw("}")
    }
}
