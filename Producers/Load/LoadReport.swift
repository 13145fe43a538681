import Foundation

/// What a load run measured, and what went wrong. Encodes to the JSON of `pizzeria load --json`.
public struct LoadReport: Sendable, Encodable, Equatable {
    /// A `POST /api/orders` that did not answer `201`.
    public struct FailedPost: Sendable, Codable, Equatable {
        /// The order's position in the run (0-based).
        public var index: Int
        /// The HTTP status, when there was an answer.
        public var status: Int?
        public var message: String
    }

    /// An order that saw one or more statuses more than once on its channel.
    public struct RepeatedStatuses: Sendable, Codable, Equatable {
        public var orderId: String
        public var statuses: [String]
    }

    /// Latencies from the moment the POST was sent, in milliseconds.
    public struct Latencies: Sendable, Codable, Equatable {
        /// POST sent → `201` received.
        public var created: LatencySummary?
        /// POST sent → `placed` notice seen on Redis (the web front's commit, then its outbox relay).
        public var placed: LatencySummary?
        /// POST sent → `accepted` notice seen on Redis.
        public var accepted: LatencySummary?
        /// Two parts of the way to `accepted`: `placed` notice seen → the kitchen's stamp on the
        /// change (the event through the web front's outbox relay, RabbitMQ and the kitchen's
        /// gather window), and that stamp → `accepted` seen (the kitchen's commit, WAL flush and
        /// notice). Stamps are the notices' `at`, to the millisecond by the wall clock.
        public var placedToKitchen: LatencySummary?
        public var kitchenToAccepted: LatencySummary?
        /// POST sent → `delivered` notice seen on Redis.
        public var delivered: LatencySummary?
    }

    public var orders: Int
    public var concurrency: Int
    /// The `--rate` limit in orders/s, if any.
    public var rate: Double?
    public var timeoutSeconds: Double
    /// Orders that got a `201`.
    public var created: Int
    /// Orders seen `delivered` on Redis within the timeout.
    public var delivered: Int
    /// First POST sent → last `delivered` seen.
    public var endToEndSeconds: Double
    public var endToEndOrdersPerSecond: Double
    /// First POST sent → last `201` received.
    public var placementSeconds: Double
    public var placementOrdersPerSecond: Double
    public var latencyMs: Latencies
    public var failedPosts: [FailedPost]
    /// Orders that got a `201` but were not seen `delivered` within the timeout.
    public var undelivered: [String]
    public var repeated: [RepeatedStatuses]
    /// Why the Redis subscription ended early, if it did (notices may have been missed).
    public var noticesLost: String?
    /// CPU time (user + system) the load generator itself used, whole run.
    public var cpuSeconds: Double
    /// placement→accepted split by the host's steal on this machine while each order was on its
    /// way (nil where there is no `/proc/stat`).
    public var host: StealAttribution?

    /// True when every order was placed and delivered within the timeout, each status once.
    public var ok: Bool {
        failedPosts.isEmpty && undelivered.isEmpty && repeated.isEmpty && noticesLost == nil && delivered == orders
    }

    /// One line of JSON (keys sorted), what `--json` prints.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    private enum CodingKeys: String, CodingKey {
        case orders, concurrency, rate, timeoutSeconds, created, delivered, endToEndSeconds, endToEndOrdersPerSecond
        case placementSeconds, placementOrdersPerSecond, latencyMs, failedPosts, undelivered, repeated, noticesLost, cpuSeconds, host, ok
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(orders, forKey: .orders)
        try c.encode(concurrency, forKey: .concurrency)
        try c.encode(rate, forKey: .rate)
        try c.encode(timeoutSeconds, forKey: .timeoutSeconds)
        try c.encode(created, forKey: .created)
        try c.encode(delivered, forKey: .delivered)
        try c.encode(endToEndSeconds, forKey: .endToEndSeconds)
        try c.encode(endToEndOrdersPerSecond, forKey: .endToEndOrdersPerSecond)
        try c.encode(placementSeconds, forKey: .placementSeconds)
        try c.encode(placementOrdersPerSecond, forKey: .placementOrdersPerSecond)
        try c.encode(latencyMs, forKey: .latencyMs)
        try c.encode(failedPosts, forKey: .failedPosts)
        try c.encode(undelivered, forKey: .undelivered)
        try c.encode(repeated, forKey: .repeated)
        try c.encode(noticesLost, forKey: .noticesLost)
        try c.encode(cpuSeconds, forKey: .cpuSeconds)
        try c.encode(host, forKey: .host)
        // Derived, written so that scripts need not work it out again.
        try c.encode(ok, forKey: .ok)
    }
}
