import Domain
import Foundation
import Testing

/// The reference: what the `JSONDecoder` path (`NoticeCoding.decode`) makes of a notice.
private func referenceNotice(_ text: String) -> StatusNotice? {
    struct Wire: Decodable {
        var orderId: String
        var seq: Int
        var status: OrderStatus
        var at: String
        var eventId: String?
    }
    guard let wire = try? JSONDecoder().decode(Wire.self, from: Data(text.utf8)), let at = Timestamp.parse(wire.at) else { return nil }
    return StatusNotice(orderId: wire.orderId, seq: wire.seq, status: wire.status, at: at, eventId: wire.eventId)
}

/// A notice as the relays write it: keys sorted, no spaces.
private func written(_ notice: StatusNotice) -> String {
    var json = "{\"at\":\"\(Timestamp.format(notice.at))\""
    if let eventId = notice.eventId { json += ",\"eventId\":" + JSONText.quoted(eventId) }
    json += ",\"orderId\":" + JSONText.quoted(notice.orderId)
    json += ",\"seq\":\(notice.seq),\"status\":\"\(notice.status.rawValue)\"}"
    return json
}

private let sampleNotices: [StatusNotice] = OrderStatus.allCases.enumerated().map { index, status in
    StatusNotice(orderId: OrderID.make(), seq: index + 1, status: status, at: Date(timeIntervalSince1970: 1_700_000_000.123 + Double(index)),
                 eventId: index.isMultiple(of: 2) ? OrderID.make() : nil)
} + awkwardStrings.map { text in
    StatusNotice(orderId: text, seq: Int.max, status: .baking, at: Date(timeIntervalSince1970: 0), eventId: text)
}

@Suite("Notice fast decoder")
struct NoticeFastDecoderTests {
    @Test("notices as the relays write them take the fast path, to the same notice", arguments: sampleNotices)
    func writtenNotices(_ notice: StatusNotice) throws {
        let text = written(notice)
        let fast = try #require(NoticeFastDecoder.notice(from: text))
        #expect(fast == referenceNotice(text))
        #expect(fast.orderId == notice.orderId && fast.seq == notice.seq && fast.status == notice.status && fast.eventId == notice.eventId)
    }

    @Test("other spellings of the same notice: spaces, any key order, null or absent eventId, unknown members", arguments: [
        #" { "status" : "ready" , "seq" : 4 , "orderId" : "o-1" , "at" : "2026-11-23T10:00:00.250Z" } "#,
        #"{"orderId":"o-1","seq":4,"status":"ready","at":"2026-11-23T10:00:00Z","eventId":null}"#,
        #"{"orderId":"o-1","seq":4,"status":"ready","at":"2026-11-23T10:00:00Z","extra":{"a":[1,2.5e3,true,null]}}"#,
        #"{"orderId":"o\u002d1","seq":-4,"status":"ready","at":"2026-11-23T10:00:00Z","eventId":"e\"1"}"#,
    ])
    func otherSpellings(_ text: String) throws {
        let fast = try #require(NoticeFastDecoder.notice(from: text))
        #expect(fast == referenceNotice(text))
    }

    @Test("anything else is left to JSONDecoder", arguments: [
        "", "{}", "[]", "null",
        #"{"orderId":"o-1","seq":4,"status":"lost","at":"2026-11-23T10:00:00Z"}"#,
        #"{"orderId":"o-1","seq":4.0,"status":"ready","at":"2026-11-23T10:00:00Z"}"#,
        #"{"orderId":"o-1","seq":"4","status":"ready","at":"2026-11-23T10:00:00Z"}"#,
        #"{"orderId":"o-1","seq":4,"status":"ready","at":"yesterday"}"#,
        #"{"orderId":"o-1","seq":4,"status":"ready"}"#,
        #"{"orderId":"o-1","orderId":"o-2","seq":4,"status":"ready","at":"2026-11-23T10:00:00Z"}"#,
        #"{"orderId":"o-1","seq":4,"status":"ready","at":"2026-11-23T10:00:00Z",}"#,
        #"{"orderId":"o-1","seq":4,"status":"ready","at":"2026-11-23T10:00:00Z"} x"#,
    ])
    func leftToJSONDecoder(_ text: String) {
        #expect(NoticeFastDecoder.notice(from: text) == nil)
    }

    @Test("fast and JSONDecoder paths agree on mutated notices")
    func mutations() {
        let seeds = sampleNotices.map { Array(written($0).utf8) }
        expectOnMutations(of: seeds, rounds: 1_000, seed: 0x0071_CE5) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            guard let fast = NoticeFastDecoder.notice(from: text) else { return false }
            #expect(fast == referenceNotice(text), "\(text)")
            return true
        }
    }
}
