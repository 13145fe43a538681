import Foundation

/// A header value in an AMQP field table, as Swift values.
public enum AMQPHeaderValue: Sendable, Hashable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case double(Double)
    case timestamp(UInt64)
    case bytes(Data)
    case array([AMQPHeaderValue])
    case table([String: AMQPHeaderValue])
    case void

    /// The value as an integer, whatever width it was sent with.
    public var intValue: Int64? {
        switch self {
        case .int(let v): v
        case .timestamp(let v): Int64(clamping: v)
        case .string(let s): Int64(s)
        default: nil
        }
    }

    /// The value as text (strings and byte strings in UTF-8).
    public var stringValue: String? {
        switch self {
        case .string(let s): s
        case .bytes(let d): String(decoding: d, as: UTF8.self)
        default: nil
        }
    }
}

/// The AMQP basic properties this project reads and writes.
public struct AMQPProperties: Sendable, Hashable {
    public var contentType: String?
    public var deliveryMode: UInt8?
    public var messageId: String?
    public var correlationId: String?
    public var type: String?
    /// Seconds since 1970.
    public var timestamp: UInt64?
    public var expiration: String?
    public var appId: String?
    public var headers: [String: AMQPHeaderValue]

    public init(contentType: String? = nil, deliveryMode: UInt8? = nil, messageId: String? = nil,
                correlationId: String? = nil, type: String? = nil, timestamp: UInt64? = nil,
                expiration: String? = nil, appId: String? = nil, headers: [String: AMQPHeaderValue] = [:]) {
        self.contentType = contentType
        self.deliveryMode = deliveryMode
        self.messageId = messageId
        self.correlationId = correlationId
        self.type = type
        self.timestamp = timestamp
        self.expiration = expiration
        self.appId = appId
        self.headers = headers
    }

    /// `delivery_mode` 2: the broker writes the message to disk.
    public static let persistent: UInt8 = 2
}

/// A message to publish.
public struct AMQPOutgoingMessage: Sendable, Hashable {
    public var exchange: String
    public var routingKey: String
    public var body: Data
    public var properties: AMQPProperties
    /// Ask the broker to return the message if no queue is bound for it.
    public var mandatory: Bool

    public init(exchange: String, routingKey: String, body: Data, properties: AMQPProperties, mandatory: Bool = true) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.properties = properties
        self.mandatory = mandatory
    }
}

/// A message delivered to a consumer, copied out of librabbitmq's buffers.
public struct AMQPDelivery: Sendable, Hashable {
    public var deliveryTag: UInt64
    public var redelivered: Bool
    public var exchange: String
    public var routingKey: String
    public var body: Data
    public var properties: AMQPProperties

    public init(deliveryTag: UInt64, redelivered: Bool, exchange: String, routingKey: String, body: Data, properties: AMQPProperties) {
        self.deliveryTag = deliveryTag
        self.redelivered = redelivered
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.properties = properties
    }

    /// The message as it would be published again (same body, properties and routing key).
    public func republished(exchange: String, routingKey: String, headers: [String: AMQPHeaderValue]) -> AMQPOutgoingMessage {
        var properties = self.properties
        properties.headers = headers
        return AMQPOutgoingMessage(exchange: exchange, routingKey: routingKey, body: body, properties: properties, mandatory: true)
    }
}
