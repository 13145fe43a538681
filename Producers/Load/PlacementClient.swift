import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The load generator's HTTP/1.1 client for `POST /api/orders`: up to `concurrency` keep-alive
/// connections to the web front, one request in flight on each (as a browser's connections carry
/// them), every order sent no earlier than its slot when a rate is set.
///
/// Everything runs on one event loop: the pacing timer, the writes, the answers. A load generator
/// shares the machine with the pipeline it measures, and with a task per order, every order cost
/// several thread hand-overs (timer → task → event loop → task); at 950 orders/s that client spent
/// 0.29 ms of CPU per order, 15 % of both cores. Plain `http://` only: the instrument is meant for
/// a web front on this machine or the next.
///
/// `@unchecked Sendable`: all mutable state is touched on `eventLoop` only; `answered` is atomic.
final class PlacementClient: @unchecked Sendable {
    /// Where the POSTs go.
    struct Target: Sendable {
        var host: String
        var port: Int
        var hostHeader: String
        var uri: String

        /// `baseURL` is the web front as a browser reaches it: `http://host[:port][/prefix]`.
        init(baseURL: String) throws(LoadError) {
            guard let url = URL(string: baseURL), url.scheme?.lowercased() == "http", let host = url.host(), !host.isEmpty else {
                throw LoadError("\(baseURL) is not an http:// URL (the load generator speaks plain HTTP/1.1)")
            }
            self.host = host
            port = url.port ?? 80
            hostHeader = url.port.map { "\(host):\($0)" } ?? host
            let prefix = url.path.hasSuffix("/") ? String(url.path.dropLast()) : url.path
            uri = prefix + "/api/orders"
        }
    }

    private let eventLoop: EventLoop
    private let target: Target
    private let bodies: [Data]
    private let interval: TimeAmount?
    private let concurrency: Int
    private let timeout: TimeAmount
    /// Called on the event loop with each new order's id, as soon as its `201` arrives.
    private let created: @Sendable (String) -> Void
    private let finished: EventLoopPromise<[LoadGenerator.Placement]>
    private let answeredCount = Atomic<Int>(0)

    // Event-loop state.
    private var start = NIODeadline.now()
    /// When the run started (order `i`'s slot is `interval × i` after it); set on the event loop before the first send.
    private(set) var startedAt = ContinuousClock.now
    private var next = 0
    private var placements: [LoadGenerator.Placement?]
    private var idle: [PlacementConnection] = []
    private var live: [ObjectIdentifier: PlacementConnection] = [:]
    private var connecting = 0
    private var pacer: Scheduled<Void>?
    private var done = false

    init(target: Target, bodies: [Data], ratePerSecond: Double?, concurrency: Int, timeout: Duration,
         eventLoop: EventLoop = MultiThreadedEventLoopGroup.singleton.next(), created: @escaping @Sendable (String) -> Void) {
        self.eventLoop = eventLoop
        self.target = target
        self.bodies = bodies
        interval = ratePerSecond.map { .nanoseconds(Int64((1e9 / $0).rounded())) }
        self.concurrency = max(1, concurrency)
        self.timeout = TimeAmount(timeout)
        self.created = created
        finished = eventLoop.makePromise()
        placements = Array(repeating: nil, count: bodies.count)
    }

    /// POSTs answered so far (with `201` or not, or failed).
    var answered: Int { answeredCount.load(ordering: .relaxed) }

    /// Places every order; the result has one entry per body, in their order.
    func run() -> EventLoopFuture<[LoadGenerator.Placement]> {
        eventLoop.execute { [self] in
            startedAt = .now
            start = .now()
            if bodies.isEmpty { finish() } else { pump() }
        }
        return finished.futureResult
    }

    // MARK: - On the event loop

    /// How many orders are due and not sent yet.
    private func dueNotSent() -> Int {
        let remaining = bodies.count - next
        guard let interval, remaining > 0 else { return remaining }
        let elapsed = NIODeadline.now() - start
        let due = Int(elapsed.nanoseconds / max(1, interval.nanoseconds)) + 1
        return min(remaining, max(0, due - next))
    }

    /// Sends what is due on idle connections, opens connections for what is due beyond them (up to
    /// `concurrency`), and sets the timer for the next order's slot.
    private func pump() {
        guard !done else { return }
        var due = dueNotSent()
        while due > 0, let connection = idle.popLast() {
            send(next, on: connection)
            next += 1
            due -= 1
        }
        let opening = min(due - connecting, concurrency - live.count - connecting)
        if opening > 0 { for _ in 0..<opening { connect() } }
        if due == 0, next < bodies.count, let interval, pacer == nil {
            pacer = eventLoop.scheduleTask(deadline: start + interval * next) { [self] in
                pacer = nil
                pump()
            }
        }
    }

    private func send(_ index: Int, on connection: PlacementConnection) {
        var headers = HTTPHeaders()
        headers.reserveCapacity(4)
        headers.add(name: "Host", value: target.hostHeader)
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(bodies[index].count))
        headers.add(name: "Idempotency-Key", value: UUID().uuidString)
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: target.uri, headers: headers)
        let sentAt = ContinuousClock.now
        let deadline = eventLoop.scheduleTask(in: timeout) { [timeout] in
            connection.abandon(because: "no answer within \(timeout.nanoseconds / 1_000_000) ms")
        }
        connection.send(head: head, body: bodies[index], request: .init(index: index, sentAt: sentAt, deadline: deadline))
    }

    private func connect() {
        connecting += 1
        ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(PlacementConnection(client: self))
                }
            }
            .connect(host: target.host, port: target.port)
            .whenFailure { [self] error in
                // Nothing can be sent: the next due order fails with the reason, as a browser's POST would.
                connecting -= 1
                guard !done, dueNotSent() > 0 else { return pump() }
                record(LoadGenerator.Placement(index: next, sentAt: .now, answeredAt: .now, orderId: nil,
                                               failure: .init(index: next, status: nil, message: "cannot connect to \(target.host):\(target.port): \(error)")))
                next += 1
                pump()
            }
    }

    /// A connection is up and has nothing in flight.
    fileprivate func connected(_ connection: PlacementConnection) {
        connecting -= 1
        live[ObjectIdentifier(connection)] = connection
        ready(connection)
    }

    fileprivate func ready(_ connection: PlacementConnection) {
        guard !done else { connection.close(); return }
        idle.append(connection)
        pump()
    }

    /// A connection closed (by the server, an error or a timeout), with or without a request in flight.
    fileprivate func closed(_ connection: PlacementConnection) {
        live[ObjectIdentifier(connection)] = nil
        idle.removeAll { $0 === connection }
        pump()
    }

    fileprivate func received(_ request: PlacementConnection.Request, status: Int, body: ByteBuffer?) {
        request.deadline.cancel()
        let answeredAt = ContinuousClock.now
        func failure(_ message: String) -> LoadGenerator.Placement {
            LoadGenerator.Placement(index: request.index, sentAt: request.sentAt, answeredAt: answeredAt, orderId: nil,
                                    failure: .init(index: request.index, status: status, message: String(message.prefix(200))))
        }
        guard status == 201 else { return record(failure(body.map { String(buffer: $0) } ?? "")) }
        guard let body, let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
              let id = object["id"] as? String else {
            return record(failure("answer without an order id"))
        }
        created(id)
        record(LoadGenerator.Placement(index: request.index, sentAt: request.sentAt, answeredAt: answeredAt, orderId: id, failure: nil))
    }

    fileprivate func failed(_ request: PlacementConnection.Request, message: String) {
        request.deadline.cancel()
        record(LoadGenerator.Placement(index: request.index, sentAt: request.sentAt, answeredAt: .now, orderId: nil,
                                       failure: .init(index: request.index, status: nil, message: String(message.prefix(200)))))
    }

    private func record(_ placement: LoadGenerator.Placement) {
        placements[placement.index] = placement
        if answeredCount.add(1, ordering: .relaxed).newValue == bodies.count { finish() }
    }

    private func finish() {
        done = true
        pacer?.cancel()
        for connection in live.values { connection.close() }
        finished.succeed(placements.compactMap { $0 })
    }
}

/// One keep-alive connection of a ``PlacementClient``: writes a request, collects its answer.
///
/// `@unchecked Sendable`: it lives on the client's event loop and is only touched there (the
/// client's timers, which run on that loop, refer to it).
private final class PlacementConnection: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    /// The request in flight.
    struct Request {
        var index: Int
        var sentAt: ContinuousClock.Instant
        var deadline: Scheduled<Void>
    }

    private let client: PlacementClient
    private var context: ChannelHandlerContext?
    private var request: Request?
    private var status = 0
    private var keepAlive = true
    private var body: ByteBuffer?
    private var failure: String?

    init(client: PlacementClient) {
        self.client = client
    }

    func channelActive(context: ChannelHandlerContext) {
        self.context = context
        client.connected(self)
        context.fireChannelActive()
    }

    func send(head: HTTPRequestHead, body: Data, request: Request) {
        guard let context else { return client.failed(request, message: "connection closed") }
        self.request = request
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            keepAlive = head.isKeepAlive
            body = nil
        case .body(var part):
            // Answers are small; anything past 64 KiB is not needed to read the order id or the error.
            if body == nil { body = part } else if body!.readableBytes < 1 << 16 { body!.writeBuffer(&part) }
        case .end:
            guard let request else { return }
            self.request = nil
            client.received(request, status: status, body: body)
            body = nil
            if keepAlive { client.ready(self) } else { close() }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        failure = failure ?? "\(error)"
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.context = nil
        if let request {
            self.request = nil
            client.failed(request, message: failure ?? "connection closed before the answer")
        }
        client.closed(self)
        context.fireChannelInactive()
    }

    /// Gives up on the request in flight (its time is up) and on the connection.
    func abandon(because reason: String) {
        failure = reason
        close()
    }

    func close() {
        context?.close(promise: nil)
    }
}
