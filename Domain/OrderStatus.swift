/// Where an order is in its life. The raw values are the wire and database spelling.
///
/// ```
/// placed → accepted → baking → ready → out_for_delivery → delivered
///    └────────┴──→ cancelled
/// ```
public enum OrderStatus: String, Sendable, Codable, CaseIterable, Hashable {
    case placed
    case accepted
    case baking
    case ready
    case outForDelivery = "out_for_delivery"
    case delivered
    case cancelled

    /// The routing key an event announcing this status is published with (`order.<status>`).
    public var routingKey: String { "order.\(rawValue)" }

    /// The position on the main line (`placed` = 1 … `delivered` = 6); `nil` for `cancelled`.
    public var stage: Int? {
        switch self {
        case .placed: 1
        case .accepted: 2
        case .baking: 3
        case .ready: 4
        case .outForDelivery: 5
        case .delivered: 6
        case .cancelled: nil
        }
    }

    /// True when nothing can follow this status.
    public var isFinal: Bool {
        switch self {
        case .delivered, .cancelled: true
        case .placed, .accepted, .baking, .ready, .outForDelivery: false
        }
    }

    /// A short label for people (pages, emails).
    public var label: String {
        switch self {
        case .placed: "Placed"
        case .accepted: "Accepted"
        case .baking: "Baking"
        case .ready: "Ready"
        case .outForDelivery: "Out for delivery"
        case .delivered: "Delivered"
        case .cancelled: "Cancelled"
        }
    }
}
