import Domain
import Foundation
import Infrastructure
import Logging

/// Consumes one work queue: decodes each message, lets the role's handler do the work when it is
/// due (a line of timed stages is driven by one message, held until its last stage), and acks only
/// after the handler's SQLite commit. A message that fails is
/// republished (with a confirm) to a delay queue or to `<queue>.dead` before the original is acked,
/// so a failure never loses a message and never blocks the ones behind it.
///
/// Runs on a thread of its own (librabbitmq blocks); reconnects with backoff when the broker goes.
public final class QueueWorker: Sendable {
    /// Does the role's work for a batch of events (one SQLite transaction where it can), and
    /// says for each whether it succeeded or failed (retry or dead letter).
    public typealias Handler = @Sendable ([(OrderEvent, Reaction)]) -> [Result<HandlingResult, HandlingFailure>]

    public let role: WorkerRole
    private let settings: WorkerSettings
    /// This role's prefetch and largest batch (``WorkerSettings/prefetch(for:)``, ``WorkerSettings/batchSize(for:)``).
    private let prefetch: UInt16
    private let batchSize: Int
    private let handler: Handler
    private let logger: Logger

    /// The handler's commits hand their events to this process' outbox relay (``OutboxHandoff``).
    public init(role: WorkerRole, settings: WorkerSettings, logger: Logger, handler: @escaping Handler) {
        self.role = role
        self.settings = settings
        prefetch = settings.prefetch(for: role)
        batchSize = settings.batchSize(for: role)
        self.handler = handler
        var logger = logger
        logger[metadataKey: "amqp.queue"] = "\(role.queue)"
        self.logger = logger
    }

    public var service: ThreadService {
        ThreadService(name: "worker-\(role.rawValue)") { [self] control in run(control) }
    }

    /// Consumes until ``LoopControl/stop()``; messages still waiting for their stage time are left
    /// unacked, and the broker gives them to the next consumer.
    public func run(_ control: LoopControl) {
        var backoff = Backoff()
        while !control.isStopped {
            var consumer: AMQPConnection?
            let publisher = ConfirmingPublisher(configuration: settings.amqp, topology: nil, logger: logger)
            do {
                let connection = try AMQPConnection(configuration: settings.amqp)
                consumer = connection
                try settings.topology.declare(on: connection).filter { $0.queue == role.queue }.forEach { $0.log(to: logger) }
                try connection.qos(prefetch: prefetch)
                try connection.consume(queue: role.queue)
                logger.info("worker.consuming", metadata: ["amqp.broker": "\(settings.amqp)", "amqp.prefetch": "\(prefetch)"])
                backoff.reset()
                try consume(consumer: connection, publisher: publisher, control: control)
            } catch {
                logger.warning("worker.connection.lost", metadata: ["error": "\(error)"])
            }
            consumer?.close()
            publisher.close()
            if !control.isStopped { control.wait(backoff.next()) }
        }
        logger.info("worker.stopped")
    }

    /// A decoded message and what to do with it now.
    private struct Item {
        var delivery: AMQPDelivery
        var event: OrderEvent
        /// What the handler does at this step: the email, or the stages that are due.
        var step: Reaction
        /// For a line of stages, all of them: after each step the next one is worked out from
        /// where the order stands. The message is acked when the line is finished.
        var line: [Stage]
    }

    /// A message whose next stage is not due yet.
    private struct Waiting {
        var due: ContinuousClock.Instant
        var item: Item
    }

    /// The loop: take what the broker has (up to a batch) and the waiting messages that are due,
    /// hand them to the handler as one batch, and set aside those whose next stage must wait.
    private func consume(consumer: AMQPConnection, publisher: ConfirmingPublisher, control: LoopControl) throws(AMQPError) {
        var waiting: [Waiting] = []
        func park(_ entry: Waiting) {
            let index = waiting.firstIndex { $0.due > entry.due } ?? waiting.endIndex
            waiting.insert(entry, at: index)
        }
        while !control.isStopped {
            try publisher.keepAlive()  // its connection is idle until a message fails
            let now = ContinuousClock.now
            var ready: [Item] = []
            while let first = waiting.first, first.due <= now, ready.count < batchSize {
                ready.append(waiting.removeFirst().item)
            }
            var timeout: Duration = ready.isEmpty ? .milliseconds(200) : .zero
            if let first = waiting.first, ready.isEmpty { timeout = min(timeout, max(.zero, first.due - now)) }
            if var delivery = try consumer.nextDelivery(timeout: timeout) {
                let gatherUntil = ContinuousClock.now + (settings.gatherWindows[role] ?? .zero)
                while true {
                    if let entry = try receive(delivery, consumer: consumer, publisher: publisher) {
                        if entry.due <= .now { ready.append(entry.item) } else { park(entry) }
                    }
                    // Full when it reaches the batch size, or when the broker can send no more:
                    // it holds back once `prefetch` messages are unacked (this batch and the parked ones).
                    guard ready.count < batchSize, ready.count + waiting.count < Int(prefetch),
                          let more = try consumer.nextDelivery(timeout: max(.zero, gatherUntil - .now)) else { break }
                    delivery = more
                }
            }
            if !ready.isEmpty {
                let (continuing, finished) = try execute(ready, consumer: consumer, publisher: publisher)
                for entry in continuing { park(entry) }
                try acknowledge(finished, holding: waiting, consumer: consumer)
            }
        }
    }

    /// Decodes a message and schedules its first step; nil when it is done already (acked, or
    /// moved to a retry or dead-letter queue).
    private func receive(_ delivery: AMQPDelivery, consumer: AMQPConnection, publisher: ConfirmingPublisher) throws(AMQPError) -> Waiting? {
        let schema = delivery.properties.headers[EventProperties.schemaHeader]?.intValue.map { Int($0) }
        let event: OrderEvent
        do {
            event = try EventCodec.decode(delivery.body, schema: schema)
        } catch {
            try fail(delivery, event: nil, .poison(error.description), consumer: consumer, publisher: publisher)
            return nil
        }
        let reaction = settings.reactions.reaction(of: role, to: event.status)
        switch reaction {
        case .none:
            try consumer.ack(delivery.deliveryTag)
            return nil
        case .sendEmail:
            return Waiting(due: .now, item: Item(delivery: delivery, event: event, step: reaction, line: []))
        case .advance(let line):
            let item = Item(delivery: delivery, event: event, step: .none, line: line)
            // The event says where the order was and when; the first stage counts from then.
            guard let next = schedule(item, from: OrderPosition(status: event.status, since: event.occurredAt)) else {
                try consumer.ack(delivery.deliveryTag)
                return nil
            }
            return next
        }
    }

    /// The next step of a line for an order at `position`; nil when the line is finished.
    private func schedule(_ item: Item, from position: OrderPosition) -> Waiting? {
        guard case .apply(let statuses, let due) = StageRun.next(item.line, current: position.status, reachedAt: position.since) else {
            return nil
        }
        var item = item
        item.step = .advance(item.line.filter { statuses.contains($0.status) })
        let delay = due.timeIntervalSinceNow
        return Waiting(due: delay > 0 ? .now + .milliseconds(Int64((delay * 1000).rounded(.up))) : .now, item: item)
    }

    /// Runs the handler on a batch and moves each failure on; returns the messages whose line goes
    /// on (unacked, for their next stage) and the delivery tags of those that are finished (to ack).
    private func execute(_ batch: [Item], consumer: AMQPConnection,
                         publisher: ConfirmingPublisher) throws(AMQPError) -> (continuing: [Waiting], finished: [UInt64]) {
        let results = handler(batch.map { ($0.event, $0.step) })
        var continuing: [Waiting] = []
        var finished: [UInt64] = []
        for (item, result) in zip(batch, results) {
            switch result {
            case .success(let outcome):
                switch outcome {
                case .changed(let at):
                    logger.debug("worker.handled", metadata: ["order.id": "\(item.event.orderId)", "event.id": "\(item.event.eventId)",
                                                              "order.status": "\(at?.status.rawValue ?? item.event.status.rawValue)"])
                case .unchanged(let why, _):
                    logger.debug("worker.skipped", metadata: ["order.id": "\(item.event.orderId)", "event.id": "\(item.event.eventId)",
                                                              "reason": "\(why)"])
                }
                if !item.line.isEmpty, let position = outcome.position, let next = schedule(item, from: position) {
                    continuing.append(next)
                    continue
                }
                finished.append(item.delivery.deliveryTag)
                PipelineMetrics.handled(queue: role.queue)
            case .failure(let failure):
                try fail(item.delivery, event: item.event, failure, consumer: consumer, publisher: publisher)
            }
        }
        return (continuing, finished)
    }

    /// Acks the finished messages of a batch (after its commit): one `multiple` ack covers every
    /// finished tag below the lowest message still held for a later stage, since everything else
    /// under it is acked already (failures are acked as they are moved on); tags above it are
    /// acked one by one, so a held message is never acked by accident.
    private func acknowledge(_ tags: [UInt64], holding waiting: [Waiting], consumer: AMQPConnection) throws(AMQPError) {
        let lowestHeld = waiting.lazy.map(\.item.delivery.deliveryTag).min() ?? .max
        var top: UInt64?
        var below = 0
        for tag in tags where tag < lowestHeld {
            top = max(top ?? tag, tag)
            below += 1
        }
        if let top { try consumer.ack(top, multiple: below > 1) }
        for tag in tags where tag >= lowestHeld { try consumer.ack(tag) }
    }

    /// Sends a failed message to its next delay queue, or to the dead-letter queue, then acks it.
    private func fail(_ delivery: AMQPDelivery, event: OrderEvent?, _ failure: HandlingFailure,
                      consumer: AMQPConnection, publisher: ConfirmingPublisher) throws(AMQPError) {
        let attempts = FailureHeaders.attempts(of: delivery.properties) + 1
        let target: String
        let kind: String
        switch failure {
        case .poison:
            target = Topology.deadLetterQueue(of: role.queue)
            kind = "poison"
        case .transient:
            if let retry = settings.topology.retryQueue(of: role.queue, afterAttempt: attempts) {
                target = retry
                kind = "retry"
            } else {
                target = Topology.deadLetterQueue(of: role.queue)
                kind = "exhausted"
            }
        }
        let headers = FailureHeaders.annotate(delivery.properties.headers, reason: failure.description, attempts: attempts,
                                              queue: role.queue, originalRoutingKey: delivery.routingKey, kind: kind)
        var copy = delivery.republished(exchange: "", routingKey: target, headers: headers)
        copy.properties.expiration = nil
        if kind == "retry", attempts <= settings.topology.retryDelays.count {
            // Jitter: a per-message TTL of 80–100 % of the queue's delay spreads retries that failed
            // together (RabbitMQ removes this property when the message is dead-lettered back).
            copy.properties.expiration = String(RetryJitter.millis(settings.topology.retryDelays[attempts - 1]))
        }
        let outcome = try publisher.publish([copy])
        guard outcome.confirmed == [0], outcome.unroutable.isEmpty else {
            throw AMQPError(.nacked, operation: "move message to \(target)", message: "the broker did not take it")
        }
        try consumer.ack(delivery.deliveryTag)
        let metadata: Logger.Metadata = [
            "order.id": "\(event?.orderId ?? "-")", "event.id": "\(delivery.properties.messageId ?? event?.eventId ?? "-")",
            "failure": "\(kind)", "reason": "\(failure.description)", "attempts": "\(attempts)", "amqp.target": "\(target)",
        ]
        if kind == "retry" {
            PipelineMetrics.retried(queue: role.queue, reason: failure.description)
            logger.warning("worker.retry", metadata: metadata)
        } else {
            PipelineMetrics.deadLettered(queue: role.queue, reason: failure.description)
            logger.error("worker.dead_letter", metadata: metadata)
        }
    }
}

/// The per-message TTL of a retry: 80–100 % of the delay.
enum RetryJitter {
    static func millis(_ delay: Duration) -> Int64 {
        let full = delay.wholeMilliseconds
        return max(1, Int64(Double(full) * Double.random(in: 0.8...1.0)))
    }
}
