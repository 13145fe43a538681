import Metrics
import Prometheus

/// Routes swift-metrics to one Prometheus registry per process (served on `/metrics`).
enum MetricsBootstrap {
    nonisolated(unsafe) private static var registry: PrometheusCollectorRegistry?

    static func once() -> PrometheusCollectorRegistry {
        if let registry { return registry }
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // SQLite writes take a few milliseconds: buckets from 0.5 ms, where the default starts at 5 ms.
        let writeBuckets: [Duration] = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000, 10_000].map { .microseconds(Int64($0 * 1000)) }
        for label in ["pizzeria_sqlite_write_seconds", "pizzeria_sqlite_lock_wait_seconds", "pizzeria_sqlite_flush_seconds"] {
            factory.durationHistogramBuckets[label] = writeBuckets
        }
        MetricsSystem.bootstrap(factory)
        self.registry = registry
        return registry
    }
}
