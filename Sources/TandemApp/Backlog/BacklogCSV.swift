import Foundation
import Hummingbird
import TandemCore

/// The backlog as it is filtered, as a spreadsheet-ready CSV (UTF-8 with a byte-order mark, formula-looking cells
/// neutralised): in backlog order (or WSJF order when asked), every matching item, read and written 200 at a time
/// so a 100,000-item backlog downloads in bounded memory.
enum BacklogCSV {
    static let columns = [
        "Position", "Ref", "Title", "Kind", "Status", "Refinement", "Estimate", "WSJF", "Business value", "Time criticality", "Risk reduction",
        "Blocked by", "Blocks", "Work state", "Declined because", "Created by", "Created at", "Updated at", "Description", "Acceptance criteria",
    ]
    static let pageSize = 200

    static func wanted(_ request: Request) -> Bool {
        (request.headers[.accept] ?? "").split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("text/csv") }
    }

    /// The download; the first page is read before answering, so a refusal is an ordinary error answer.
    static func response(items: BacklogItems, access: ProductAccess, query: BacklogItems.BacklogQuery) async throws -> Response {
        var query = query
        query.limit = pageSize
        let first = try await items.backlog(access: access, query: query)
        let day = ISO8601UTC.string(Date()).prefix(10)
        let headers: HTTPFields = [
            .contentType: "text/csv; charset=utf-8", .cacheControl: "private, no-store",
            .contentDisposition: "attachment; filename=\"\(access.product.key)-backlog-\(day).csv\"",
        ]
        return Response(status: .ok, headers: headers, body: ResponseBody { [query] writer in
            try await writer.write(ByteBuffer(string: CSVWriter.byteOrderMark + CSVWriter.row(columns)))
            var page = first, position = 0, next = query
            while true {
                var text = ""
                for item in page.items {
                    position += 1
                    text += row(item, position: position)
                }
                try await writer.write(ByteBuffer(string: text))
                guard let cursor = page.nextCursor else { break }
                next.cursor = cursor
                page = try await items.backlog(access: access, query: next)
            }
            try await writer.finish(nil)
        })
    }

    static func row(_ item: ItemDTO, position: Int) -> String {
        func refs(_ list: [ItemRefDTO]) -> String { list.map(\.ref).joined(separator: " ") }
        func number(_ value: Int?) -> String { value.map(String.init) ?? "" }
        return CSVWriter.row([
            String(position), item.ref, item.title, item.kind.rawValue, item.status.rawValue, item.refinement.rawValue,
            CSVWriter.number(item.estimate), CSVWriter.number(item.wsjf), number(item.businessValue), number(item.timeCriticality), number(item.riskReduction),
            refs(item.blockedBy), refs(item.blocks), item.workState?.rawValue ?? "", item.declineReason ?? "", item.createdBy?.displayName ?? "",
            ISO8601UTC.string(item.createdAt), ISO8601UTC.string(item.updatedAt), item.description, item.acceptanceCriteria,
        ].map(CSVWriter.cell))
    }
}
