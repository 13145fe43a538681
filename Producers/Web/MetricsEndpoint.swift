import Hummingbird
import Logging
import HTTPTypes
import NIOCore
import Prometheus

/// `GET /metrics` in the Prometheus text format, from the registry the executable bootstrapped.
public enum MetricsEndpoint {
    public static func add(to router: Router<BasicRequestContext>, registry: PrometheusCollectorRegistry) {
        router.get("/metrics") { _, _ -> Response in
            var bytes: [UInt8] = []
            registry.emit(into: &bytes)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    /// A small server with only `/metrics` and `/health`, for processes without a web front (workers).
    public static func standaloneApplication(host: String, port: Int, registry: PrometheusCollectorRegistry,
                                             logger: Logging.Logger) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        add(to: router, registry: registry)
        router.get("/health") { _, _ in JSONResponse.make(.ok, ["status": "ok"]) }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "pizzeria-work"),
                           logger: logger)
    }
}
