import Foundation

/// Event bodies written by hand: the same bytes `JSONEncoder` wrote with `.sortedKeys` and dates as
/// ``Timestamp/format(_:)`` strings, without its cost (it was ~8 % of the web process's CPU). Each
/// object's keys are listed in byte order, and an optional field is left out when nil, as the
/// synthesized `Encodable` conformances do. `EventCodecEncodingTests` compares every shape with
/// `JSONEncoder`, byte for byte: a field added to an event must be added here too.
extension EventCodec {
    /// The JSON body of `event`.
    public static func encode(_ event: OrderEvent) -> Data {
        switch event {
        case .placed(let placed): Data(bytes(of: placed))
        case .statusChanged(let changed): Data(bytes(of: changed))
        }
    }

    /// The JSON array of `items` (the `items_json` column): what `JSONEncoder` writes for
    /// `[OrderLine]` with `.sortedKeys`.
    public static func encodeItems(_ items: [OrderLine]) -> String {
        var writer = JSONWriter(capacity: 2 + items.count * lineCapacity)
        write(items, to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Room for one order line with a short pizza id (a guess, to avoid growing the buffer).
    private static let lineCapacity = 80

    private static func bytes(of event: OrderPlaced) -> [UInt8] {
        let customer = event.customer
        let strings = customer.name.utf8.count + customer.email.utf8.count + customer.phone.utf8.count
            + customer.address.utf8.count + (event.notes?.utf8.count ?? 0) + (event.trackingTokenHash?.utf8.count ?? 0)
            + event.eventId.utf8.count + event.orderId.utf8.count
        var writer = JSONWriter(capacity: 256 + strings + event.items.count * lineCapacity)
        writer.beginObject()
        writer.key("customer")
        write(customer, to: &writer)
        writer.field("eventId", event.eventId)
        writer.key("items")
        write(event.items, to: &writer)
        writer.field("notes", ifPresent: event.notes)
        writer.field("occurredAt", Timestamp.format(event.occurredAt))
        writer.field("orderId", event.orderId)
        writer.field("seq", event.seq)
        writer.field("totalCents", event.totalCents)
        writer.field("trackingTokenHash", ifPresent: event.trackingTokenHash)
        writer.field("type", event.type.rawValue)
        writer.endObject()
        return writer.bytes
    }

    private static func bytes(of event: OrderStatusChanged) -> [UInt8] {
        var writer = JSONWriter(capacity: 192 + event.eventId.utf8.count + event.orderId.utf8.count)
        writer.beginObject()
        writer.field("eventId", event.eventId)
        writer.field("occurredAt", Timestamp.format(event.occurredAt))
        writer.field("orderId", event.orderId)
        writer.field("seq", event.seq)
        writer.field("status", event.status.rawValue)
        writer.field("type", event.type.rawValue)
        writer.endObject()
        return writer.bytes
    }

    private static func write(_ customer: Customer, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("address", customer.address)
        writer.field("email", customer.email)
        writer.field("name", customer.name)
        writer.field("phone", customer.phone)
        writer.endObject()
    }

    private static func write(_ items: [OrderLine], to writer: inout JSONWriter) {
        writer.beginArray()
        for item in items {
            writer.beginObject()
            writer.field("pizzaId", item.pizzaId)
            writer.field("quantity", item.quantity)
            writer.field("size", item.size.rawValue)
            writer.field("unitPriceCents", item.unitPriceCents)
            writer.endObject()
        }
        writer.endArray()
    }
}
