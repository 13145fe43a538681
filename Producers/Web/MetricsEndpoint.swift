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
}
