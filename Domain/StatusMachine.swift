/// What should happen when someone wants to move an order from its current status to another.
public enum TransitionDecision: Sendable, Equatable {
    /// The move is legal: record it.
    case apply
    /// The order is already at or past the target (a duplicate or stale event): do nothing.
    case alreadyReached
    /// The order is closed (cancelled or delivered) and cannot take this status: do nothing.
    case orderClosed
    /// The move is impossible (skips a stage, or goes back): the event is wrong.
    case illegal
}

/// The one place that decides whether a status change is legal.
///
/// The state machine holds no state; callers pass the current status and act on the decision.
public enum StatusMachine {
    /// The statuses that may directly follow `status`.
    public static func successors(of status: OrderStatus) -> [OrderStatus] {
        switch status {
        case .placed: [.accepted, .cancelled]
        case .accepted: [.baking, .cancelled]
        case .baking: [.ready]
        case .ready: [.outForDelivery]
        case .outForDelivery: [.delivered]
        case .delivered: []
        case .cancelled: []
        }
    }

    /// Decides a move from `current` to `target`.
    public static func decide(from current: OrderStatus, to target: OrderStatus) -> TransitionDecision {
        if current == target { return .alreadyReached }
        if successors(of: current).contains(target) { return .apply }
        switch (current.stage, target.stage) {
        case let (now?, wanted?):
            // Both on the main line: behind us is stale, further ahead is a skipped stage.
            if wanted < now { return .alreadyReached }
            return current.isFinal ? .orderClosed : .illegal
        case (nil, _):
            // Current is cancelled: nothing else may happen to the order.
            return .orderClosed
        case (_?, nil):
            // Cancelling an order that is past the point where it can be cancelled.
            return current.isFinal ? .orderClosed : .illegal
        }
    }
}
