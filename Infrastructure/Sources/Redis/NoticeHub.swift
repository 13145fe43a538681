import Domain
import Foundation
import Logging

/// What a live view receives from the hub.
public enum HubItem: Sendable, Equatable {
    case notice(StatusNotice)
    /// Time to send a keep-alive (and to look in SQLite for anything Redis did not bring).
    case heartbeat
}

/// One Redis subscriber connection per web process, fanned out to every live view (SSE client).
///
/// A thread holds the subscriber (`PSUBSCRIBE order:*`) and reconnects with backoff. Kitchen
/// displays are fed from the same stream: every notice goes to its order's channel and to `kitchen`,
/// so subscribing to both would bring each notice twice (12 Redis messages per order instead of 6). Each client gets an `AsyncStream` with a bounded buffer: a client too slow to keep up
/// loses its stream (it reconnects with `Last-Event-ID` and catches up from SQLite), so it never
/// blocks the others or grows memory without bound.
///
/// `@unchecked Sendable`: the client tables are only touched with `lock` held.
public final class NoticeHub: @unchecked Sendable {
    /// What a client listens to.
    public enum Topic: Hashable, Sendable {
        case order(String)
        case kitchen
    }

    private struct Client {
        var topic: Topic
        var continuation: AsyncStream<HubItem>.Continuation
    }

    private let configuration: RedisConfiguration
    private let logger: Logger
    private let bufferSize: Int
    private let heartbeat: Duration
    private let lock = NSLock()
    private var clients: [UUID: Client] = [:]
    private var byTopic: [Topic: Set<UUID>] = [:]
    private var connected = false
    private let controlChannel = "pizzeria-hub-control:\(UUID().uuidString)"
    public let control = LoopControl()

    public init(configuration: RedisConfiguration, logger: Logger, bufferSize: Int = 64, heartbeat: Duration = .seconds(10)) {
        self.configuration = configuration
        self.logger = logger
        self.bufferSize = bufferSize
        self.heartbeat = heartbeat
    }

    /// Number of connected live views.
    public var clientCount: Int {
        lock.withLock { clients.count }
    }

    /// Whether the Redis subscriber is connected right now.
    public var isConnected: Bool {
        lock.withLock { connected }
    }

    /// A stream of notices for `topic`; it ends when the client is too slow or the hub stops.
    public func subscribe(_ topic: Topic) -> AsyncStream<HubItem> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<HubItem>.makeStream(bufferingPolicy: .bufferingOldest(bufferSize))
        continuation.onTermination = { [weak self] _ in self?.remove(id) }
        let count = lock.withLock {
            clients[id] = Client(topic: topic, continuation: continuation)
            byTopic[topic, default: []].insert(id)
            return clients.count
        }
        PipelineMetrics.liveClients(count)
        return stream
    }

    private func remove(_ id: UUID) {
        let count = lock.withLock {
            if let client = clients.removeValue(forKey: id) {
                byTopic[client.topic]?.remove(id)
                if byTopic[client.topic]?.isEmpty == true { byTopic[client.topic] = nil }
            }
            return clients.count
        }
        PipelineMetrics.liveClients(count)
    }

    private func hasClients(_ topic: Topic) -> Bool {
        lock.withLock { byTopic[topic] != nil }
    }

    /// Hands a notice to the clients of its order and to the kitchen clients.
    func deliver(_ notice: StatusNotice, kitchen: Bool) {
        let topic: Topic = kitchen ? .kitchen : .order(notice.orderId)
        send(.notice(notice), to: topic)
    }

    private func send(_ item: HubItem, to topic: Topic?) {
        var overflowed: [AsyncStream<HubItem>.Continuation] = []
        lock.withLock {
            let ids = topic.map { byTopic[$0] ?? [] } ?? Set(clients.keys)
            for id in ids {
                guard let client = clients[id] else { continue }
                if case .dropped = client.continuation.yield(item) { overflowed.append(client.continuation) }
            }
        }
        // Finish outside the lock: onTermination takes it again.
        for continuation in overflowed { continuation.finish() }
    }

    /// The hub as services: the subscriber thread and the heartbeat.
    public var services: [ThreadService] {
        [
            ThreadService(name: "redis-subscriber", control: control) { [self] control in runSubscriber(control) },
            ThreadService(name: "sse-heartbeat") { [self] control in
                while !control.wait(heartbeat) { send(.heartbeat, to: nil) }
                finishAll()
            },
        ]
    }

    private func finishAll() {
        let all = lock.withLock { clients.values.map(\.continuation) }
        for continuation in all { continuation.finish() }
    }

    private func runSubscriber(_ control: LoopControl) {
        var backoff = Backoff(initial: .milliseconds(200), maximum: .seconds(5))
        let stopper = Thread { [self] in
            // Unblocks the subscriber's read when the hub stops.
            while !control.wait(.seconds(3600)) {}
            if let connection = try? RedisConnection(configuration: configuration) {
                _ = try? connection.command(["PUBLISH", controlChannel, "stop"])
                connection.close()
            }
        }
        stopper.start()
        while !control.isStopped {
            do {
                let subscriber = try RedisConnection(configuration: configuration)
                defer { subscriber.close() }
                subscriber.setReadTimeout(nil)
                try subscriber.send(["PSUBSCRIBE", "order:*"])
                try subscriber.send(["SUBSCRIBE", controlChannel])
                lock.withLock { connected = true }
                logger.info("redis.subscriber.connected", metadata: ["redis.server": "\(configuration)"])
                backoff.reset()
                while !control.isStopped {
                    guard case .array(let parts) = try subscriber.readReply() else { continue }
                    try handle(parts)
                }
            } catch is HubStop {
                break
            } catch {
                lock.withLock { connected = false }
                logger.warning("redis.subscriber.lost", metadata: ["error": "\(error)"])
                control.wait(backoff.next())
            }
        }
        lock.withLock { connected = false }
    }

    private struct HubStop: Error {}

    private func handle(_ parts: [RedisReply]) throws {
        switch parts.count {
        case 4:  // pmessage pattern channel payload
            // Decode only what some client here is waiting for: under load most orders have no viewer.
            guard case .string(let channel) = parts[2], channel.hasPrefix("order:") else { return }
            let order = hasClients(.order(String(channel.dropFirst("order:".count))))
            let kitchen = hasClients(.kitchen)
            guard order || kitchen, case .string(let payload) = parts[3], let notice = NoticeCoding.decode(payload) else { return }
            if order { deliver(notice, kitchen: false) }
            if kitchen { deliver(notice, kitchen: true) }
        case 3:  // message channel payload (or a subscribe confirmation)
            guard case .string(let kind) = parts[0], kind == "message", case .string(let channel) = parts[1] else { return }
            if channel == controlChannel { throw HubStop() }
        default:
            return
        }
    }
}
