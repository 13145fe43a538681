import Domain
import Foundation
import Infrastructure
import Logging

/// When the status notices of one order arrived on Redis.
public struct NoticeTrace: Sendable {
    /// The first arrival of each status.
    public var firstSeen: [OrderStatus: ContinuousClock.Instant] = [:]
    /// The time written in that first notice (`at`): when the process that made the change stamped
    /// it, before its commit (to the millisecond, by the wall clock); kept for ``stamped`` only.
    public var stampedAt: [OrderStatus: Date] = [:]
    /// The statuses whose stamps the load report splits the way to `accepted` at.
    public static let stamped: Set<OrderStatus> = [.placed, .accepted]
    /// Statuses seen more than once on the order's channel.
    public var repeated: Set<OrderStatus> = []
}

/// Watches every order channel on Redis (`PSUBSCRIBE order:*`) from a thread of its own and notes
/// when each status notice arrives, by order id. A notice can arrive before the `201` that tells
/// the load generator the order's id, so every notice is kept and matched afterwards.
///
/// ``start()`` returns once Redis has confirmed the subscription, so nothing published after it
/// is missed. ``stop()`` publishes on a private control channel, which ends the blocking read
/// without a timeout (a read timeout would leave the hiredis context unusable).
///
/// `@unchecked Sendable`: the tables are only touched with `lock` held; the Redis connection
/// belongs to the watcher thread alone.
public final class NoticeWatcher: @unchecked Sendable {
    private let configuration: RedisConfiguration
    private let logger: Logger
    private let controlChannel = "pizzeria-load-control:\(UUID().uuidString)"
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var traces: [String: NoticeTrace] = [:]
    private var watched: Set<String> = []
    private var watchedDelivered = 0
    private var lost: RedisError?

    public init(configuration: RedisConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Connects, subscribes and starts recording; returns when the subscription is in place.
    public func start() async throws {
        try await withCheckedThrowingContinuation { (ready: CheckedContinuation<Void, Error>) in
            let thread = Thread { [self] in
                defer { finished.signal() }
                let subscriber: RedisConnection
                do {
                    subscriber = try subscribe()
                } catch {
                    ready.resume(throwing: error)
                    return
                }
                defer { subscriber.close() }
                ready.resume()
                record(from: subscriber)
            }
            thread.name = "load-notice-watcher"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private func subscribe() throws(RedisError) -> RedisConnection {
        let subscriber = try RedisConnection(configuration: configuration)
        do throws(RedisError) {
            subscriber.setReadTimeout(nil)
            try subscriber.send(["PSUBSCRIBE", "order:*"])
            try subscriber.send(["SUBSCRIBE", controlChannel])
            // The two confirmations, in order: after them every notice reaches us.
            for _ in 0..<2 {
                guard case .array(let parts) = try subscriber.readReply(), case .string(let kind)? = parts.first,
                      kind == "psubscribe" || kind == "subscribe" else {
                    throw RedisError(operation: "subscribe", message: "unexpected reply to (P)SUBSCRIBE")
                }
            }
        } catch {
            subscriber.close()
            throw error
        }
        logger.debug("load.notices.subscribed", metadata: ["redis.server": "\(configuration)"])
        return subscriber
    }

    private func record(from subscriber: RedisConnection) {
        while true {
            let reply: RedisReply
            do {
                reply = try subscriber.readReply()
            } catch {
                logger.error("load.notices.lost", metadata: ["error": "\(error)"])
                lock.withLock { lost = error }
                return
            }
            let arrival = ContinuousClock.now
            guard case .array(let parts) = reply else { continue }
            switch parts.count {
            case 4:  // pmessage, pattern, channel, payload
                guard case .string(let payload) = parts[3], let notice = NoticeCoding.decode(payload) else { continue }
                note(notice, at: arrival)
            case 3:  // message, channel, payload: only our control channel is subscribed that way
                if case .string(let channel) = parts[1], channel == controlChannel { return }
            default:
                continue
            }
        }
    }

    private func note(_ notice: StatusNotice, at arrival: ContinuousClock.Instant) {
        lock.withLock {
            var trace = traces[notice.orderId] ?? NoticeTrace()
            if trace.firstSeen[notice.status] == nil {
                trace.firstSeen[notice.status] = arrival
                if NoticeTrace.stamped.contains(notice.status) { trace.stampedAt[notice.status] = notice.at }
                if notice.status == .delivered && watched.contains(notice.orderId) { watchedDelivered += 1 }
            } else {
                trace.repeated.insert(notice.status)
            }
            traces[notice.orderId] = trace
        }
    }

    /// Counts this order in ``deliveredCount`` (its notices may have arrived already).
    public func watch(_ orderId: String) {
        lock.withLock {
            guard watched.insert(orderId).inserted else { return }
            if traces[orderId]?.firstSeen[.delivered] != nil { watchedDelivered += 1 }
        }
    }

    /// How many watched orders have been seen `delivered`.
    public var deliveredCount: Int {
        lock.withLock { watchedDelivered }
    }

    /// The error that ended the subscription early, if Redis went away (notices were missed).
    public var failure: RedisError? {
        lock.withLock { lost }
    }

    /// What was seen for each of these orders.
    public func traces(of orderIds: [String]) -> [String: NoticeTrace] {
        lock.withLock {
            var result: [String: NoticeTrace] = [:]
            for id in orderIds { result[id] = traces[id] }
            return result
        }
    }

    /// Ends the subscription and waits (up to 5 s) for the watcher thread to finish.
    public func stop() async {
        let configuration = self.configuration
        let controlChannel = self.controlChannel
        let finished = self.finished
        _ = try? await BlockingCall.run(name: "load-notice-watcher-stop") {
            if let connection = try? RedisConnection(configuration: configuration) {
                _ = try? connection.command(["PUBLISH", controlChannel, "stop"])
                connection.close()
            }
            _ = finished.wait(timeout: .now() + 5)
        }
    }
}
