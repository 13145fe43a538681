import Domain
import Foundation
import Logging

/// Pushes status notices to Redis pub/sub on `order:<id>` and `kitchen`.
///
/// Best effort by design: SQLite is the source of truth and live views catch up from it
/// (`Last-Event-ID`), so when Redis is down this logs, counts, and lets the pipeline go on. It
/// reconnects by itself, at most once per `retryInterval`. Used by one thread.
public final class StatusNoticePublisher {
    private let configuration: RedisConfiguration
    private let logger: Logger
    private var connection: RedisConnection?
    private var lastAttempt: ContinuousClock.Instant?
    private let retryInterval: Duration

    public init(configuration: RedisConfiguration, logger: Logger, retryInterval: Duration = .seconds(1)) {
        self.configuration = configuration
        self.logger = logger
        self.retryInterval = retryInterval
    }

    deinit { connection?.close() }

    public func close() {
        connection?.close()
        connection = nil
    }

    /// The channel an order's notices go to.
    public static func channel(orderId: String) -> String { "order:\(orderId)" }
    /// The channel every notice also goes to, for kitchen displays.
    public static let kitchenChannel = "kitchen"

    /// Publishes each notice on its order's channel and on the kitchen channel, pipelined.
    /// Returns false when Redis could not be reached (the notices are dropped, and logged).
    @discardableResult
    public func publish(_ notices: [StatusNotice]) -> Bool {
        guard !notices.isEmpty else { return true }
        guard let connection = connectIfDue() else { return false }
        var commands: [[String]] = []
        commands.reserveCapacity(notices.count * 2)
        for notice in notices {
            let json = NoticeCoding.encode(notice)
            commands.append(["PUBLISH", Self.channel(orderId: notice.orderId), json])
            commands.append(["PUBLISH", Self.kitchenChannel, json])
        }
        do {
            _ = try connection.pipeline(commands)
            return true
        } catch {
            logger.warning("redis.publish.failed", metadata: ["error": "\(error)", "redis.dropped": "\(notices.count)"])
            close()
            return false
        }
    }

    private func connectIfDue() -> RedisConnection? {
        if let connection { return connection }
        let now = ContinuousClock.now
        if let lastAttempt, now - lastAttempt < retryInterval { return nil }
        lastAttempt = now
        do {
            let connection = try RedisConnection(configuration: configuration)
            self.connection = connection
            logger.info("redis.connected", metadata: ["redis.server": "\(configuration)"])
            return connection
        } catch {
            logger.warning("redis.unreachable", metadata: ["error": "\(error)"])
            return nil
        }
    }
}

/// The JSON of a status notice (`{"orderId","seq","status","at","eventId"}`), shared by Redis and SSE.
public enum NoticeCoding {
    /// Keys in sorted order, written by hand: this runs for every notice, on every relay.
    public static func encode(_ notice: StatusNotice) -> String {
        var json = "{\"at\":\"\(Timestamp.format(notice.at))\""
        if let eventId = notice.eventId { json += ",\"eventId\":" + JSONText.quoted(eventId) }
        json += ",\"orderId\":" + JSONText.quoted(notice.orderId)
        json += ",\"seq\":\(notice.seq),\"status\":\"\(notice.status.rawValue)\"}"
        return json
    }

    private struct Wire: Decodable {
        var orderId: String
        var seq: Int
        var status: OrderStatus
        var at: String
        var eventId: String?
    }

    private static let decoder = JSONDecoder()

    /// The notice in `text`: by hand when it has the usual shape (``NoticeFastDecoder``), else with `JSONDecoder`.
    public static func decode(_ text: String) -> StatusNotice? {
        if let notice = NoticeFastDecoder.notice(from: text) { return notice }
        guard let wire = try? decoder.decode(Wire.self, from: Data(text.utf8)), let at = Timestamp.parse(wire.at) else { return nil }
        return StatusNotice(orderId: wire.orderId, seq: wire.seq, status: wire.status, at: at, eventId: wire.eventId)
    }
}
