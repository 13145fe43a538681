import Foundation
import Logging

/// What the broker said about a batch of publishes.
public struct PublishOutcome: Sendable, Equatable {
    /// Indexes (into the batch) the broker confirmed: they are safely stored (or were returned).
    public var confirmed: [Int] = []
    /// Indexes the broker refused (`basic.nack`): publish them again later.
    public var nacked: [Int] = []
    /// Message ids of confirmed messages that no queue was bound for.
    public var unroutable: [String] = []
}

/// Publishes persistent messages on a confirm-mode channel and waits for the broker's verdict.
///
/// Owns its own connection; like ``AMQPConnection`` it is used by one thread. After an error it
/// closes the connection and opens a new one on the next call.
public final class ConfirmingPublisher {
    private let configuration: AMQPConfiguration
    private let topology: Topology?
    private let logger: Logger
    private var connection: AMQPConnection?
    private var nextTag: UInt64 = 1
    private var lastKeepAlive = ContinuousClock.now

    /// - Parameter topology: declared after each (re)connect, when given.
    public init(configuration: AMQPConfiguration, topology: Topology?, logger: Logger) {
        self.configuration = configuration
        self.topology = topology
        self.logger = logger
    }

    deinit { connection?.close() }

    public func close() {
        connection?.close()
        connection = nil
    }

    /// Connects if needed (declaring the topology), so callers can tell "broker down" apart early.
    public func connect() throws(AMQPError) {
        guard connection == nil else { return }
        let connection = try AMQPConnection(configuration: configuration)
        do {
            try topology?.declare(on: connection).forEach { $0.log(to: logger) }
            try connection.confirmSelect(channel: 1)
        } catch {
            connection.close()
            throw error
        }
        self.connection = connection
        nextTag = 1
        logger.info("amqp.publisher.connected", metadata: ["amqp.broker": "\(configuration)"])
    }

    /// Lets librabbitmq send a heartbeat that is due and read the broker's, at most every 250 ms,
    /// on a connection that may have nothing to publish for a while (a relay in a quiet hour, a
    /// worker's publisher for failures). librabbitmq sends heartbeats only from inside its calls,
    /// so without this an idle connection misses them, the broker closes it after two intervals
    /// ("missed heartbeats from client"), and the next publish fails with a socket error. A no-op
    /// while not connected.
    public func keepAlive() throws(AMQPError) {
        guard let connection, ContinuousClock.now - lastKeepAlive >= .milliseconds(250) else { return }
        lastKeepAlive = .now
        do throws(AMQPError) {
            // No publish is outstanding between batches: a late confirm of a timed-out batch is
            // all that can come, and it is dropped like any confirm outside a batch.
            while try connection.nextPublishEvent(timeout: .zero) != nil {}
        } catch {
            throw lost(error)
        }
    }

    /// Publishes every message, then waits (up to `timeout`) until each one is acked or nacked.
    public func publish(_ batch: [AMQPOutgoingMessage], timeout: Duration = .seconds(10)) throws(AMQPError) -> PublishOutcome {
        var outcome = PublishOutcome()
        guard !batch.isEmpty else { return outcome }
        try connect()
        guard let connection else { return outcome }
        do throws(AMQPError) {
            let firstTag = nextTag
            try connection.corked { () throws(AMQPError) in
                for message in batch {
                    try connection.publish(message)
                    nextTag += 1
                }
            }
            let lastTag = nextTag - 1
            var settled = Array(repeating: false, count: batch.count)
            var remaining = batch.count
            let deadline = ContinuousClock.now + timeout
            func settle(_ tag: UInt64, multiple: Bool, ok: Bool) {
                let low = multiple ? firstTag : tag
                guard tag >= firstTag, low <= lastTag else { return }
                for t in max(low, firstTag)...min(tag, lastTag) {
                    let index = Int(t - firstTag)
                    if !settled[index] {
                        settled[index] = true
                        remaining -= 1
                        if ok { outcome.confirmed.append(index) } else { outcome.nacked.append(index) }
                    }
                }
            }
            while remaining > 0 {
                let left = deadline - ContinuousClock.now
                guard left > .zero else {
                    throw AMQPError(.timeout, operation: "wait for \(remaining) confirms", message: "no confirm within \(timeout)")
                }
                switch try connection.nextPublishEvent(timeout: min(left, .milliseconds(500))) {
                case .ack(let tag, let multiple): settle(tag, multiple: multiple, ok: true)
                case .nack(let tag, let multiple): settle(tag, multiple: multiple, ok: false)
                case .returned(let messageId, let routingKey, let text):
                    outcome.unroutable.append(messageId ?? "")
                    logger.error("amqp.publish.unroutable", metadata: [
                        "event.id": "\(messageId ?? "-")", "amqp.routing_key": "\(routingKey)", "amqp.reply": "\(text)",
                    ])
                case nil: continue
                }
            }
            outcome.confirmed.sort()
            outcome.nacked.sort()
            return outcome
        } catch {
            throw lost(error)
        }
    }

    /// Logs a broken connection and drops it, so that the next call opens a new one; returns the error to throw.
    private func lost(_ error: AMQPError) -> AMQPError {
        logger.warning("amqp.publisher.lost", metadata: ["error": "\(error)"])
        close()
        return error
    }
}
