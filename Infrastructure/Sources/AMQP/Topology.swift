import Domain

/// The broker objects Pizzeria uses, declared idempotently by every process at start (and shipped
/// as `ops/rabbitmq/definitions.json` for operators who prefer to load them ahead of time).
///
/// For each work queue `Q`: `Q` (durable, of ``workQueueType``, bound to the exchange with the role's routing keys),
/// `Q.retry.<delay>` delay queues (durable, a TTL, dead-lettering back into `Q` through the default
/// exchange), and `Q.dead` (durable) for messages that will never succeed.
public struct Topology: Sendable, Equatable {
    /// The topic exchange every event is published to, with routing key `order.<status>`.
    public static let exchange = "pizzeria.events"

    /// The wait before each retry; the number of entries is the number of retries.
    public var retryDelays: [Duration]

    /// The type new work queues are declared with (`PIZZERIA_AMQP_QUEUE_TYPE`).
    public var workQueueType: WorkQueueType

    public init(retryDelays: [Duration] = Topology.defaultRetryDelays, workQueueType: WorkQueueType = .quorum) {
        self.retryDelays = retryDelays
        self.workQueueType = workQueueType
    }

    /// A work queue that already existed with another type than ``workQueueType``, and was kept as it
    /// is: RabbitMQ cannot change a queue's type, and deleting it would drop its messages.
    public struct KeptQueueType: Sendable, Equatable {
        public var queue: String
        public var existing: WorkQueueType
        public var configured: WorkQueueType

        public init(queue: String, existing: WorkQueueType, configured: WorkQueueType) {
            self.queue = queue
            self.existing = existing
            self.configured = configured
        }
    }

    public static let defaultRetryDelays: [Duration] = [.seconds(1), .seconds(5), .seconds(30)]

    /// The dead-letter queue of a work queue.
    public static func deadLetterQueue(of queue: String) -> String { "\(queue).dead" }

    /// The delay queue named after its delay (`kitchen.retry.5s`), so changing delays makes new
    /// queues instead of clashing with the arguments of old ones.
    public static func retryQueue(of queue: String, delay: Duration) -> String {
        let millis = delay.wholeMilliseconds
        return millis % 1000 == 0 ? "\(queue).retry.\(millis / 1000)s" : "\(queue).retry.\(millis)ms"
    }

    /// The delay queue for the retry after failed attempt number `attempt` (1-based), or `nil`
    /// when the attempts are used up.
    public func retryQueue(of queue: String, afterAttempt attempt: Int) -> String? {
        guard attempt >= 1, attempt <= retryDelays.count else { return nil }
        return Self.retryQueue(of: queue, delay: retryDelays[attempt - 1])
    }

    /// Every attempt a message gets: the first plus one per retry.
    public var maxAttempts: Int { retryDelays.count + 1 }

    /// Bindings earlier versions made and this one removes: the kitchen used to take its own
    /// `accepted` and `baking` events back to time the next stage, and the delivery its own
    /// `out_for_delivery`; each now holds the message that starts its line (`order.placed`,
    /// `order.ready`) through all of its stages.
    public static let retiredBindings: [(queue: String, routingKey: String)] = [
        (WorkerRole.kitchen.queue, OrderStatus.accepted.routingKey),
        (WorkerRole.kitchen.queue, OrderStatus.baking.routingKey),
        (WorkerRole.delivery.queue, OrderStatus.outForDelivery.routingKey),
    ]

    /// Whether some work queue takes events with this routing key. Only those are published with
    /// the mandatory flag (an unroutable one is then an error worth a log line); the others
    /// (`order.accepted`, `order.baking`) go to the exchange for whoever binds them.
    public static func isConsumed(_ routingKey: String) -> Bool {
        consumedRoutingKeys.contains(routingKey)
    }

    private static let consumedRoutingKeys = Set(WorkerRole.allCases.flatMap(\.bindings))

    /// Declares the exchange and, for each role, its queues and bindings. Returns the work queues
    /// that exist with the other type, which are used as they are (callers log them).
    @discardableResult
    public func declare(on connection: AMQPConnection, roles: [WorkerRole] = WorkerRole.allCases) throws(AMQPError) -> [KeptQueueType] {
        try connection.declareExchange(Self.exchange, type: "topic", durable: true)
        var kept: [KeptQueueType] = []
        for role in roles {
            let queue = role.queue
            if try !declareWorkQueue(queue, type: workQueueType, on: connection) {
                // Refused: the queue exists with other arguments, the other type if these ones match.
                guard try declareWorkQueue(queue, type: workQueueType.other, on: connection) else {
                    throw AMQPError(.refused, operation: "queue.declare \(queue)",
                                    message: "the queue exists with arguments that are neither a classic nor a quorum work queue's")
                }
                kept.append(KeptQueueType(queue: queue, existing: workQueueType.other, configured: workQueueType))
            }
            for key in role.bindings {
                try connection.bindQueue(queue, exchange: Self.exchange, routingKey: key)
            }
            for retired in Self.retiredBindings where retired.queue == queue {
                try connection.unbindQueue(queue, exchange: Self.exchange, routingKey: retired.routingKey)
            }
            try connection.declareQueue(Self.deadLetterQueue(of: queue), durable: true)
            for delay in Set(retryDelays) {
                let millis = delay.wholeMilliseconds
                try connection.declareQueue(Self.retryQueue(of: queue, delay: delay), durable: true, arguments: [
                    "x-message-ttl": .int(millis),
                    "x-dead-letter-exchange": .string(""),
                    "x-dead-letter-routing-key": .string(queue),
                ])
            }
        }
        return kept
    }

    /// Declares a work queue as `type`; false (with the channel open again) when the broker refuses
    /// because the queue exists with other arguments.
    private func declareWorkQueue(_ queue: String, type: WorkQueueType, on connection: AMQPConnection) throws(AMQPError) -> Bool {
        do {
            try connection.declareQueue(queue, durable: true, arguments: type.declareArguments)
            return true
        } catch where error.kind == .refused && error.code == 406 {
            try connection.reopenChannel()
            return false
        }
    }
}
