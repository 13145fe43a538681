import Foundation

/// The event names on the wire. Explicit constants: renaming a Swift type never changes them.
public enum EventType: String, Sendable, Codable, CaseIterable {
    case orderPlaced = "OrderPlaced"
    case orderStatusChanged = "OrderStatusChanged"
}

/// The schema versions of the event body this code reads and writes (AMQP header `x-pizzeria-schema`).
public enum EventSchema {
    public static let current = 1
    public static let supported: ClosedRange<Int> = 1...1
}

/// A new order, self-contained so that any consumer can record it without asking anyone (seq 1).
public struct OrderPlaced: Sendable, Codable, Hashable {
    public var eventId: String
    public var type: EventType = .orderPlaced
    public var orderId: String
    public var seq: Int = 1
    public var occurredAt: Date
    public var customer: Customer
    public var items: [OrderLine]
    public var totalCents: Int
    public var notes: String?
    /// SHA-256 (hex) of the customer's tracking token, when the web front made the order.
    public var trackingTokenHash: String?

    public init(eventId: String, orderId: String, occurredAt: Date, customer: Customer, items: [OrderLine],
                totalCents: Int, notes: String? = nil, trackingTokenHash: String? = nil) {
        self.eventId = eventId
        self.orderId = orderId
        self.occurredAt = occurredAt
        self.customer = customer
        self.items = items
        self.totalCents = totalCents
        self.notes = notes
        self.trackingTokenHash = trackingTokenHash
    }
}

/// An order moved to a new status.
public struct OrderStatusChanged: Sendable, Codable, Hashable {
    public var eventId: String
    public var type: EventType = .orderStatusChanged
    public var orderId: String
    public var seq: Int
    public var occurredAt: Date
    public var status: OrderStatus

    public init(eventId: String, orderId: String, seq: Int, occurredAt: Date, status: OrderStatus) {
        self.eventId = eventId
        self.orderId = orderId
        self.seq = seq
        self.occurredAt = occurredAt
        self.status = status
    }
}

/// Any integration event about an order.
public enum OrderEvent: Sendable, Hashable {
    case placed(OrderPlaced)
    case statusChanged(OrderStatusChanged)

    public var eventId: String {
        switch self {
        case .placed(let e): e.eventId
        case .statusChanged(let e): e.eventId
        }
    }
    public var orderId: String {
        switch self {
        case .placed(let e): e.orderId
        case .statusChanged(let e): e.orderId
        }
    }
    public var seq: Int {
        switch self {
        case .placed(let e): e.seq
        case .statusChanged(let e): e.seq
        }
    }
    public var occurredAt: Date {
        switch self {
        case .placed(let e): e.occurredAt
        case .statusChanged(let e): e.occurredAt
        }
    }
    /// The status this event announces (`placed` for ``OrderPlaced``).
    public var status: OrderStatus {
        switch self {
        case .placed: .placed
        case .statusChanged(let e): e.status
        }
    }
    public var type: EventType {
        switch self {
        case .placed: .orderPlaced
        case .statusChanged: .orderStatusChanged
        }
    }
    public var routingKey: String { status.routingKey }

    /// The short notification pushed to browsers (Redis pub/sub, SSE) for this event.
    public var notice: StatusNotice {
        StatusNotice(orderId: orderId, seq: seq, status: status, at: occurredAt, eventId: eventId)
    }
}

/// A status notification for live views: no customer data, just what moved and when.
public struct StatusNotice: Sendable, Codable, Hashable {
    public var orderId: String
    public var seq: Int
    public var status: OrderStatus
    public var at: Date
    public var eventId: String?

    public init(orderId: String, seq: Int, status: OrderStatus, at: Date, eventId: String?) {
        self.orderId = orderId
        self.seq = seq
        self.status = status
        self.at = at
        self.eventId = eventId
    }
}
