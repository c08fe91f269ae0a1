import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// One Server-Sent Event as the wire carries it.
public struct ServerSentEvent: Sendable {
    public var id: String?
    public var event: String?
    /// One line of JSON (SSE data may not hold a raw newline; JSON writers escape them).
    public var data: String?
    /// A comment line, sent to keep a quiet stream open.
    public var comment: String?

    public init(id: String? = nil, event: String? = nil, data: String? = nil, comment: String? = nil) {
        self.id = id
        self.event = event
        self.data = data
        self.comment = comment
    }

    var bytes: ByteBuffer {
        var text = ""
        if let comment { text += ": \(comment)\n" }
        if let id { text += "id: \(id)\n" }
        if let event { text += "event: \(event)\n" }
        if let data {
            for line in data.split(separator: "\n", omittingEmptySubsequences: false) { text += "data: \(line)\n" }
        }
        text += "\n"
        return ByteBuffer(string: text)
    }
}

/// `text/event-stream` answers: each event written as it comes. Writing waits for the client (NIO's back
/// pressure), so a slow reader's events queue in its stream's bounded buffer, whose overflow ends the stream.
enum ServerSentEvents {
    static func response<Events: AsyncSequence & Sendable>(_ events: Events) -> Response
    where Events.Element == ServerSentEvent {
        let headers: HTTPFields = [
            .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache, no-transform",
            HTTPField.Name("X-Accel-Buffering")!: "no",
        ]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            // A first comment makes proxies and browsers see the stream open at once.
            try await writer.write(ServerSentEvent(comment: "stream open").bytes)
            for try await event in events { try await writer.write(event.bytes) }
            try await writer.finish(nil)
        })
    }

    /// Where a client resumes: `Last-Event-ID` (sent by browsers on reconnect) or `?after=`; absent means from now.
    static func resumeFrom(_ request: Request) throws -> Int64? {
        let raw = request.headers[HTTPField.Name("Last-Event-ID")!] ?? request.uri.queryParameters["after"].map(String.init)
        guard let raw, !raw.isEmpty else { return nil }
        guard let value = Int64(raw), value >= 0, value <= 9_007_199_254_740_991 else {
            throw APIError(.unprocessableContent, code: "validation_failed", message: "The event to resume after must be a change number (a whole number from 0).", field: "after")
        }
        return value
    }
}

/// Limits on open event streams, so neither one person nor many can hold the server's connections or memory.
public struct EventStreamLimits: Sendable {
    /// Open streams per person (`TANDEM_SSE_PER_PERSON`).
    public var perPerson = 10
    /// Open streams per process (`TANDEM_SSE_MAX`).
    public var perProcess = 1_000
    /// Events a stream may hold for a client that reads slower than the product changes; past it the stream ends
    /// and the client resumes from its last event.
    public var buffered = 512
    /// A comment line this often keeps proxies from closing a quiet stream; the stream also asks again then
    /// whether the person still may listen.
    public var keepAlive: Duration = .seconds(15)

    public init() {}
}
