@testable import Producers
import Testing

/// Pure logic of the load generator's host-steal split (no services): which orders met steal on
/// their way to `accepted`, and how `/proc/stat` is read.
@Suite("Steal on the way to accepted")
struct StealAttributionTests {
    /// 0–0.1 s without steal, 0.1–0.2 s with half the CPU time stolen, 0.2–0.3 s without.
    let samples = [
        MachineSample(start: 0, end: 0.1, busy: 0.15, idle: 0.05, steal: 0),
        MachineSample(start: 0.1, end: 0.2, busy: 0.08, idle: 0.02, steal: 0.1),
        MachineSample(start: 0.2, end: 0.3, busy: 0.1, idle: 0.1, steal: 0),
    ]

    @Test("A way's steal is the intervals' shares weighted by how much of the way each covers")
    func weightedByOverlap() {
        #expect(StealAttribution.stealShare(from: 0.01, to: 0.05, samples: samples) == 0)
        #expect(StealAttribution.stealShare(from: 0.12, to: 0.18, samples: samples) == 0.5)
        // Half in the quiet interval, half in the stolen one.
        #expect(abs(StealAttribution.stealShare(from: 0.05, to: 0.15, samples: samples) - 0.25) < 1e-9)
        // Across all three: a third of the way in the stolen interval.
        #expect(abs(StealAttribution.stealShare(from: 0, to: 0.3, samples: samples) - 0.5 * 0.1 / 0.3) < 1e-9)
        // An instant takes its interval; past the last sample, the last one.
        #expect(StealAttribution.stealShare(from: 0.15, to: 0.15, samples: samples) == 0.5)
        #expect(StealAttribution.stealShare(from: 0.5, to: 0.6, samples: samples) == 0)
    }

    @Test("Orders whose way met steal are counted apart from the quiet ones, and so are the slow ones")
    func splitsOrders() throws {
        let orders = [
            StealAttribution.Order(sent: 0.01, acceptedMs: 10),
            StealAttribution.Order(sent: 0.02, acceptedMs: 12),
            StealAttribution.Order(sent: 0.21, acceptedMs: 30),  // slow, on a quiet way
            StealAttribution.Order(sent: 0.09, acceptedMs: 60),  // slow, runs into the stolen interval
            StealAttribution.Order(sent: 0.15, acceptedMs: 8),   // fast, inside the stolen interval
        ]
        let split = try #require(StealAttribution(orders: orders, samples: samples))
        #expect(split.quiet?.count == 3)
        #expect(split.quiet?.max == 30)
        #expect(split.stolen?.count == 2)
        #expect(split.stolen?.max == 60)
        #expect(split.slow == 2)
        #expect(split.slowWithSteal == 1)
        #expect(abs(split.stealPercent - 0.1 / 0.6 * 100) < 1e-9)
    }

    @Test("No samples (no /proc/stat) or no orders: no split")
    func nothingToSplit() {
        #expect(StealAttribution(orders: [.init(sent: 0, acceptedMs: 1)], samples: []) == nil)
        #expect(StealAttribution(orders: [], samples: samples) == nil)
    }

    @Test("The cpu line of /proc/stat is read as busy, idle and steal ticks, and two readings give a sample in seconds")
    func readsProcStat() throws {
        let text = "cpu  4705 356 584 3699176 23 0 37 100 0 0\ncpu0 2000 100 300 1800000 10 0 20 50 0 0\n"
        let earlier = try #require(CPUTimes.parse(text[...]))
        #expect(earlier == CPUTimes(busy: 4705 + 356 + 584 + 0 + 37, idle: 3699176 + 23, steal: 100))
        #expect(CPUTimes.parse("cpu0 2000 100 300 1800000 10 0 20 50"[...]) == nil)
        #expect(CPUTimes.parse("cpu 1 2 3"[...]) == nil)

        let later = CPUTimes(busy: earlier.busy + 15, idle: earlier.idle + 3, steal: earlier.steal + 2)
        let sample = later.since(earlier, start: 1, end: 1.2)
        let perSecond = CPUTimes.ticksPerSecond
        #expect(sample == MachineSample(start: 1, end: 1.2, busy: 15 / perSecond, idle: 3 / perSecond, steal: 2 / perSecond))
        #expect(abs(sample.stealShare - 0.1) < 1e-12)
    }
}
