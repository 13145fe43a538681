import Foundation
import Testing
@testable import Domain

// The hand-written fast path of EventCodec.decode against the JSONDecoder path it short-cuts
// (`EventCodec.decodeWithFoundation`, the reference): what the fast path accepts, JSONDecoder
// reads as the very same event; what it refuses, JSONDecoder decides, with the same error as ever.

/// Valid bodies written by hand: key order, whitespace, unknown members (some one letter off a known
/// key), nulls, escapes, escaped keys, timestamp spellings.
private let handWrittenBodies: [String] = [
    #"""
    {"type":"OrderStatusChanged","status":"baking","seq":3,"orderId":"order-42","occurredAt":"2025-11-23T10:21:00.125Z","eventId":"e-1"}
    """#,
    " \r\n\t{ \"eventId\" : \"e-1\" ,\n\t\"type\"\r\n:\t\"OrderStatusChanged\" , \"orderId\":\"o\", \"seq\" : 2 ,"
        + " \"occurredAt\" : \"2025-11-23T10:21:00.125Z\" , \"status\" :\"ready\" }\n\r\t ",
    #"""
    {"eventId":"e-1","type":"OrderStatusChanged","orderId":"order-42","seq":4,"occurredAt":"2025-11-23T10:21:00Z",
     "status":"delivered","driver":{"name":"Sam","shift":[1,2,{"x":null}],"rating":-4.5e+2,"ok":true,"late":false},
     "tags":[],"meta":{},"n":-0.0E-0,"big":123456789012345678901234567890,"tiny":1e-400,"s":"\u00e9\ud83c\udf55\/"}
    """#,
    #"""
    {"eventId":"e-1","type":"OrderStatusChanged","orderId":"order-42","seq":4,"occurredAt":"2025-11-23T12:21:00+02:00","status":"cancelled"}
    """#,
    #"""
    {
      "totalCents": 2800, "type": "OrderPlaced", "seq": 1, "notes": null, "trackingTokenHash": null,
      "items": [ { "unitPriceCents": 1400, "size": "large", "extraCheese": true, "quantity": 2, "pizzaId": "margherita" } ],
      "customer": { "phone": "12345", "loyalty": {"tier": "gold", "points": [1, 2.5]}, "address": "1 Road",
                    "email": "ada@example.com", "name": "Ada" },
      "orderId": "order-42", "occurredAt": "2025-11-23T10:21:00.125Z", "eventId": "e-1", "priority": 3
    }
    """#,
    #"""
    {"eventId":"e\u002d1","type":"Order\u0050laced","orderId":"order-42","seq":1,"occurredAt":"2025-11-23T10:21:00.125Z",
     "customer":{"name":"Zo\u00EB \u00e9\u00C9 \ud83c\udf55\uD83D\uDC69\u200D\uD83C\uDF73","email":"ada@example.com",
     "phone":"\b\f\n\r\t\"\\\/\u0000\u001f","address":"a\/b \u2028 \uFEFF"},
     "items":[{"pizzaId":"m","size":"small","quantity":1,"unitPriceCents":100},
              {"pizzaId":"n","size":"medium","quantity":1000,"unitPriceCents":10000000}],
     "totalCents":10000000100,"notes":"\u0041\u00e9","trackingTokenHash":"abc"}
    """#,
    #"""
    {"eventId":"e-1","eventIdx":"zz","type":"OrderStatusChanged","typ":7,"types":[1],"orderId":"o","seq":2,"seqs":"x",
     "seq ":null,"Seq":5,"occurredAt":"2025-11-23T10:21:00.125Z","status":"ready","statu":{},"":0,"\u0000":1}
    """#,
    #"""
    {"\u0065ventId":"e-1","\u0074ype":"OrderStatusChanged","orderId":"order-42","seq":2,"occurredAt":"2025-11-23T10:21:00.125Z","st\u0061tus":"accepted"}
    """#,
    #"""
    {"eventId":"e-1","type":"OrderPlaced","orderId":"order-42","seq":1,"occurredAt":"2025-11-23T10:21:00.125Z",
     "customer":{"name":"Ada","email":"ada@example.com","phone":"1","address":"r"},
     "items":[{"pizzaId":"m","size":"large","quantity":2,"unitPriceCents":0}],"totalCents":-0,"status":"whatever"}
    """#,
]

/// Checks that the paths agree on `body`: an event the fast path reads is the one JSONDecoder reads,
/// and `EventCodec.decode` returns the JSONDecoder path's event or throws its error (business rules
/// included). Records an issue when they disagree; returns whether the fast path accepted the body.
@discardableResult
private func expectAgreement(_ body: Data, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    let fast = EventFastDecoder.event(from: body)
    let foundation = Result { () throws(EventDecodingError) in try EventCodec.decodeWithFoundation(body) }
    if let fast {
        switch foundation {
        case .success(let reference):
            #expect(same(fast, reference), "fast path read \(fast), JSONDecoder \(reference)",
                    sourceLocation: sourceLocation)
        case .failure(let error):
            Issue.record("fast path read \(fast), JSONDecoder refused: \(error)", sourceLocation: sourceLocation)
        }
    }
    let reference = foundation.flatMap { event in Result { () throws(EventDecodingError) in try EventCodec.check(event); return event } }
    let decoded = Result { () throws(EventDecodingError) in try EventCodec.decode(body) }
    switch (decoded, reference) {
    case (.success(let event), .success(let expected)):
        #expect(same(event, expected), sourceLocation: sourceLocation)
    case (.failure(let error), .failure(let expected)):
        #expect(error == expected, sourceLocation: sourceLocation)
    case (let got, let expected):
        Issue.record("decode gave \(got), the JSONDecoder path \(expected)", sourceLocation: sourceLocation)
    }
    return fast != nil
}

/// The very same event: equal, and the same Unicode scalars in every string (String equality is
/// canonical equivalence, so "é" equals "e\u{301}"; the encoded bytes tell them apart).
private func same(_ one: OrderEvent, _ other: OrderEvent) -> Bool {
    one == other && EventCodec.encode(one) == EventCodec.encode(other)
}

/// The error `EventCodec.decode` throws for `body` (nil, recording an issue, when it does not throw).
private func decodingError(_ body: Data, sourceLocation: SourceLocation = #_sourceLocation) -> EventDecodingError? {
    do {
        let event = try EventCodec.decode(body)
        Issue.record("decoded \(event) instead of failing", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// The error the JSONDecoder path throws for `body`, business rules included (nil when it reads the body).
private func referenceError(_ body: Data) -> EventDecodingError? {
    do {
        try EventCodec.check(EventCodec.decodeWithFoundation(body))
        return nil
    } catch {
        return error
    }
}

private func data(_ text: String) -> Data { Data(text.utf8) }

/// A valid OrderPlaced body with `replacement` in place of the first `original` (which must be there).
private func placedBody(replacing original: String = "", with replacement: String = "") -> Data {
    let body = #"""
        {"eventId":"e-1","type":"OrderPlaced","orderId":"order-42","seq":1,"occurredAt":"2025-11-23T10:21:00.125Z",\#
        "customer":{"name":"Ada","email":"ada@example.com","phone":"12345","address":"1 Road"},\#
        "items":[{"pizzaId":"margherita","size":"large","quantity":2,"unitPriceCents":1400}],"totalCents":2800}
        """#
    guard !original.isEmpty else { return data(body) }
    precondition(body.contains(original), "\(original) is not in the body")
    return data(body.replacingOccurrences(of: original, with: replacement, options: [], range: body.range(of: original)))
}

/// A valid OrderStatusChanged body with `replacement` in place of the first `original`.
private func changedBody(replacing original: String = "", with replacement: String = "") -> Data {
    let body = #"{"eventId":"e-2","type":"OrderStatusChanged","orderId":"order-42","seq":2,"occurredAt":"2025-11-23T10:21:00.125Z","status":"accepted"}"#
    guard !original.isEmpty else { return data(body) }
    precondition(body.contains(original), "\(original) is not in the body")
    return data(body.replacingOccurrences(of: original, with: replacement, options: [], range: body.range(of: original)))
}

@Suite("Event fast decoder: valid bodies read as JSONDecoder reads them")
struct EventFastDecoderValidTests {
    @Test("bodies the encoder writes take the fast path, to the same event", arguments: sampleValidEvents)
    func encodedBodies(_ event: OrderEvent) throws {
        let body = EventCodec.encode(event)
        let fast = try #require(EventFastDecoder.event(from: body))
        #expect(same(fast, event))
        #expect(same(fast, try EventCodec.decodeWithFoundation(body)))
        #expect(same(try EventCodec.decode(body), event))
    }

    @Test("hand-written bodies take the fast path, to the same event", arguments: handWrittenBodies)
    func handWritten(_ text: String) throws {
        let body = data(text)
        let fast = try #require(EventFastDecoder.event(from: body))
        #expect(same(fast, try EventCodec.decodeWithFoundation(body)))
        #expect(expectAgreement(body))
    }

    @Test("escapes decode to the expected text")
    func escapes() throws {
        let body = placedBody(replacing: #""name":"Ada""#,
                              with: #""name":"\u00e9\u00C9 \ud83c\udf55 \/ \"q\" \\ \t""#)
        let event = try #require(EventFastDecoder.event(from: body))
        guard case .placed(let placed) = event else {
            Issue.record("expected OrderPlaced, got \(event)")
            return
        }
        #expect(Array(placed.customer.name.unicodeScalars) == Array("\u{e9}\u{c9} 🍕 / \"q\" \\ \t".unicodeScalars))
    }

    @Test("null and absent optionals are nil; seq is read as written")
    func optionalsAndSeq() throws {
        for body in [placedBody(), placedBody(replacing: #""totalCents":2800"#,
                                              with: #""totalCents":2800,"notes":null,"trackingTokenHash":null"#)] {
            guard case .placed(let placed) = try #require(EventFastDecoder.event(from: body)) else {
                Issue.record("expected OrderPlaced")
                return
            }
            #expect(placed.notes == nil)
            #expect(placed.trackingTokenHash == nil)
        }
        // A wrong seq is read as written, so that check() refuses it as the JSONDecoder path does.
        let body = placedBody(replacing: #""seq":1"#, with: #""seq":7"#)
        #expect(EventFastDecoder.event(from: body)?.seq == 7)
        #expect(decodingError(body) == referenceError(body))
        #expect(referenceError(body) != nil)
    }
}

@Suite("Event fast decoder: invalid bodies fail as before")
struct EventFastDecoderInvalidTests {
    /// Bodies JSONDecoder refuses: not JSON, not an object, or not the shape of an event.
    static let malformed: [Data] = {
        var bodies: [Data] = [
            Data(), data(" "), data("{"), data("}"), data("[]"), data(#"[{"type":"OrderPlaced"}]"#), data("null"),
            data(#""OrderPlaced""#), data("42"), data("{}"), data("{\"type\":\"OrderPlaced\"}"),
            // Missing and null fields.
            placedBody(replacing: #""eventId":"e-1","#), placedBody(replacing: #","totalCents":2800"#),
            placedBody(replacing: #""name":"Ada","#), placedBody(replacing: #","unitPriceCents":1400"#),
            placedBody(replacing: #""totalCents":2800"#, with: #""totalCents":null"#),
            changedBody(replacing: #","status":"accepted""#), changedBody(replacing: #""type":"OrderStatusChanged","#),
            changedBody(replacing: #""seq":2"#, with: #""seq":null"#),
            // Wrong types.
            changedBody(replacing: #""type":"OrderStatusChanged""#, with: #""type":7"#),
            changedBody(replacing: #""seq":2"#, with: #""seq":"2""#),
            changedBody(replacing: #""seq":2"#, with: #""seq":true"#),
            placedBody(replacing: #""customer":{"name":"Ada","email":"ada@example.com","phone":"12345","address":"1 Road"}"#,
                       with: #""customer":"Ada""#),
            placedBody(replacing: #"[{"pizzaId":"margherita","size":"large","quantity":2,"unitPriceCents":1400}]"#, with: "{}"),
            placedBody(replacing: #""totalCents":2800"#, with: #""totalCents":2800,"notes":5"#),
            placedBody(replacing: #""size":"large""#, with: #""size":"huge""#),
            changedBody(replacing: #""status":"accepted""#, with: #""status":"frozen""#),
            // Unknown type, bad dates.
            changedBody(replacing: #""type":"OrderStatusChanged""#, with: #""type":"OrderShipped""#),
            changedBody(replacing: "2025-11-23T10:21:00.125Z", with: "yesterday"),
            changedBody(replacing: "2025-11-23T10:21:00.125Z", with: "2025-13-40T10:21:00Z"),
            changedBody(replacing: #""occurredAt":"2025-11-23T10:21:00.125Z""#, with: #""occurredAt":1763893260125"#),
            // Numbers.
            changedBody(replacing: #""seq":2"#, with: #""seq":2.5"#),
            changedBody(replacing: #""seq":2"#, with: #""seq":1e400"#),
            changedBody(replacing: #""seq":2"#, with: #""seq":9223372036854775808"#),
            changedBody(replacing: #""seq":2"#, with: #""seq":-9223372036854775809"#),
            changedBody(replacing: #""seq":2"#, with: #""seq":123456789012345678901234567890"#),
            changedBody(replacing: #""seq":2"#, with: #""seq":02"#),
            changedBody(replacing: #""seq":2"#, with: #""seq":+2"#),
            changedBody(replacing: #""seq":2"#, with: #""seq":-"#),
            // Trailing garbage and broken syntax.
            changedBody() + data("x"), changedBody() + data("{}"), changedBody() + data("\u{c}"),
            changedBody(replacing: #""seq":2,"#, with: #""seq":2,,"#),
            changedBody(replacing: #""seq":2"#, with: #""seq" 2"#),
            changedBody(replacing: #""status""#, with: "status"),
            // Strings: lone surrogates, bad escapes, raw controls.
            changedBody(replacing: "e-2", with: #"\ud800"#), changedBody(replacing: "e-2", with: #"\udc00x"#),
            changedBody(replacing: "e-2", with: #"\ud83d\u0041"#), changedBody(replacing: "e-2", with: #"\ud83d"#),
            changedBody(replacing: "e-2", with: #"\q"#), changedBody(replacing: "e-2", with: #"\u00G0"#),
            changedBody(replacing: "e-2", with: "a\tb"), changedBody(replacing: "e-2", with: #"\u12"#),
        ]
        // Invalid UTF-8 in a read string: stray continuation, 0xFF, overlong, a UTF-8 surrogate, > U+10FFFF, cut short, NUL.
        let prefix = Array(#"{"eventId":""#.utf8)
        let suffix = Array(#"","type":"OrderStatusChanged","orderId":"o","seq":2,"occurredAt":"2025-11-23T10:21:00.125Z","status":"ready"}"#.utf8)
        for bad: [UInt8] in [[0x80], [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x00]] {
            bodies.append(Data(prefix + bad + suffix))
        }
        // Truncations of a valid body.
        let full = [UInt8](placedBody())
        for length in stride(from: 1, to: full.count, by: 7) { bodies.append(Data(full.prefix(length))) }
        return bodies
    }()

    /// Well-formed bodies whose event the business rules (`EventCodec.check`) refuse.
    static let refusedByRules: [Data] = [
        changedBody(replacing: #""seq":2"#, with: #""seq":1"#),
        changedBody(replacing: #""status":"accepted""#, with: #""status":"placed""#),
        changedBody(replacing: "order-42", with: "order 42"),
        changedBody(replacing: "e-2", with: ""),
        placedBody(replacing: #""seq":1"#, with: #""seq":-0"#),
        placedBody(replacing: #""totalCents":2800"#, with: #""totalCents":2801"#),
        placedBody(replacing: "ada@example.com", with: "not-an-email"),
        placedBody(replacing: #""quantity":2"#, with: #""quantity":4611686018427387904"#),
        placedBody(replacing: #""unitPriceCents":1400"#, with: #""unitPriceCents":-9223372036854775808"#),
    ]

    @Test("decode throws the JSONDecoder path's error", arguments: malformed + refusedByRules)
    func sameError(_ body: Data) {
        let expected = referenceError(body)
        #expect(expected != nil, "the reference reads this body: it is not an invalid one")
        #expect(decodingError(body) == expected)
        expectAgreement(body)
    }

    @Test("the fast path gives up on malformed bodies", arguments: malformed)
    func malformedGoSlow(_ body: Data) {
        #expect(EventFastDecoder.event(from: body) == nil)
    }

    @Test("the fast path reads well-formed bodies the rules refuse, as JSONDecoder does", arguments: refusedByRules)
    func rulesStillApply(_ body: Data) throws {
        let fast = try #require(EventFastDecoder.event(from: body))
        #expect(same(fast, try EventCodec.decodeWithFoundation(body)))
    }

    @Test("bodies JSONDecoder reads but the fast path leaves to it", arguments: [
        changedBody(replacing: #""seq":2"#, with: #""seq":2.0"#),
        changedBody(replacing: #""seq":2"#, with: #""seq":2e0"#),
        changedBody(replacing: #""seq":2"#, with: #""seq":20E-1"#),
        changedBody(replacing: #""seq":2"#, with: #""seq":3,"seq":2"#),
        changedBody(replacing: #""status":"accepted""#, with: #""status":"accepted","x":1,"#),
        changedBody(replacing: #""status":"accepted""#, with: #""status":"accepted","x":01"#),
        changedBody(replacing: #""status":"accepted""#, with: #""status":"accepted","x":"\ud800""#),
        changedBody(replacing: #""status":"accepted""#, with: "\"status\":\"accepted\",\"x\":\"a\tb\""),
        changedBody(replacing: #""status":"accepted""#, with: #""status":"accepted","clé":1"#),
        changedBody(replacing: #""status":"accepted""#, with: #""status":"accepted","\u212Aelvin":1"#),
        changedBody(replacing: #""status":"accepted""#,
                    with: #""status":"accepted","deep":"# + String(repeating: "[", count: 40) + String(repeating: "]", count: 40)),
        changedBody(replacing: #""status":"accepted""#, with: #""status":"accepted","items":"none""#),
        data("\u{feff}") + changedBody(),
    ])
    func leftToJSONDecoder(_ body: Data) throws {
        #expect(EventFastDecoder.event(from: body) == nil)
        #expect(referenceError(body) == nil)
        #expect(same(try EventCodec.decode(body), try EventCodec.decodeWithFoundation(body)))
    }
}

@Suite("Event fast decoder: random mutations")
struct EventFastDecoderMutationTests {
    @Test("fast and JSONDecoder paths agree on mutated bodies")
    func mutations() {
        let seeds: [[UInt8]] = (sampleValidEvents.prefix(12) + [sampleChanged(.accepted), sampleChanged(.delivered)]).map { [UInt8](EventCodec.encode($0)) }
            + handWrittenBodies.map { Array($0.utf8) }
        expectOnMutations(of: seeds, rounds: 800, seed: 0x5EED_F00D) { bytes in expectAgreement(Data(bytes)) }
    }
}

@Suite("Items column read by hand")
struct ItemsDecodingTests {
    /// What the column held before it was written by hand: `JSONEncoder`, keys in declaration order.
    private static func unsorted(_ items: [OrderLine]) throws -> String {
        String(decoding: try JSONEncoder().encode(items), as: UTF8.self)
    }

    @Test("the lines written by encodeItems, or by JSONEncoder before it, read back the same, by hand", arguments: [
        [], [sampleLines[0]], sampleLines, Array(repeating: sampleLines[2], count: 50),
    ])
    func roundTrip(items: [OrderLine]) throws {
        #expect(EventFastDecoder.lines(from: EventCodec.encodeItems(items)) == items)
        #expect(EventFastDecoder.lines(from: try Self.unsorted(items)) == items)
        #expect(EventCodec.decodeItems(EventCodec.encodeItems(items)) == items)
    }

    @Test("text that is not an array of well-formed lines is left to JSONDecoder, which decides", arguments: [
        "", "{}", "[", "[{}]", #"[{"pizzaId":"x","size":"huge","quantity":1,"unitPriceCents":1}]"#,
        #"[{"pizzaId":"x","size":"small","quantity":1.0,"unitPriceCents":1}]"#,
    ])
    func fallback(text: String) {
        #expect(EventFastDecoder.lines(from: text) == nil)
        #expect(EventCodec.decodeItems(text) == (try? JSONDecoder().decode([OrderLine].self, from: Data(text.utf8))))
    }
}
