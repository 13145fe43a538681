import Metrics
import Prometheus

/// Routes swift-metrics to one Prometheus registry per process (served on `/metrics`).
enum MetricsBootstrap {
    nonisolated(unsafe) private static var registry: PrometheusCollectorRegistry?

    static func once() -> PrometheusCollectorRegistry {
        if let registry { return registry }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        self.registry = registry
        return registry
    }
}
