import Domain
import Foundation
import Glibc
import Logging

/// Moves committed events from the SQLite outbox to the world: first the status notice to Redis
/// (best effort; for entries a commit of this process hands over, the committing thread has
/// published it already, see ``OutboxHandoff``), then the event to RabbitMQ (persistent,
/// confirmed, mandatory when a work queue takes it). An entry leaves
/// the outbox only after the broker's ack, so nothing committed is lost; an entry may be published
/// twice (a relay dies after the publish, before the delete), which consumers absorb: the AMQP
/// `message_id` is the event id and every handler is idempotent on it.
///
/// The notice goes out before the event, so a notice for step n always reaches Redis before any
/// consumer can make step n+1: live views see the steps in order.
///
/// One relay per process; relays of several processes share the outbox through leases.
public final class OutboxRelay: Sendable {
    public struct Settings: Sendable {
        public var batchSize = 500
        /// How often to look for entries no commit of this process handed over (other processes', released ones, expired leases).
        public var pollInterval: Duration = .milliseconds(100)
        /// How long a claimed batch stays ours before another relay may take it.
        public var lease: Duration = .seconds(20)
        public var confirmTimeout: Duration = .seconds(5)
        public init() {}
    }

    private let database: PizzeriaDatabase
    private let amqp: AMQPConfiguration
    private let redis: RedisConfiguration
    private let topology: Topology
    private let settings: Settings
    private let owner: String
    private let logger: Logger
    /// Stops the loop; the outbox handoff rings it when a commit hands entries over.
    public let control = LoopControl()

    public init(database: PizzeriaDatabase, amqp: AMQPConfiguration, redis: RedisConfiguration, topology: Topology,
                settings: Settings = Settings(), owner: String, logger: Logger) {
        self.database = database
        self.amqp = amqp
        self.redis = redis
        self.topology = topology
        self.settings = settings
        self.owner = owner
        self.logger = logger
    }

    /// The relay as a service for a `ServiceGroup`.
    public var service: ThreadService {
        ThreadService(name: "outbox-relay", control: control) { [self] control in run(control) }
    }

    /// The loop; returns after ``LoopControl/stop()``, having tried once more to flush the outbox.
    ///
    /// Entries this process commits arrive through ``OutboxHandoff`` already leased, and go out at
    /// once. Every `pollInterval` a pass of its own leases what else waits (other processes'
    /// entries, released ones, leases that ran out) and deletes confirmed entries that no commit
    /// has deleted yet.
    public func run(_ control: LoopControl) {
        let publisher = ConfirmingPublisher(configuration: amqp, topology: topology, logger: logger)
        let notices = StatusNoticePublisher(configuration: redis, logger: logger)
        let handoff = database.outboxHandoff
        handoff.attach(owner: owner, lease: settings.lease, limit: settings.batchSize, notices: redis) { [control] in control.ring() }
        defer {
            handoff.setConnected(false)
            releaseHanded()
            publisher.close()
            notices.close()
        }
        var backoff = Backoff(initial: .milliseconds(200), maximum: .seconds(5))
        var lastHousekeeping = ContinuousClock.now - .seconds(10)
        var lastPass = ContinuousClock.now - .seconds(10)
        while !control.isStopped {
            if ContinuousClock.now - lastHousekeeping >= .seconds(1) {
                lastHousekeeping = .now
                if let backlog = try? database.outboxBacklog() {
                    PipelineMetrics.outboxBacklog(backlog)
                    if backlog > 0 { releaseLeasesOfDeadRelays() }
                }
            }
            do {
                // Connect first: with the broker down, leave the entries alone (and Redis quiet).
                try publisher.connect()
                handoff.setConnected(true)
                let handed = try publish(handoff.takeHanded(), publisher: publisher, notices: notices, noticesSent: true)
                var moreWaiting = false
                if ContinuousClock.now - lastPass >= settings.pollInterval {
                    lastPass = .now
                    moreWaiting = try pass(publisher: publisher, notices: notices) >= settings.batchSize
                    // A full batch: more entries wait (a backlog after an outage); the next pass runs at once.
                    if moreWaiting { lastPass = .now - settings.pollInterval }
                }
                backoff.reset()
                if handed == 0 && !moreWaiting {
                    try publisher.keepAlive()
                    control.wait(max(.zero, settings.pollInterval - (ContinuousClock.now - lastPass)))
                }
            } catch {
                handoff.setConnected(false)
                releaseHanded()
                logger.warning("outbox.relay.failed", metadata: ["error": "\(error)"])
                control.wait(backoff.next())
            }
        }
        // Draining: flush what is committed now, while the broker answers.
        _ = try? publish(handoff.takeHanded(), publisher: publisher, notices: notices, noticesSent: true)
        while let published = try? pass(publisher: publisher, notices: notices), published > 0 {}
        try? database.removeFromOutbox(ids: handoff.takeConfirmed())
        logger.info("outbox.relay.stopped")
    }

    /// Gives back entries handed over but not published (the broker is gone, or the relay stops),
    /// so that a later pass, here or in another process, takes them without waiting for the lease.
    private func releaseHanded() {
        let handed = database.outboxHandoff.takeHanded()
        guard !handed.isEmpty else { return }
        try? database.releaseOutbox(ids: handed.map(\.id))
    }

    /// Takes back the leases of relays that ran on this host in a process that no longer exists
    /// (killed, crashed), instead of waiting for their leases to run out.
    func releaseLeasesOfDeadRelays() {
        guard let owners = try? database.outboxLeaseOwners() else { return }
        for owner in owners where owner != self.owner {
            let parts = owner.split(separator: "/")
            guard parts.count >= 3, String(parts[parts.count - 2]) == ProcessInfo.processInfo.hostName,
                  let pid = Int32(parts[parts.count - 1]), !ProcessLiveness.isAlive(pid) else { continue }
            if (try? database.releaseOutbox(owner: owner)) != nil {
                logger.warning("outbox.lease.released", metadata: ["outbox.owner": "\(owner)"])
            }
        }
    }

    /// One polling pass: deletes the confirmed entries not deleted yet, leases a batch of what
    /// waits, and publishes it; returns how many entries it published.
    func pass(publisher: ConfirmingPublisher, notices: StatusNoticePublisher) throws -> Int {
        try publisher.connect()
        let handoff = database.outboxHandoff
        let confirmed = handoff.takeConfirmed()
        let entries: [OutboxEntry]
        do {
            entries = try database.claimOutbox(owner: owner, limit: settings.batchSize, lease: settings.lease, removing: confirmed)
        } catch {
            handoff.confirmed(confirmed)
            throw error
        }
        return try publish(entries, publisher: publisher, notices: notices)
    }

    /// Publishes leased entries: the notices to Redis, then the events to RabbitMQ with confirms.
    /// Confirmed entries are deleted by the next commit or pass (``OutboxHandoff/confirmed(_:)``);
    /// refused ones are released. Returns how many the broker confirmed.
    func publish(_ entries: [OutboxEntry], publisher: ConfirmingPublisher, notices: StatusNoticePublisher,
                 noticesSent: Bool = false) throws -> Int {
        guard !entries.isEmpty else { return 0 }
        if !noticesSent, !notices.publish(entries.map(\.notice)) { PipelineMetrics.noticesDropped(entries.count) }
        let messages = entries.map(Self.message)
        let outcome: PublishOutcome
        do {
            outcome = try publisher.publish(messages, timeout: settings.confirmTimeout)
        } catch {
            try? database.releaseOutbox(ids: entries.map(\.id))
            throw error
        }
        database.outboxHandoff.confirmed(outcome.confirmed.map { entries[$0].id })
        PipelineMetrics.outboxPublished(outcome.confirmed.count)
        if !outcome.nacked.isEmpty {
            logger.warning("outbox.publish.nacked", metadata: ["outbox.count": "\(outcome.nacked.count)"])
            try database.releaseOutbox(ids: outcome.nacked.map { entries[$0].id })
        }
        logger.trace("outbox.published", metadata: ["outbox.count": "\(outcome.confirmed.count)"])
        return outcome.confirmed.count
    }

    /// The AMQP message for an outbox entry (DESIGN.md, "Events on the wire").
    static func message(for entry: OutboxEntry) -> AMQPOutgoingMessage {
        EventProperties.message(routingKey: entry.routingKey, body: entry.body, eventId: entry.eventId, type: entry.eventType,
                                orderId: entry.orderId, occurredAt: entry.notice.at)
    }
}

/// The AMQP properties every event carries.
public enum EventProperties {
    public static let schemaHeader = "x-pizzeria-schema"

    public static func make(eventId: String, type: String, orderId: String, occurredAt: Date) -> AMQPProperties {
        AMQPProperties(contentType: "application/json", deliveryMode: AMQPProperties.persistent, messageId: eventId,
                       correlationId: orderId, type: type, timestamp: UInt64(max(0, occurredAt.timeIntervalSince1970)),
                       appId: "pizzeria", headers: [schemaHeader: .int(Int64(EventSchema.current))])
    }

    /// The message for an event (used by producers that publish without the outbox, such as tests and partners).
    public static func message(for event: OrderEvent) -> AMQPOutgoingMessage {
        message(routingKey: event.routingKey, body: EventCodec.encode(event), eventId: event.eventId, type: event.type.rawValue,
                orderId: event.orderId, occurredAt: event.occurredAt)
    }

    /// An event on the exchange: mandatory when a work queue takes its routing key
    /// (``Topology/isConsumed(_:)``), so that only a real loss comes back as unroutable.
    static func message(routingKey: String, body: Data, eventId: String, type: String, orderId: String,
                        occurredAt: Date) -> AMQPOutgoingMessage {
        AMQPOutgoingMessage(exchange: Topology.exchange, routingKey: routingKey, body: body,
                            properties: make(eventId: eventId, type: type, orderId: orderId, occurredAt: occurredAt),
                            mandatory: Topology.isConsumed(routingKey))
    }
}

/// Whether a process exists (and is not a zombie) on this host.
enum ProcessLiveness {
    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return true }
        return !status.split(separator: "\n").contains { $0.hasPrefix("State:") && $0.contains("Z") }
    }
}
