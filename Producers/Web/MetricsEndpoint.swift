import Hummingbird
import HTTPTypes
import NIOCore
import Prometheus

/// `GET /metrics` in the Prometheus text format, from the registry the executable bootstrapped.
public enum MetricsEndpoint {
    /// The Prometheus text exposition format's content type.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The registry's current values in the text format, ready to send.
    static func body(_ registry: PrometheusCollectorRegistry) -> ByteBuffer {
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return ByteBuffer(bytes: bytes)
    }

    /// Adds the route to the web front's router (worker processes use ``MetricsServer``).
    public static func add(to router: Router<BasicRequestContext>, registry: PrometheusCollectorRegistry) {
        router.get("/metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: body(registry)))
        }
    }
}
