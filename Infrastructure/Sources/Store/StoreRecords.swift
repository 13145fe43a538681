import Domain
import Foundation

/// An order as stored, with its status history.
public struct OrderRecord: Sendable, Equatable {
    public var id: String
    public var trackingTokenHash: String?
    public var customer: Customer
    public var lines: [OrderLine]
    public var notes: String?
    public var totalCents: Int
    public var status: OrderStatus
    public var seq: Int
    public var createdAt: Date
    public var history: [StatusStep]
}

/// What the web front answers when it created an order (and what a repeated `Idempotency-Key` gets back).
public struct OrderReceipt: Sendable, Codable, Equatable {
    public var id: String
    public var trackingToken: String
    public var status: OrderStatus
    public var totalCents: Int
    public var trackingUrl: String

    public init(id: String, trackingToken: String, status: OrderStatus, totalCents: Int, trackingUrl: String) {
        self.id = id
        self.trackingToken = trackingToken
        self.status = status
        self.totalCents = totalCents
        self.trackingUrl = trackingUrl
    }

    /// The receipt as JSON, keys sorted, spelled byte for byte as `JSONEncoder` with `.sortedKeys`
    /// spells it (``JSONText``). Written by hand: the web front makes one for every order, to store
    /// with its `Idempotency-Key` and to answer the `POST` with, and `JSONEncoder` was a few percent
    /// of the web front's CPU.
    public var json: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(96 + id.utf8.count + trackingToken.utf8.count + trackingUrl.utf8.count)
        bytes.append(contentsOf: #"{"id":"#.utf8)
        JSONText.appendQuoted(id, to: &bytes)
        bytes.append(contentsOf: #","status":"#.utf8)
        JSONText.appendQuoted(status.rawValue, to: &bytes)
        bytes.append(contentsOf: #","totalCents":\#(totalCents),"trackingToken":"#.utf8)
        JSONText.appendQuoted(trackingToken, to: &bytes)
        bytes.append(contentsOf: #","trackingUrl":"#.utf8)
        JSONText.appendQuoted(trackingUrl, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The result of placing an order.
public enum PlaceOrderResult: Sendable, Equatable {
    case created(OrderReceipt)
    /// The `Idempotency-Key` was used before with the same request: the first order.
    case replayed(OrderReceipt)
    /// The `Idempotency-Key` was used before with a different request.
    case keyConflict
}

/// An event waiting in the outbox for a broker confirm.
public struct OutboxEntry: Sendable, Equatable {
    public var id: Int64
    public var eventId: String
    public var orderId: String
    public var routingKey: String
    public var eventType: String
    public var body: Data
    public var notice: StatusNotice
}

/// What a worker's transaction did with a status change.
public enum AdvanceOutcome: Sendable, Equatable {
    /// Recorded: the order moved through these statuses (at least one), and their events are in the outbox.
    case applied([OrderStatusChanged])
    /// The order is already at or past the targets; it reached `current` at `since`.
    case alreadyReached(current: OrderStatus, since: Date)
    /// The order is closed (cancelled or delivered).
    case orderClosed(current: OrderStatus)
    /// The event asks for a move the state machine forbids.
    case illegal(current: OrderStatus, target: OrderStatus)
    /// A status change arrived for an order this store has never seen.
    case unknownOrder
}
