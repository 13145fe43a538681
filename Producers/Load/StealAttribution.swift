/// Splits a run's placement→accepted latencies by what the host took from the machine while each
/// order was on its way: the orders whose way met almost no steal against those whose way met some.
///
/// On a shared virtual machine the host runs other guests on the same cores, and /proc/stat counts
/// the time a vCPU wanted to run but did not as steal. A p99 that only the orders meeting steal
/// exceed says more about the host than about the pipeline. Each order's way (POST sent →
/// `accepted` seen) is laid over the run's ``MachineSample`` intervals; its steal is the average
/// share of the intervals it overlaps, each weighted by the overlap.
///
/// ```swift
/// StealAttribution(orders: [.init(sent: 0.01, acceptedMs: 12)], samples: samples)?.quiet?.p99
/// ```
public struct StealAttribution: Sendable, Codable, Equatable {
    /// One order of the run: when its POST went out, and how long it took to be accepted.
    public struct Order: Sendable, Equatable {
        /// Seconds from the run's start to the POST.
        public var sent: Double
        public var acceptedMs: Double
        public init(sent: Double, acceptedMs: Double) {
            self.sent = sent
            self.acceptedMs = acceptedMs
        }
    }

    /// An order's way counts as quiet when it met less steal than this share (percent).
    public var quietBelowPercent: Double
    /// Steal over the whole sampled span (percent of all CPU time).
    public var stealPercent: Double
    /// placement→accepted of the orders whose way was quiet, and of the others.
    public var quiet: LatencySummary?
    public var stolen: LatencySummary?
    /// Orders slower than ``slowAboveMs``, and how many of them met steal on the way.
    public var slowAboveMs: Double
    public var slow: Int
    public var slowWithSteal: Int

    /// Nil when there are no samples or no orders.
    public init?(orders: [Order], samples: [MachineSample], quietBelowPercent: Double = 1, slowAboveMs: Double = 25) {
        let samples = samples.filter { $0.end > $0.start }.sorted { $0.start < $1.start }
        guard !orders.isEmpty, !samples.isEmpty else { return nil }
        self.quietBelowPercent = quietBelowPercent
        self.slowAboveMs = slowAboveMs
        let totals = samples.reduce(into: (steal: 0.0, all: 0.0)) { $0.steal += $1.steal; $0.all += $1.busy + $1.idle + $1.steal }
        stealPercent = totals.all > 0 ? totals.steal / totals.all * 100 : 0
        var quiet: [Double] = []
        var stolen: [Double] = []
        var slow = 0
        var slowWithSteal = 0
        for order in orders {
            let met = Self.stealShare(from: order.sent, to: order.sent + order.acceptedMs / 1000, samples: samples) * 100
            let isQuiet = met < quietBelowPercent
            if isQuiet { quiet.append(order.acceptedMs) } else { stolen.append(order.acceptedMs) }
            if order.acceptedMs > slowAboveMs {
                slow += 1
                if !isQuiet { slowWithSteal += 1 }
            }
        }
        self.quiet = LatencySummary(of: quiet)
        self.stolen = LatencySummary(of: stolen)
        self.slow = slow
        self.slowWithSteal = slowWithSteal
    }

    /// The steal share (0...1) over `from...to`, the intervals weighted by how much of the span
    /// they cover; an instant takes the interval it falls in. Outside every interval: the nearest.
    static func stealShare(from: Double, to: Double, samples: [MachineSample]) -> Double {
        // The first interval that ends after `from` (samples are sorted and do not overlap).
        var low = 0
        var high = samples.count
        while low < high {
            let mid = (low + high) / 2
            if samples[mid].end <= from { low = mid + 1 } else { high = mid }
        }
        guard low < samples.count else { return samples[samples.count - 1].stealShare }
        var weighted = 0.0
        var covered = 0.0
        var index = low
        while index < samples.count, samples[index].start < to {
            let sample = samples[index]
            let overlap = min(to, sample.end) - max(from, sample.start)
            if overlap > 0 {
                weighted += overlap * sample.stealShare
                covered += overlap
            }
            index += 1
        }
        return covered > 0 ? weighted / covered : samples[low].stealShare
    }
}
