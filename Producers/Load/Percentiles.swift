/// Percentiles of a set of latencies, in milliseconds.
public struct LatencySummary: Sendable, Codable, Equatable {
    public var count: Int
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var max: Double

    /// The summary of `samples` (nearest-rank percentiles), or `nil` when there are none.
    ///
    /// ```swift
    /// LatencySummary(of: [12, 3, 7, 40])  // count 4, p50 7, p90 40, p99 40, max 40
    /// ```
    public init?(of samples: [Double]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        func rank(_ p: Double) -> Double {
            // Nearest rank: the smallest value with at least p% of the samples at or below it.
            let index = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
            return sorted[Swift.min(Swift.max(index, 0), sorted.count - 1)]
        }
        count = sorted.count
        p50 = rank(50)
        p90 = rank(90)
        p99 = rank(99)
        max = sorted[sorted.count - 1]
    }
}
