import Foundation
import Testing
import Domain

// The hand-written encoder against the `JSONEncoder` encoding it replaced (kept here as the
// reference): same bytes, same parsed document, keys in byte order, and a lossless round trip.
// The reference escapes "/" as "\/" (Foundation's default) and so does the encoder: the bytes
// are compared as they are, with nothing removed.

/// The encoding `EventCodec.encode` used before it was written by hand.
private enum Reference {
    static func encode(_ event: OrderEvent) throws -> Data {
        switch event {
        case .placed(let placed): try encoder.encode(placed)
        case .statusChanged(let changed): try encoder.encode(changed)
        }
    }

    static func encode(_ items: [OrderLine]) throws -> Data { try encoder.encode(items) }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

/// Events the decoder refuses (bad seq, totals, status, dates outside the fast formatter), still encoded alike.
private let invalidEvents: [OrderEvent] = [
    sampleChanged(.placed),
    sampleChanged(.delivered, seq: Int.max),
    sampleChanged(.cancelled, seq: Int.min),
    sampleChanged(.ready, at: Timestamp.date(millis: -12_000_000_000_000)),
    sampleChanged(.baking, at: Timestamp.date(millis: 300_000_000_000_000)),
    samplePlaced(email: "not an email", items: []),
    samplePlaced(items: [OrderLine(pizzaId: "x", size: .small, quantity: -7, unitPriceCents: Int.min)], total: Int.min),
]

/// The keys of every object in a JSON document, in the order written (one list per object).
private func objectKeys(_ json: Data) -> [[String]] {
    let bytes = [UInt8](json)
    var closed: [[String]] = []
    var open: [[String]] = []
    var lastString = ""
    var index = 0
    while index < bytes.count {
        switch bytes[index] {
        case UInt8(ascii: "\""):
            var end = index + 1
            while bytes[end] != UInt8(ascii: "\"") { end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1 }
            lastString = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
            index = end
        case UInt8(ascii: ":"): open[open.count - 1].append(lastString)
        case UInt8(ascii: "{"): open.append([])
        case UInt8(ascii: "}"): closed.append(open.removeLast())
        default: break
        }
        index += 1
    }
    return closed
}

private func parsed(_ data: Data) throws -> NSObject {
    try #require(JSONSerialization.jsonObject(with: data) as? NSObject)
}

private func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

@Suite("Event codec: hand-written encoding matches JSONEncoder")
struct EventCodecEncodingTests {
    @Test("the bytes are JSONEncoder's, byte for byte", arguments: sampleValidEvents + invalidEvents)
    func sameBytes(_ event: OrderEvent) throws {
        #expect(text(EventCodec.encode(event)) == text(try Reference.encode(event)))
    }

    @Test("the parsed document equals JSONEncoder's", arguments: sampleValidEvents + invalidEvents)
    func sameDocument(_ event: OrderEvent) throws {
        let mine = try parsed(EventCodec.encode(event))
        #expect(mine is NSDictionary)
        #expect(mine == (try parsed(Reference.encode(event))))
    }

    @Test("every object's keys are written in byte order", arguments: sampleValidEvents + invalidEvents)
    func keysSorted(_ event: OrderEvent) {
        let objects = objectKeys(EventCodec.encode(event))
        #expect(!objects.isEmpty)
        for keys in objects {
            #expect(keys == keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }))
        }
    }

    @Test("the expected keys, nil optionals left out")
    func keySets() {
        let lineKeys = ["pizzaId", "quantity", "size", "unitPriceCents"]
        let customerKeys = ["address", "email", "name", "phone"]
        let top = ["customer", "eventId", "items", "occurredAt", "orderId", "seq", "totalCents", "type"]
        #expect(objectKeys(EventCodec.encode(samplePlaced(items: [sampleLines[0]], notes: nil, tokenHash: nil)))
                == [customerKeys, lineKeys, top])
        #expect(objectKeys(EventCodec.encode(samplePlaced(items: [sampleLines[0]]))).last
                == ["customer", "eventId", "items", "notes", "occurredAt", "orderId", "seq", "totalCents", "trackingTokenHash", "type"])
        #expect(objectKeys(EventCodec.encode(sampleChanged(.baking)))
                == [["eventId", "occurredAt", "orderId", "seq", "status", "type"]])
    }

    @Test("valid events survive encode → decode unchanged", arguments: sampleValidEvents)
    func roundTrip(_ event: OrderEvent) throws {
        #expect(try EventCodec.decode(EventCodec.encode(event)) == event)
    }

    @Test("a known body, spelled out")
    func knownBody() {
        let event = samplePlaced(name: "Zoë </b>", items: [sampleLines[1]], notes: "a\"b\\c\nd\u{1}", tokenHash: nil)
        #expect(text(EventCodec.encode(event)) == #"""
            {"customer":{"address":"12 Analytical Row, London","email":"ada@example.com","name":"Zoë <\/b>",\#
            "phone":"+44 20 7946 0958"},"eventId":"7f1c2a8e-0000-4000-8000-000000000001","items":[{"pizzaId":"diavola",\#
            "quantity":3,"size":"medium","unitPriceCents":1300}],"notes":"a\"b\\c\nd\u0001",\#
            "occurredAt":"2025-11-23T10:21:00.125Z","orderId":"order-42","seq":1,"totalCents":3900,"type":"OrderPlaced"}
            """#)
    }
}

@Suite("Event codec: items column")
struct EventCodecItemsTests {
    private static let lists: [[OrderLine]] = [
        [], [sampleLines[0]], sampleLines, awkwardStrings.map { OrderLine(pizzaId: $0, size: .medium, quantity: 1, unitPriceCents: 1) },
        [OrderLine(pizzaId: "p", size: .small, quantity: Int.min, unitPriceCents: Int.max)],
    ]

    @Test("the bytes are JSONEncoder's (sorted keys)", arguments: lists)
    func sameBytes(_ items: [OrderLine]) throws {
        #expect(EventCodec.encodeItems(items) == text(try Reference.encode(items)))
    }

    @Test("the parsed array equals the one JSONEncoder writes without sorting", arguments: lists)
    func sameDocument(_ items: [OrderLine]) throws {
        let mine = try parsed(Data(EventCodec.encodeItems(items).utf8))
        #expect(mine is NSArray)
        #expect(mine == (try parsed(JSONEncoder().encode(items))))
    }

    @Test("keys in byte order", arguments: lists)
    func keysSorted(_ items: [OrderLine]) {
        let objects = objectKeys(Data(EventCodec.encodeItems(items).utf8))
        #expect(objects.count == items.count)
        #expect(objects.allSatisfy { $0 == ["pizzaId", "quantity", "size", "unitPriceCents"] })
    }

    @Test("JSONDecoder reads the same lines back", arguments: lists)
    func roundTrip(_ items: [OrderLine]) throws {
        #expect(try JSONDecoder().decode([OrderLine].self, from: Data(EventCodec.encodeItems(items).utf8)) == items)
    }
}
