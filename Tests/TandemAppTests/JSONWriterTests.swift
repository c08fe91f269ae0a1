import Foundation
import Testing
@testable import TandemApp
import TandemCore

/// The hand-written JSON of the backlog answers must be byte-for-byte what `JSONEncoder` writes.
@Suite("JSON writer")
struct JSONWriterTests {
    static func item(_ title: String, estimate: Double?, wsjf: Double?, empty: Bool) -> ItemDTO {
        ItemDTO(
            id: "7c1f0e5a-0000-4000-8000-000000000001", ref: "ATL-12", productId: "p/1", title: title, kind: .bug, status: .planned,
            refinement: .estimated, estimate: estimate, rank: "a0V", version: 9_007_199_254_740_991,
            warnings: empty ? [] : [
                ItemWarning(code: "ordered_above_blocker", message: "Ordered above ATL-3, which blocks it.", blockerId: "b1", blockerRef: "ATL-3"),
                ItemWarning(code: "plain", message: "no blocker"),
            ],
            description: "Line one\nline \"two\"\t\\ tab\u{0001}\u{001F} / slash 🚀 é\u{2028}",
            acceptanceCriteria: empty ? "" : "Given </script>\r\nThen &amp;",
            readiness: empty ? [] : [true, false, true],
            businessValue: empty ? nil : 7, timeCriticality: empty ? nil : 1, riskReduction: empty ? nil : 10, wsjf: wsjf,
            parentId: empty ? nil : "parent", declineReason: empty ? nil : "Not now — later?",
            blockedBy: empty ? [] : [ItemRefDTO(id: "b1", ref: "ATL-3", title: "Blocker \"x\"", status: .open)],
            blocks: empty ? [] : [ItemRefDTO(id: "c1", ref: "ATL-4", title: "Blocked", status: .done)],
            createdBy: empty ? nil : PersonRef(id: "u1", displayName: "Paula O'Owner"),
            createdAt: Date(timeIntervalSince1970: 1_764_100_000.123), updatedAt: Date(timeIntervalSince1970: 1_764_100_001)
        )
    }

    @Test(arguments: [
        (Optional(5.0), Optional(2.33)), (0.5, 0.01), (100, 1e-7), (nil, nil), (0, 30.0), (13, 1234567.89),
    ] as [(Double?, Double?)])
    func writesWhatJSONEncoderWrites(estimate: Double?, wsjf: Double?) throws {
        for empty in [false, true] {
            let page = Page(items: [Self.item("Löwe \"quoted\"", estimate: estimate, wsjf: wsjf, empty: empty), Self.item("B", estimate: nil, wsjf: nil, empty: !empty)],
                            nextCursor: empty ? nil : "cjphMFY")
            let expected = try JSONBody.encoder.encode(page)
            var writer = JSONWriter()
            page.write(to: &writer)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        }
    }

    @Test func datesAreWrittenAsTheEncoderWritesThem() {
        for seconds in [0, 1.5, 1_764_100_000.123, 1_764_100_000.999, 951_782_400.007, 4_102_444_799.9] {
            let date = Date(timeIntervalSince1970: seconds)
            var bytes: [UInt8] = []
            ISO8601UTC.write(date, into: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == ISO8601UTC.string(date))
        }
    }

    @Test func ticksAreReadWithoutTheDecoderAndAgreeWithIt() throws {
        let texts = [
            "[]", #"["Small enough"]"#, #"["a","b","c"]"#, #"["",""]"#, #"[ "a" , "b" ]"#, #"["say \"ready\"","x"]"#,
            #"["a\/b"]"#, #"["a","b"#, #"["a"b"]"#, #"["a",1]"#, "not json", "[true]", #"["é", "日本"]"#, #"["a","#, "[", #"[""#,
        ]
        for text in texts {
            let expected = try? JSONDecoder().decode([String].self, from: Data(text.utf8))
            #expect((try? JSONText.strings(text)) == expected, "\(text)")
        }
        let entries = ["Acceptance criteria / examples", #"Says "why""#, "Ünïcode", "a,b"]
        #expect(try JSONText.strings(JSONText.encode(entries)) == entries, "what is written reads back")
    }
}
