import Metrics

/// The metrics Pizzeria records (swift-metrics; the executable exports them in Prometheus format).
/// Labels have bounded values: queue names and failure categories, never ids or free text.
public enum PipelineMetrics {
    public static func handled(queue: String) {
        Counter(label: "pizzeria_messages_handled_total", dimensions: [("queue", queue)]).increment()
    }

    public static func retried(queue: String, reason: String) {
        Counter(label: "pizzeria_messages_retried_total", dimensions: [("queue", queue), ("reason", FailureCategory.of(reason))]).increment()
    }

    public static func deadLettered(queue: String, reason: String) {
        Counter(label: "pizzeria_messages_dead_lettered_total", dimensions: [("queue", queue), ("reason", FailureCategory.of(reason))])
            .increment()
    }

    public static func outboxPublished(_ count: Int) {
        Counter(label: "pizzeria_outbox_published_total").increment(by: count)
    }

    public static func outboxBacklog(_ count: Int) {
        Gauge(label: "pizzeria_outbox_backlog").record(count)
    }

    public static func noticesDropped(_ count: Int) {
        Counter(label: "pizzeria_redis_notices_dropped_total").increment(by: count)
    }

    /// One transaction of the web front's order writer (placements per commit: orders placed / this).
    public static func orderCommits() {
        Counter(label: "pizzeria_order_commits_total").increment()
    }

    public static func ordersPlaced() {
        Counter(label: "pizzeria_orders_placed_total").increment()
    }

    public static func liveClients(_ count: Int) {
        Gauge(label: "pizzeria_sse_clients").record(count)
    }
}

/// A short, bounded name for a failure reason (the full text is in the dead letter's headers).
public enum FailureCategory {
    static let prefixes: [(String, String)] = [
        ("body is not", "not_json"), ("missing field", "missing_field"), ("invalid field", "invalid_field"),
        ("unknown event type", "unknown_event_type"), ("unsupported schema", "unsupported_schema"),
        ("unknown pizza", "unknown_pizza"), ("impossible transition", "impossible_transition"),
        ("unknown order", "unknown_order"), ("database:", "database"), ("mail:", "mail"),
    ]

    public static func of(_ reason: String) -> String {
        prefixes.first { reason.hasPrefix($0.0) }?.1 ?? "other"
    }
}
