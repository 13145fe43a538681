import Foundation
import Testing
import Domain

/// 2025-11-23T10:21:00.125Z (an instant whose milliseconds a Double holds exactly).
private let occurred = Timestamp.date(millis: 1_763_893_260_125)

private let sampleCustomer = Customer(name: "Ada Lovelace", email: "ada@example.com",
                                      phone: "+44 20 7946 0958", address: "12 Analytical Row, London")

private func samplePlaced(at date: Date = occurred) -> OrderPlaced {
    OrderPlaced(eventId: "7f1c2a8e-0000-4000-8000-000000000001", orderId: "order-42",
                occurredAt: date, customer: sampleCustomer,
                items: [OrderLine(pizzaId: "margherita", size: .large, quantity: 2, unitPriceCents: 1400),
                        OrderLine(pizzaId: "diavola", size: .medium, quantity: 1, unitPriceCents: 1300)],
                totalCents: 4100, notes: "Ring twice", trackingTokenHash: "abc123")
}

private func sampleChanged(_ status: OrderStatus = .outForDelivery, seq: Int = 5) -> OrderStatusChanged {
    OrderStatusChanged(eventId: "7f1c2a8e-0000-4000-8000-000000000002", orderId: "order-42",
                       seq: seq, occurredAt: occurred, status: status)
}

/// A valid OrderPlaced body as a mutable JSON object, written by hand (not by the codec).
private func placedObject() -> [String: Any] {
    [
        "eventId": "e-1", "type": "OrderPlaced", "orderId": "order-42", "seq": 1,
        "occurredAt": "2025-11-23T10:21:00.125Z",
        "customer": ["name": "Ada", "email": "ada@example.com", "phone": "12345", "address": "1 Road"],
        "items": [["pizzaId": "margherita", "size": "large", "quantity": 2, "unitPriceCents": 1400]],
        "totalCents": 2800,
    ]
}

/// A valid OrderStatusChanged body as a mutable JSON object.
private func changedObject() -> [String: Any] {
    ["eventId": "e-2", "type": "OrderStatusChanged", "orderId": "order-42", "seq": 2,
     "occurredAt": "2025-11-23T10:21:00.125Z", "status": "accepted"]
}

private func body(_ object: [String: Any]) -> Data {
    try! JSONSerialization.data(withJSONObject: object)
}

/// Removes `customer.email`, `items[0].size` or a top-level key.
private func removing(_ path: String, from object: [String: Any]) -> [String: Any] {
    var object = object
    let parts = path.split(separator: ".").map(String.init)
    if parts.count == 1 {
        object[path] = nil
    } else if parts[0] == "customer" {
        var customer = object["customer"] as! [String: Any]
        customer[parts[1]] = nil
        object["customer"] = customer
    } else if parts[0] == "items[0]" {
        var items = object["items"] as! [[String: Any]]
        items[0][parts[1]] = nil
        object["items"] = items
    } else {
        Issue.record("unsupported path \(path)")
    }
    return object
}

private func decode(_ object: [String: Any], schema: Int? = nil) throws -> OrderEvent {
    try EventCodec.decode(body(object), schema: schema)
}

/// The error a decode throws (or nil, recording an issue, when it does not throw).
private func decodingError(_ data: Data, schema: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation) -> EventDecodingError? {
    do {
        let event = try EventCodec.decode(data, schema: schema)
        Issue.record("decoded \(event) instead of failing", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

private func invalidFieldName(_ error: EventDecodingError?) -> String? {
    if case .invalidField(let field, _)? = error { return field }
    return nil
}

@Suite("Event codec: round trips and wire shape")
struct EventCodecRoundTripTests {
    @Test("OrderPlaced survives encode → decode unchanged")
    func placedRoundTrip() throws {
        let event = OrderEvent.placed(samplePlaced())
        let decoded = try EventCodec.decode(EventCodec.encode(event))
        #expect(decoded == event)
        #expect(Timestamp.millis(decoded.occurredAt) == 1_763_893_260_125)
    }

    @Test("OrderPlaced without optional notes / token hash round-trips")
    func placedWithoutOptionals() throws {
        var placed = samplePlaced()
        placed.notes = nil
        placed.trackingTokenHash = nil
        let data = EventCodec.encode(.placed(placed))
        let json = String(decoding: data, as: UTF8.self)
        #expect(!json.contains("notes"))
        #expect(!json.contains("trackingTokenHash"))
        #expect(try EventCodec.decode(data) == .placed(placed))
    }

    @Test("OrderStatusChanged survives encode → decode unchanged", arguments: [
        OrderStatus.accepted, .baking, .ready, .outForDelivery, .delivered, .cancelled,
    ])
    func changedRoundTrip(_ status: OrderStatus) throws {
        let event = OrderEvent.statusChanged(sampleChanged(status))
        #expect(try EventCodec.decode(EventCodec.encode(event)) == event)
    }

    @Test("arbitrary millisecond timestamps survive a round trip")
    func roundTripKeepsAnyMillisecond() throws {
        // .123 is not exact in binary; Timestamp.format truncates it to .122 (see TimestampTests).
        let event = OrderEvent.placed(samplePlaced(at: Timestamp.date(millis: 1_763_893_260_123)))
        let decoded = try EventCodec.decode(EventCodec.encode(event))
        #expect(Timestamp.millis(decoded.occurredAt) == 1_763_893_260_123)
    }

    @Test("the body names its type literally, with the wire spellings")
    func wireShape() {
        let placed = String(decoding: EventCodec.encode(.placed(samplePlaced())), as: UTF8.self)
        #expect(placed.contains(#""type":"OrderPlaced""#))
        #expect(placed.contains(#""seq":1"#))
        #expect(placed.contains(#""occurredAt":"2025-11-23T10:21:00.125Z""#))
        #expect(placed.contains(#""totalCents":4100"#))
        #expect(placed.contains(#""size":"large""#))
        #expect(placed.contains(#""unitPriceCents":1400"#))

        let changed = String(decoding: EventCodec.encode(.statusChanged(sampleChanged())), as: UTF8.self)
        #expect(changed.contains(#""type":"OrderStatusChanged""#))
        #expect(changed.contains(#""status":"out_for_delivery""#))
        #expect(changed.contains(#""seq":5"#))
    }

    @Test("a hand-written body decodes to the expected values")
    func handWrittenBody() throws {
        let event = try decode(placedObject())
        guard case .placed(let placed) = event else {
            Issue.record("expected OrderPlaced, got \(event)")
            return
        }
        #expect(placed.eventId == "e-1")
        #expect(placed.orderId == "order-42")
        #expect(placed.customer.email == "ada@example.com")
        #expect(placed.items == [OrderLine(pizzaId: "margherita", size: .large, quantity: 2, unitPriceCents: 1400)])
        #expect(placed.totalCents == 2800)
        #expect(placed.occurredAt == occurred)
        #expect(placed.notes == nil)
    }

    @Test("an occurredAt without fraction or with an offset is accepted")
    func timestampSpellings() throws {
        var object = changedObject()
        object["occurredAt"] = "2025-11-23T10:21:00Z"
        #expect(Timestamp.millis(try decode(object).occurredAt) == 1_763_893_260_000)
        object["occurredAt"] = "2025-11-23T12:21:00+02:00"
        #expect(Timestamp.millis(try decode(object).occurredAt) == 1_763_893_260_000)
    }

    @Test("unknown fields are ignored, at every level")
    func unknownFieldsIgnored() throws {
        var object = placedObject()
        object["partner"] = ["desk": "phone", "shift": 3]
        object["priority"] = true
        var customer = object["customer"] as! [String: Any]
        customer["loyaltyTier"] = "gold"
        object["customer"] = customer
        var items = object["items"] as! [[String: Any]]
        items[0]["extraCheese"] = true
        object["items"] = items
        #expect(try decode(object) == decode(placedObject()))

        var changed = changedObject()
        changed["driver"] = "Sam"
        #expect(try decode(changed).status == .accepted)
    }

    @Test("OrderEvent accessors")
    func accessors() {
        let placed = OrderEvent.placed(samplePlaced())
        #expect(placed.type == .orderPlaced)
        #expect(placed.status == .placed)
        #expect(placed.seq == 1)
        #expect(placed.routingKey == "order.placed")
        #expect(placed.notice == StatusNotice(orderId: "order-42", seq: 1, status: .placed, at: occurred,
                                             eventId: "7f1c2a8e-0000-4000-8000-000000000001"))
        let changed = OrderEvent.statusChanged(sampleChanged(.outForDelivery, seq: 5))
        #expect(changed.type == .orderStatusChanged)
        #expect(changed.routingKey == "order.out_for_delivery")
        #expect(changed.seq == 5)
        #expect(changed.orderId == "order-42")
        #expect(EventType.orderPlaced.rawValue == "OrderPlaced")
        #expect(EventType.orderStatusChanged.rawValue == "OrderStatusChanged")
    }
}

@Suite("Event codec: rejected bodies")
struct EventCodecRejectionTests {
    @Test("each missing OrderPlaced field is named", arguments: [
        "eventId", "orderId", "seq", "occurredAt", "customer", "items", "totalCents",
        "customer.name", "customer.email", "customer.phone", "customer.address",
        "items[0].pizzaId", "items[0].size", "items[0].quantity", "items[0].unitPriceCents",
    ])
    func missingPlacedField(_ path: String) {
        let error = decodingError(body(removing(path, from: placedObject())))
        #expect(error == .missingField(path))
        #expect(error?.description.contains(path) == true)
    }

    @Test("each missing OrderStatusChanged field is named", arguments: [
        "eventId", "orderId", "seq", "occurredAt", "status",
    ])
    func missingChangedField(_ path: String) {
        #expect(decodingError(body(removing(path, from: changedObject()))) == .missingField(path))
    }

    @Test("optional OrderPlaced fields may be absent or present")
    func optionalFields() throws {
        var object = placedObject()
        object["notes"] = "no onions"
        object["trackingTokenHash"] = String(repeating: "a", count: 64)
        guard case .placed(let placed) = try decode(object) else {
            Issue.record("expected OrderPlaced")
            return
        }
        #expect(placed.notes == "no onions")
        #expect(placed.trackingTokenHash == String(repeating: "a", count: 64))
    }

    @Test("a null required field counts as missing")
    func nullField() {
        var object = placedObject()
        object["totalCents"] = NSNull()
        #expect(decodingError(body(object)) == .missingField("totalCents"))
    }

    @Test("missing type is named", arguments: [placedObject(), changedObject()].map { body(removing("type", from: $0)) })
    func missingType(_ data: Data) {
        #expect(decodingError(data) == .missingField("type"))
    }

    @Test("a non-string type is an invalid field")
    func typeNotString() {
        var object = changedObject()
        object["type"] = 7
        #expect(invalidFieldName(decodingError(body(object))) == "type")
    }

    @Test("unknown event types are named", arguments: ["OrderShipped", "orderPlaced", "order_placed", ""])
    func unknownType(_ name: String) {
        var object = changedObject()
        object["type"] = name
        #expect(decodingError(body(object)) == .unknownEventType(name))
    }

    @Test("bodies that are not a JSON object", arguments: [
        "", "hello", "{", "[]", #"[{"type":"OrderPlaced"}]"#, #""OrderPlaced""#, "42", "null",
    ])
    func notJSON(_ text: String) {
        #expect(decodingError(Data(text.utf8)) == .notJSON)
    }

    @Test("schema header: absent and 1 are read, others refused")
    func schema() throws {
        let data = body(changedObject())
        #expect(try EventCodec.decode(data).status == .accepted)
        #expect(try EventCodec.decode(data, schema: 1).status == .accepted)
        #expect(decodingError(data, schema: 2) == .unsupportedSchema(2))
        #expect(decodingError(data, schema: 0) == .unsupportedSchema(0))
        #expect(EventSchema.current == 1)
    }

    @Test("an unknown status string is an invalid status", arguments: ["frozen", "outForDelivery", "PLACED", ""])
    func invalidStatus(_ status: String) {
        var object = changedObject()
        object["status"] = status
        #expect(invalidFieldName(decodingError(body(object))) == "status")
    }

    @Test("wrong types and bad values are invalid fields naming the path", arguments: [
        ("occurredAt", "yesterday" as any Sendable),
        ("occurredAt", 1_763_893_260_125 as any Sendable),
        ("seq", "1" as any Sendable),
        ("totalCents", "2800" as any Sendable),
        ("customer", "Ada" as any Sendable),
        ("items", "margherita" as any Sendable),
    ] as [(String, any Sendable)])
    func invalidTopLevelField(_ key: String, _ value: any Sendable) {
        var object = placedObject()
        object[key] = value
        #expect(invalidFieldName(decodingError(body(object))) == key)
    }

    @Test("a fractional seq is an invalid field, not 'not a JSON object'")
    func fractionalSeq() {
        var object = changedObject()
        object["seq"] = 2.5
        let error = decodingError(body(object))
        #expect(error != nil)
        #expect(invalidFieldName(error) == "seq")
    }

    @Test("an unknown pizza size is an invalid item field")
    func invalidSize() {
        var object = placedObject()
        object["items"] = [["pizzaId": "margherita", "size": "huge", "quantity": 2, "unitPriceCents": 1400]]
        #expect(invalidFieldName(decodingError(body(object))) == "items[0].size")
    }

    @Test("OrderPlaced must have seq 1", arguments: [0, 2, 7, -1])
    func placedSeq(_ seq: Int) {
        var object = placedObject()
        object["seq"] = seq
        #expect(invalidFieldName(decodingError(body(object))) == "seq")
    }

    @Test("a status change must have seq 2 or more", arguments: [1, 0, -3])
    func changedSeqTooLow(_ seq: Int) {
        var object = changedObject()
        object["seq"] = seq
        #expect(invalidFieldName(decodingError(body(object))) == "seq")
    }

    @Test("a status change with seq 2 and more is fine", arguments: [2, 3, 99])
    func changedSeqFine(_ seq: Int) throws {
        var object = changedObject()
        object["seq"] = seq
        #expect(try decode(object).seq == seq)
    }

    @Test("placed is announced by OrderPlaced, never by a status change")
    func changedToPlaced() {
        var object = changedObject()
        object["status"] = "placed"
        #expect(invalidFieldName(decodingError(body(object))) == "status")
    }

    @Test("totalCents must be the sum of the items", arguments: [2799, 2801, 0, 1400])
    func totalMismatch(_ total: Int) {
        var object = placedObject()
        object["totalCents"] = total
        #expect(invalidFieldName(decodingError(body(object))) == "totalCents")
    }

    @Test("items must be present, non-empty, positive and priced")
    func itemRules() {
        var object = placedObject()
        object["items"] = [[String: Any]]()
        object["totalCents"] = 0
        #expect(invalidFieldName(decodingError(body(object))) == "items")

        object["items"] = [["pizzaId": "margherita", "size": "large", "quantity": 0, "unitPriceCents": 1400]]
        #expect(invalidFieldName(decodingError(body(object))) == "items[0].quantity")

        object["items"] = [["pizzaId": "m", "size": "large", "quantity": 1, "unitPriceCents": 100],
                           ["pizzaId": "m", "size": "large", "quantity": 1, "unitPriceCents": -100]]
        #expect(invalidFieldName(decodingError(body(object))) == "items[1].unitPriceCents")
    }

    @Test("customer email must look like an email", arguments: ["not-an-email", "a@b", "a@@b.com"])
    func badCustomerEmail(_ email: String) {
        var object = placedObject()
        var customer = object["customer"] as! [String: Any]
        customer["email"] = email
        object["customer"] = customer
        #expect(invalidFieldName(decodingError(body(object))) == "customer.email")
    }

    @Test("order ids with bad characters or length are refused", arguments: [
        "", "order 42", "order/42", "order.42", "ordér", "42;DROP", "a\nb", String(repeating: "x", count: 65),
    ])
    func badOrderID(_ id: String) {
        var object = changedObject()
        object["orderId"] = id
        #expect(invalidFieldName(decodingError(body(object))) == "orderId")
        #expect(!OrderID.isValid(id))
    }

    @Test("order ids: UUIDs and partner ids are accepted", arguments: [
        "7f1c2a8e-0000-4000-8000-000000000001", "POS_2025-11-23_0042", "A", String(repeating: "z", count: 64),
    ])
    func goodOrderID(_ id: String) throws {
        var object = changedObject()
        object["orderId"] = id
        #expect(try decode(object).orderId == id)
        #expect(OrderID.isValid(id))
    }

    @Test("a new order id is a valid lower-case UUID, different each time")
    func makeOrderID() {
        let first = OrderID.make(), second = OrderID.make()
        #expect(OrderID.isValid(first))
        #expect(first == first.lowercased())
        #expect(UUID(uuidString: first) != nil)
        #expect(first != second)
    }

    @Test("event ids must be 1 to 128 characters", arguments: [0, 129])
    func badEventID(_ length: Int) {
        var object = changedObject()
        object["eventId"] = String(repeating: "e", count: length)
        #expect(invalidFieldName(decodingError(body(object))) == "eventId")
    }

    @Test("error descriptions are readable and name what is wrong")
    func descriptions() {
        #expect(EventDecodingError.notJSON.description == "body is not a JSON object")
        #expect(EventDecodingError.missingField("customer.email").description == "missing field customer.email")
        let invalid = EventDecodingError.invalidField("items[0].quantity", "must be positive").description
        #expect(invalid.contains("items[0].quantity"))
        #expect(invalid.contains("must be positive"))
        #expect(EventDecodingError.unknownEventType("OrderShipped").description.contains("\"OrderShipped\""))
        let schema = EventDecodingError.unsupportedSchema(2).description
        #expect(schema.contains("2"))
        #expect(schema.contains("schema"))
        #expect(EventDecodingError.unknownPizza("hawaii").description.contains("hawaii"))
        // An attacker-sized type name is cut short in the reason.
        #expect(EventDecodingError.unknownEventType(String(repeating: "X", count: 10_000)).description.count < 200)
    }

    @Test("the description of a real decoding failure names the field")
    func realFailureDescription() {
        var object = placedObject()
        object["totalCents"] = 1
        let description = decodingError(body(object))?.description ?? ""
        #expect(description.contains("totalCents"))
        #expect(description.contains("sum"))
    }

    @Test("arithmetic overflow in item totals is refused, not a crash")
    func overflowingItemsAreRefused() async {
        // A partner message with a huge quantity × price must be refused by the bounds in EventCodec.check
        // before any sum is taken: an overflow would trap the worker instead of dead-lettering the message.
        await #expect(processExitsWith: .success) {
            let json = #"""
            {"eventId":"e-1","type":"OrderPlaced","orderId":"o-1","seq":1,
             "occurredAt":"2025-11-23T10:21:00.125Z",
             "customer":{"name":"Ada","email":"ada@example.com","phone":"12345","address":"1 Road"},
             "items":[{"pizzaId":"margherita","size":"large","quantity":4611686018427387904,"unitPriceCents":4}],
             "totalCents":0}
            """#
            if (try? EventCodec.decode(Data(json.utf8))) != nil { exit(3) }
        }
    }
}
