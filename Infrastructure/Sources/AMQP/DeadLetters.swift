import Domain
import Foundation
import Logging

/// A message in a `<queue>.dead` queue, with what an operator needs to decide about it.
public struct DeadLetter: Sendable, Equatable {
    /// Stable across listings: derived from the dead queue, message id, failure time and attempts.
    public var id: String
    public var deadQueue: String
    /// The work queue a replay sends it back to.
    public var sourceQueue: String
    public var messageId: String?
    public var orderId: String?
    public var eventType: String?
    public var attempts: Int
    public var reason: String
    public var failedAt: Date?
    public var delivery: AMQPDelivery

    init(deadQueue: String, delivery: AMQPDelivery) {
        let headers = delivery.properties.headers
        self.deadQueue = deadQueue
        self.delivery = delivery
        sourceQueue = headers[FailureHeaders.queue]?.stringValue
            ?? (deadQueue.hasSuffix(".dead") ? String(deadQueue.dropLast(5)) : deadQueue)
        messageId = delivery.properties.messageId
        orderId = delivery.properties.correlationId
        eventType = delivery.properties.type
        attempts = Int(headers[FailureHeaders.attempts]?.intValue ?? 0)
        reason = headers[FailureHeaders.error]?.stringValue ?? "rejected (no reason recorded)"
        failedAt = headers[FailureHeaders.failedAt]?.stringValue.flatMap(Timestamp.parse)
        let identity = [deadQueue, messageId ?? "", headers[FailureHeaders.failedAt]?.stringValue ?? "", String(attempts),
                        Digest.sha256Hex(delivery.body)].joined(separator: "|")
        id = String(Digest.sha256Hex(Data(identity.utf8)).prefix(12))
    }

    /// The message as a replay publishes it: same body, properties and `message_id`, back to its
    /// work queue, with a fresh attempt budget (failure and `x-death` headers removed).
    public var replayMessage: AMQPOutgoingMessage {
        var headers = delivery.properties.headers
        for key in [FailureHeaders.attempts, FailureHeaders.error, FailureHeaders.failedAt, FailureHeaders.worker, FailureHeaders.kind,
                    "x-death", "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason",
                    "x-last-death-exchange", "x-last-death-queue", "x-last-death-reason", "x-delivery-count"] {
            headers[key] = nil
        }
        headers["x-pizzeria-replayed-at"] = .string(Timestamp.format(Date()))
        headers["x-pizzeria-last-error"] = .string(reason)
        return delivery.republished(exchange: "", routingKey: sourceQueue, headers: headers)
    }
}

/// What a bulk action did.
public struct DeadLetterReport: Sendable, Equatable {
    public var done: [String] = []
    /// Ids asked for that were not found (already replayed or purged by someone else).
    public var missing: [String] = []
}

/// Lists, replays and purges dead letters, safely:
/// - reading never loses a message: messages are taken with manual acks and never acked by a
///   listing, so closing the connection puts every one of them back;
/// - a replay acks a dead letter only after the broker confirmed its copy in the work queue, so a
///   crash in between leaves a duplicate at worst, which idempotent handlers absorb;
/// - bulk actions act only on the ids given (taken from a listing), never on messages that died later.
public final class DeadLetterOperator: Sendable {
    private let configuration: AMQPConfiguration
    private let logger: Logger
    public let queues: [String]

    public init(configuration: AMQPConfiguration, queues: [String] = WorkerRole.allCases.map { Topology.deadLetterQueue(of: $0.queue) },
                logger: Logger) {
        self.configuration = configuration
        self.queues = queues
        self.logger = logger
    }

    /// Every dead letter, oldest failure first within each queue.
    public func list() throws(AMQPError) -> [DeadLetter] {
        let connection = try AMQPConnection(configuration: configuration)
        defer { connection.close() }  // returns every message we read to its queue
        var out: [DeadLetter] = []
        for queue in queues {
            try connection.declareQueue(queue, durable: true)
            while let delivery = try connection.get(queue: queue) {
                out.append(DeadLetter(deadQueue: queue, delivery: delivery))
            }
        }
        return out
    }

    public enum Action: Sendable {
        /// Back to the source queue, at most `perSecond` messages a second (`nil`: no limit).
        case replay(perSecond: Double?)
        case purge
    }

    /// Replays or purges the dead letters with these ids. `progress` is called after each one.
    public func perform(_ action: Action, ids: [String], progress: (Int, Int) -> Void = { _, _ in }) throws(AMQPError) -> DeadLetterReport {
        let wanted = Set(ids)
        var report = DeadLetterReport()
        guard !wanted.isEmpty else { return report }
        let connection = try AMQPConnection(configuration: configuration)
        let publisher = ConfirmingPublisher(configuration: configuration, topology: nil, logger: logger)
        defer {
            publisher.close()
            connection.close()  // whatever we did not ack goes back to its queue
        }
        var found: Set<String> = []
        var interval: Duration = .zero
        if case .replay(let rate?) = action, rate > 0 { interval = .milliseconds(Int64(1000 / rate)) }
        var lastSend = ContinuousClock.now - interval
        for queue in queues {
            while let delivery = try connection.get(queue: queue) {
                let letter = DeadLetter(deadQueue: queue, delivery: delivery)
                guard wanted.contains(letter.id), !found.contains(letter.id) else { continue }
                found.insert(letter.id)
                if case .replay = action {
                    let wait = interval - (ContinuousClock.now - lastSend)
                    if wait > .zero { Thread.sleep(forTimeInterval: wait.seconds) }
                    lastSend = .now
                    let outcome = try publisher.publish([letter.replayMessage])
                    guard outcome.confirmed == [0], outcome.unroutable.isEmpty else {
                        throw AMQPError(.nacked, operation: "replay \(letter.id) to \(letter.sourceQueue)", message: "the broker did not take it")
                    }
                }
                try connection.ack(delivery.deliveryTag)
                report.done.append(letter.id)
                logger.info(action.isReplay ? "dead_letter.replayed" : "dead_letter.purged", metadata: [
                    "dead_letter.id": "\(letter.id)", "event.id": "\(letter.messageId ?? "-")", "order.id": "\(letter.orderId ?? "-")",
                    "amqp.queue": "\(letter.sourceQueue)",
                ])
                progress(report.done.count, wanted.count)
            }
        }
        report.missing = ids.filter { !found.contains($0) }
        return report
    }
}

extension DeadLetterOperator.Action {
    var isReplay: Bool {
        if case .replay = self { return true }
        return false
    }
}
