/// The three consumer groups, each with its own queue.
public enum WorkerRole: String, Sendable, CaseIterable, Codable {
    case kitchen, delivery, email

    /// The work queue this role consumes.
    public var queue: String { rawValue }

    /// The routing keys bound to this role's queue.
    public var bindings: [String] {
        switch self {
        case .kitchen: [OrderStatus.placed, .accepted, .baking].map(\.routingKey)
        case .delivery: [OrderStatus.ready, .outForDelivery].map(\.routingKey)
        case .email: [OrderStatus.placed, .outForDelivery, .delivered, .cancelled].map(\.routingKey)
        }
    }
}

/// The emails a customer receives, at most one of each per order.
public enum EmailKind: String, Sendable, Codable, CaseIterable {
    case confirmed
    case outForDelivery = "out_for_delivery"
    case delivered
    case cancelled
}

/// How long each timed stage takes. Demo defaults are short; a benchmark sets them to zero.
public struct StageTimings: Sendable, Equatable {
    /// accepted → baking
    public var prep: Duration
    /// baking → ready
    public var bake: Duration
    /// ready → out for delivery
    public var dispatch: Duration
    /// out for delivery → delivered
    public var drive: Duration

    public init(prep: Duration, bake: Duration, dispatch: Duration, drive: Duration) {
        self.prep = prep
        self.bake = bake
        self.dispatch = dispatch
        self.drive = drive
    }

    public static let demo = StageTimings(prep: .seconds(1), bake: .seconds(2), dispatch: .seconds(1), drive: .seconds(2))
    public static let zero = StageTimings(prep: .zero, bake: .zero, dispatch: .zero, drive: .zero)
}

/// Who moves the kitchen stages: a timer (demos, benchmarks) or the crew at the display.
public enum KitchenMode: String, Sendable, CaseIterable {
    case timed, manual
}

/// What a worker does when an event reaches its queue.
public enum Reaction: Sendable, Equatable {
    /// Move the order to `status` once `delay` has passed since the event occurred.
    case advance(to: OrderStatus, delay: Duration)
    /// Send this email (once per order and kind).
    case sendEmail(EmailKind)
    /// Nothing to do for this role (acknowledge the message).
    case none
}

/// The reactions of each role, as one table. Pure: the worker runtime performs them.
public struct ReactionTable: Sendable {
    public var timings: StageTimings
    public var kitchenMode: KitchenMode

    public init(timings: StageTimings, kitchenMode: KitchenMode = .timed) {
        self.timings = timings
        self.kitchenMode = kitchenMode
    }

    public func reaction(of role: WorkerRole, to status: OrderStatus) -> Reaction {
        switch role {
        case .kitchen:
            switch status {
            case .placed: return .advance(to: .accepted, delay: .zero)
            case .accepted: return kitchenMode == .timed ? .advance(to: .baking, delay: timings.prep) : .none
            case .baking: return kitchenMode == .timed ? .advance(to: .ready, delay: timings.bake) : .none
            case .ready, .outForDelivery, .delivered, .cancelled: return .none
            }
        case .delivery:
            switch status {
            case .ready: return .advance(to: .outForDelivery, delay: timings.dispatch)
            case .outForDelivery: return .advance(to: .delivered, delay: timings.drive)
            case .placed, .accepted, .baking, .delivered, .cancelled: return .none
            }
        case .email:
            switch status {
            case .placed: return .sendEmail(.confirmed)
            case .outForDelivery: return .sendEmail(.outForDelivery)
            case .delivered: return .sendEmail(.delivered)
            case .cancelled: return .sendEmail(.cancelled)
            case .accepted, .baking, .ready: return .none
            }
        }
    }
}
