import Infrastructure

/// What `pizzeria load` does: how many orders, how fast, against which web front and Redis.
public struct LoadSettings: Sendable {
    public var orders: Int
    /// At most this many `POST /api/orders` in flight.
    public var concurrency: Int
    /// At most this many orders per second, if set.
    public var ratePerSecond: Double?
    /// The web front, as a browser reaches it (`http://127.0.0.1:8080`).
    public var baseURL: String
    /// Where the status notices are published.
    public var redis: RedisConfiguration
    /// How long each order has, from its POST, to be seen `delivered`.
    public var timeout: Duration
    /// Where to write every order's timings and the machine's CPU samples (JSON lines), if set.
    public var timelinePath: String?

    public init(orders: Int, concurrency: Int, ratePerSecond: Double?, baseURL: String, redis: RedisConfiguration, timeout: Duration,
                timelinePath: String? = nil) {
        self.orders = orders
        self.concurrency = concurrency
        self.ratePerSecond = ratePerSecond
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.redis = redis
        self.timeout = timeout
        self.timelinePath = timelinePath
    }
}

/// How far a load run is, for a progress bar.
public struct LoadProgress: Sendable, Equatable {
    public var orders: Int
    /// POSTs answered (with `201` or not).
    public var answered: Int
    /// Orders seen `delivered`.
    public var delivered: Int
}
