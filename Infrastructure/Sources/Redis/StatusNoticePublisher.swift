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
    public static func encode(_ notice: StatusNotice) -> String {
        var object: [String: Any] = [
            "orderId": notice.orderId, "seq": notice.seq, "status": notice.status.rawValue, "at": Timestamp.format(notice.at),
        ]
        if let eventId = notice.eventId { object["eventId"] = eventId }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    public static func decode(_ text: String) -> StatusNotice? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let orderId = object["orderId"] as? String, let seq = object["seq"] as? Int,
              let rawStatus = object["status"] as? String, let status = OrderStatus(rawValue: rawStatus),
              let at = (object["at"] as? String).flatMap(Timestamp.parse)
        else { return nil }
        return StatusNotice(orderId: orderId, seq: seq, status: status, at: at, eventId: object["eventId"] as? String)
    }
}
