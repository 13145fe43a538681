/// The three consumer groups, each with its own queue.
public enum WorkerRole: String, Sendable, CaseIterable, Codable {
    case kitchen, delivery, email

    /// The work queue this role consumes.
    public var queue: String { rawValue }

    /// The routing keys bound to this role's queue. The kitchen takes only `order.placed` and the
    /// delivery only `order.ready`: each holds that message through all of its stages (see
    /// ``Stage``), so its own later events (`accepted`, `baking`; `out_for_delivery`) need not come
    /// back to it through the broker.
    public var bindings: [String] {
        switch self {
        case .kitchen: [OrderStatus.placed.routingKey]
        case .delivery: [OrderStatus.ready.routingKey]
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

/// One step of a worker's line of work: move the order to `status` once `after` has passed since
/// the order reached the status before it.
public struct Stage: Sendable, Equatable, CustomStringConvertible {
    public var status: OrderStatus
    public var after: Duration

    public init(_ status: OrderStatus, after: Duration) {
        self.status = status
        self.after = after
    }

    public var description: String { "\(status.rawValue)+\(after)" }
}

/// What a worker does when an event reaches its queue.
public enum Reaction: Sendable, Equatable {
    /// Move the order through these stages, in order, each once its time has passed. The worker
    /// holds the message (unacked) until the last one is committed: one delivery drives a whole
    /// line of work, and a worker that dies mid-line leaves the message to the next one, which
    /// resumes where the order is.
    case advance([Stage])
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

    /// The kitchen's line: accept at once, then the timed stages unless the crew bumps them.
    public var kitchenLine: [Stage] {
        let accept = Stage(.accepted, after: .zero)
        guard kitchenMode == .timed else { return [accept] }
        return [accept, Stage(.baking, after: timings.prep), Stage(.ready, after: timings.bake)]
    }

    /// The delivery's line: dispatch a courier, then drive.
    public var deliveryLine: [Stage] {
        [Stage(.outForDelivery, after: timings.dispatch), Stage(.delivered, after: timings.drive)]
    }

    public func reaction(of role: WorkerRole, to status: OrderStatus) -> Reaction {
        switch role {
        case .kitchen:
            // `placed` starts the line; `accepted` and `baking` (from an older binding, or a
            // partner) resume it.
            switch status {
            case .placed, .accepted, .baking: return Self.rest(of: kitchenLine, after: status)
            case .ready, .outForDelivery, .delivered, .cancelled: return .none
            }
        case .delivery:
            switch status {
            case .ready, .outForDelivery: return Self.rest(of: deliveryLine, after: status)
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

    /// The stages of `line` that come after `status`; `.none` when nothing is left.
    static func rest(of line: [Stage], after status: OrderStatus) -> Reaction {
        let stages = StageRun.remaining(line, after: status)
        return stages.isEmpty ? .none : .advance(Array(stages))
    }
}
