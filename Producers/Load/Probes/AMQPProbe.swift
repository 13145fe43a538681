import Foundation
import Infrastructure
import Logging

/// The broker's ceilings through our own adapters, on a temporary durable queue `pizzeria.probe`
/// (reached through the default exchange, deleted afterwards).
///
/// Every call blocks (librabbitmq): run it on a thread of its own (``BlockingCall``).
public struct AMQPProbe: Sendable {
    public static let queue = "pizzeria.probe"
    private let configuration: AMQPConfiguration
    private let logger: Logger

    public init(configuration: AMQPConfiguration, logger: Logger) {
        var configuration = configuration
        // The admin connection idles while the probe runs: no heartbeats for the broker to miss.
        configuration.heartbeatSeconds = 0
        self.configuration = configuration
        self.logger = logger
    }

    /// Persistent messages of about 300 bytes, published with ``ConfirmingPublisher`` in batches
    /// (each batch waits for its confirms, as the outbox relay does).
    public func publish(count: Int, batch: Int = 100) throws -> ProbeResult {
        try withProbeQueue {
            let elapsed = try publishConfirmed(count: count, batch: batch)
            return ProbeResult(name: "amqp publish, persistent, confirmed per \(batch)", operations: count, elapsed: elapsed)
        }
    }

    /// Fills the probe queue with `count` messages, then consumes them with `prefetch` unacked
    /// messages at most, acking each one (as the workers do); only the consuming is timed.
    public func consume(count: Int, prefetch: UInt16 = 200) throws -> ProbeResult {
        try withProbeQueue {
            _ = try publishConfirmed(count: count, batch: 1000)
            let consumer = try AMQPConnection(configuration: configuration)
            defer { consumer.close() }
            try consumer.qos(prefetch: prefetch)
            try consumer.consume(queue: Self.queue)
            let started = ContinuousClock.now
            var received = 0
            while received < count {
                guard let delivery = try consumer.nextDelivery(timeout: .seconds(5)) else {
                    throw ProbeError("only \(received) of \(count) messages came back from \(Self.queue) within 5 s of the last")
                }
                try consumer.ack(delivery.deliveryTag)
                received += 1
            }
            return ProbeResult(name: "amqp consume + ack each, prefetch \(prefetch)", operations: count, elapsed: .now - started)
        }
    }

    private func publishConfirmed(count: Int, batch: Int) throws -> Duration {
        let publisher = ConfirmingPublisher(configuration: configuration, topology: nil, logger: logger)
        defer { publisher.close() }
        try publisher.connect()
        let body = Data(String(repeating: "x", count: 300).utf8)
        let started = ContinuousClock.now
        var sent = 0
        while sent < count {
            let size = min(batch, count - sent)
            let messages = (sent..<sent + size).map { index in
                AMQPOutgoingMessage(exchange: "", routingKey: Self.queue, body: body,
                                    properties: AMQPProperties(contentType: "application/octet-stream", deliveryMode: AMQPProperties.persistent,
                                                               messageId: "probe-\(index)", appId: "pizzeria-probe"))
            }
            let outcome = try publisher.publish(messages, timeout: .seconds(30))
            guard outcome.confirmed.count == size, outcome.unroutable.isEmpty else {
                throw ProbeError("the broker confirmed \(outcome.confirmed.count) of \(size) messages (\(outcome.nacked.count) nacked, "
                                 + "\(outcome.unroutable.count) unroutable)")
            }
            sent += size
        }
        return .now - started
    }

    /// Declares and empties the probe queue, runs `body`, then deletes the queue.
    private func withProbeQueue<T>(_ body: () throws -> T) throws -> T {
        let admin = try AMQPConnection(configuration: configuration)
        defer { admin.close() }
        try admin.declareQueue(Self.queue, durable: true)
        try admin.purgeQueue(Self.queue)
        defer {
            do {
                try admin.deleteQueue(Self.queue)
            } catch {
                logger.warning("probe.queue.not_deleted", metadata: ["amqp.queue": "\(Self.queue)", "error": "\(error)"])
            }
        }
        return try body()
    }
}
