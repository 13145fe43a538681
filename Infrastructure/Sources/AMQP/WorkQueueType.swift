import Logging

/// The RabbitMQ queue type of the three work queues (`kitchen`, `delivery`, `email`); their delay
/// and dead-letter queues stay classic.
///
/// - `classic`: RabbitMQ's classic queue. A persistent message reaches its consumer before it is on
///   disk, and its confirm follows the queue's flush.
/// - `quorum`: a Raft log written through the broker's one write-ahead log, shared by every quorum
///   queue of the node and flushed for all of them at once; a message reaches its consumer and its
///   publisher's confirm once it is on disk. It is RabbitMQ's replicated queue type for clusters.
///   The default since session 29. Measured on this project's 2-core machines (README, table of
///   changes): the broker spends 35–45 % less CPU per order at full speed (no garbage collection of
///   large queue heaps while the email queue holds a backlog), with no longer tail at half of it.
///
/// A queue's type is fixed when the queue is created: ``Topology/declare(on:roles:)`` keeps the type
/// an existing work queue has and reports it (``Topology/KeptQueueType``).
public enum WorkQueueType: String, Sendable, Equatable, CaseIterable {
    case classic
    case quorum

    /// The `queue.declare` arguments that ask for this type. Classic sends none, as every version of
    /// this project did before the setting existed, so that the queues those versions made match.
    var declareArguments: [String: AMQPHeaderValue] {
        switch self {
        case .classic: [:]
        case .quorum: ["x-queue-type": .string("quorum")]
        }
    }

    /// The type's arguments in a definitions document.
    var definitionArguments: [String: String] {
        switch self {
        case .classic: [:]
        case .quorum: ["x-queue-type": "quorum"]
        }
    }

    /// The other type: what an existing queue is when a declaration of this one is refused.
    var other: WorkQueueType { self == .classic ? .quorum : .classic }
}

extension Topology.KeptQueueType {
    /// Tells the operator that the setting did not apply to this queue, and how to make it apply.
    public func log(to logger: Logger) {
        logger.warning("amqp.queue.type_kept", metadata: [
            "amqp.queue": "\(queue)", "amqp.queue_type": "\(existing.rawValue)", "configured": "\(configured.rawValue)",
            "hint": "a queue keeps the type it was created with; to change it, stop the web front, let the workers empty the queue, stop them, delete it (rabbitmqctl delete_queue \(queue)) and start them again",
        ])
    }
}
