import Foundation

/// Why a message body cannot be turned into an event. Such a message can never succeed: it is a
/// dead letter at once, and ``description`` is the reason an operator reads.
public enum EventDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    case notJSON
    case missingField(String)
    case invalidField(String, String)
    case unknownEventType(String)
    case unsupportedSchema(Int)
    case unknownPizza(String)

    public var description: String {
        switch self {
        case .notJSON: "body is not a JSON object"
        case .missingField(let field): "missing field \(field)"
        case .invalidField(let field, let why): "invalid field \(field): \(why)"
        case .unknownEventType(let type): "unknown event type \"\(type.prefix(80))\""
        case .unsupportedSchema(let version): "unsupported schema version \(version) (this worker reads \(EventSchema.supported))"
        case .unknownPizza(let id): "unknown pizza \"\(id.prefix(80))\""
        }
    }
}

/// Encodes and decodes event bodies (JSON). The type comes from the body's `type` field, never
/// from a Swift type name; unknown fields are ignored; missing required fields are named.
/// Encoding is written by hand (`EventCodec+Encoding.swift`). Decoding reads a well-formed body
/// by hand too (``EventFastDecoder``) and leaves every other body to `JSONDecoder`, which names
/// what is wrong.
public enum EventCodec {
    /// Decodes a body. `schema` is the `x-pizzeria-schema` header; absent means version 1.
    ///
    /// A body of exactly the expected shape is read once, by ``EventFastDecoder``; any other body
    /// goes through ``decodeWithFoundation(_:)``, whose errors are the ones reported. Either way
    /// the event then passes ``check(_:)``.
    public static func decode(_ body: Data, schema: Int? = nil) throws(EventDecodingError) -> OrderEvent {
        if let schema, !EventSchema.supported.contains(schema) {
            throw .unsupportedSchema(schema)
        }
        let event: OrderEvent
        if let fast = EventFastDecoder.event(from: body) {
            event = fast
        } else {
            event = try decodeWithFoundation(body)
        }
        try check(event)
        return event
    }

    /// Reads a body's shape with `JSONDecoder`, without the business rules of ``check(_:)``: the
    /// reference for ``EventFastDecoder``, and the path that explains a body it does not accept.
    /// The body is parsed once on the happy path (the `type` field picks the shape from the same
    /// decoder); only a failure parses it again, to name the offending field precisely.
    static func decodeWithFoundation(_ body: Data) throws(EventDecodingError) -> OrderEvent {
        do {
            return try decoder.decode(AnyEvent.self, from: body).event
        } catch let error as EventDecodingError {
            throw error
        } catch let error as DecodingError {
            throw explain(error, body: body)
        } catch {
            throw .notJSON
        }
    }

    /// The order lines of an `items_json` column, as ``encodeItems(_:)`` wrote them: read by hand,
    /// or by `JSONDecoder` when the text is not exactly the expected shape; nil if neither can.
    public static func decodeItems(_ json: String) -> [OrderLine]? {
        EventFastDecoder.lines(from: json) ?? (try? JSONDecoder().decode([OrderLine].self, from: Data(json.utf8)))
    }

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 timestamp")
            }
            return date
        }
        return decoder
    }()

    /// Reads `type`, then the event of that type from the same decoder.
    private struct AnyEvent: Decodable {
        let event: OrderEvent
        private enum Keys: String, CodingKey { case type }

        init(from decoder: any Decoder) throws {
            let container: KeyedDecodingContainer<Keys>
            do {
                container = try decoder.container(keyedBy: Keys.self)
            } catch {
                throw EventDecodingError.notJSON
            }
            guard container.contains(.type) else { throw EventDecodingError.missingField("type") }
            guard let name = try? container.decode(String.self, forKey: .type) else {
                throw EventDecodingError.invalidField("type", "must be a string")
            }
            switch EventType(rawValue: name) {
            case .orderPlaced: event = .placed(try OrderPlaced(from: decoder))
            case .orderStatusChanged: event = .statusChanged(try OrderStatusChanged(from: decoder))
            case nil: throw EventDecodingError.unknownEventType(name)
            }
        }
    }

    /// Turns a decoding failure into a reason that names the field.
    private static func explain(_ error: DecodingError, body: Data) -> EventDecodingError {
        guard case .dataCorrupted(let context) = error, context.codingPath.isEmpty else { return reason(for: error) }
        // Foundation reports a number that does not fit an Int without a path: find it.
        guard let object = try? JSONSerialization.jsonObject(with: body) else { return .notJSON }
        guard object is [String: Any] else { return .notJSON }
        let paths = ["seq", "totalCents", "items[*].quantity", "items[*].unitPriceCents"]
        return .invalidField(JSONNumbers.firstNonInteger(in: object, paths: paths) ?? "body", "must be a whole number")
    }

    /// Rules a well-formed event must follow beyond its JSON shape.
    static func check(_ event: OrderEvent) throws(EventDecodingError) {
        guard OrderID.isValid(event.orderId) else { throw .invalidField("orderId", "1 to 64 letters, digits, '-' or '_'") }
        guard !event.eventId.isEmpty, event.eventId.count <= 128 else { throw .invalidField("eventId", "1 to 128 characters") }
        switch event {
        case .placed(let placed):
            guard placed.seq == 1 else { throw .invalidField("seq", "OrderPlaced has seq 1") }
            guard !placed.items.isEmpty else { throw .invalidField("items", "must not be empty") }
            guard placed.items.count <= EventLimits.maxLines else { throw .invalidField("items", "at most \(EventLimits.maxLines) lines") }
            for (index, item) in placed.items.enumerated() {
                guard (1...EventLimits.maxQuantity).contains(item.quantity) else {
                    throw .invalidField("items[\(index)].quantity", "must be between 1 and \(EventLimits.maxQuantity)")
                }
                guard (0...EventLimits.maxUnitPriceCents).contains(item.unitPriceCents) else {
                    throw .invalidField("items[\(index)].unitPriceCents", "must be between 0 and \(EventLimits.maxUnitPriceCents)")
                }
            }
            // With the bounds above the sum cannot overflow.
            guard placed.totalCents == placed.items.reduce(0, { $0 + $1.totalCents }) else {
                throw .invalidField("totalCents", "is not the sum of the items")
            }
            guard EmailAddress.isValid(placed.customer.email) else { throw .invalidField("customer.email", "not an email address") }
        case .statusChanged(let changed):
            guard changed.seq >= 2 else { throw .invalidField("seq", "a status change has seq 2 or more") }
            guard changed.status != .placed else { throw .invalidField("status", "placed is announced by OrderPlaced") }
        }
    }

    static func reason(for error: DecodingError) -> EventDecodingError {
        switch error {
        case let .keyNotFound(key, context):
            return .missingField(JSONPath.render(context.codingPath + [key]))
        case let .valueNotFound(_, context):
            return .missingField(JSONPath.render(context.codingPath))
        case let .typeMismatch(_, context):
            return .invalidField(JSONPath.render(context.codingPath), "wrong type")
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? .notJSON
                : .invalidField(JSONPath.render(context.codingPath), context.debugDescription)
        @unknown default:
            return .notJSON
        }
    }
}

/// Order ids: UUIDs from the web front, or a partner's own id (letters, digits, `-`, `_`; at most 64).
public enum OrderID {
    public static func isValid(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 45 || byte == 95
        }
    }

    /// A new id: a lower-case UUID that sorts by creation time (``TimeOrderedID``).
    public static func make() -> String { TimeOrderedID.make() }
}

/// Bounds on events from any producer: generous for a real order, small enough that no sum overflows.
public enum EventLimits {
    public static let maxLines = 100
    public static let maxQuantity = 1000
    public static let maxUnitPriceCents = 10_000_000
}
