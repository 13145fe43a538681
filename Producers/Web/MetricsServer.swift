import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import ServiceLifecycle

/// `GET /metrics` (Prometheus text format) and `GET /health` for a process without a web front:
/// each `pizzeria work` process serves them on its own port.
///
/// It is SwiftNIO's HTTP/1.1 codec and one small handler, not a Hummingbird application. A worker's
/// resident set is mostly code pages, and a Hummingbird server brings its router, its middleware
/// and its `Date` header cache, which formats the date through Foundation's time zones and so maps
/// ICU into the process: about 3 MiB of a 50 MB budget for two routes (README, "Worker memory").
///
/// Requests are bounded: NIO's parser limits the head, a body is read and dropped, an idle
/// connection is closed after a minute, and anything but `GET` or `HEAD` gets `405`.
public struct MetricsServer: Service {
    public let host: String
    public let port: Int
    private let registry: PrometheusCollectorRegistry
    private let logger: Logger

    public init(host: String, port: Int, registry: PrometheusCollectorRegistry, logger: Logger) {
        self.host = host
        self.port = port
        self.registry = registry
        self.logger = logger
    }

    public func run() async throws {
        let registry = registry
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 32)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                do {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: .seconds(60)))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsRequestHandler(registry: registry))
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
            .bind(host: host, port: port).get()
        logger.info("metrics.listening", metadata: ["metrics.address": "\(host):\(port)"])
        try await withGracefulShutdownHandler {
            try await channel.closeFuture.get()
        } onGracefulShutdown: {
            channel.close(promise: nil)
        }
    }
}

/// Answers one route per request on a connection of ``MetricsServer``.
final class MetricsRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let registry: PrometheusCollectorRegistry
    private var head: HTTPRequestHead?

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break  // no route takes a body: dropped as it arrives, never buffered
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let (status, contentType, body, extra) = route(method: head.method, path: path)
        var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", String(body.readableBytes)),
                                   ("Cache-Control", "no-store")])
        headers.add(contentsOf: extra)
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        if head.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    private func route(method: HTTPMethod, path: Substring) -> (HTTPResponseStatus, String, ByteBuffer, [(String, String)]) {
        let json = "application/json; charset=utf-8"
        guard method == .GET || method == .HEAD else {
            return (.methodNotAllowed, json,
                    ByteBuffer(string: #"{"code":"method_not_allowed","message":"Only GET and HEAD are served here."}"#),
                    [("Allow", "GET, HEAD")])
        }
        switch path {
        case "/metrics":
            return (.ok, MetricsEndpoint.contentType, MetricsEndpoint.body(registry), [])
        case "/health":
            return (.ok, json, ByteBuffer(string: #"{"status":"ok"}"#), [])
        default:
            return (.notFound, json, ByteBuffer(string: #"{"code":"not_found","message":"This server has /metrics and /health only."}"#), [])
        }
    }
}
