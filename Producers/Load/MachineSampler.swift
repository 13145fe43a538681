import Foundation
import Synchronization

/// The machine's CPU time over one short interval of a load run, from `/proc/stat`, in seconds of
/// CPU time (all CPUs together).
public struct MachineSample: Sendable, Codable, Equatable {
    /// Seconds from the start of the run to the start and the end of the interval.
    public var start: Double
    public var end: Double
    /// Time the CPUs ran anything (user, nice, system, irq, softirq).
    public var busy: Double
    /// Time they had nothing to run (idle, iowait).
    public var idle: Double
    /// Time the host took while a vCPU wanted to run.
    public var steal: Double

    public init(start: Double, end: Double, busy: Double, idle: Double, steal: Double) {
        self.start = start
        self.end = end
        self.busy = busy
        self.idle = idle
        self.steal = steal
    }

    /// Steal as a share of all the CPU time in the interval (0...1).
    public var stealShare: Double {
        let all = busy + idle + steal
        return all > 0 ? steal / all : 0
    }
}

/// The `cpu` line of `/proc/stat`: the machine's CPU time since boot, all CPUs together, in clock
/// ticks (whole numbers, so that the difference of two readings is exact).
struct CPUTimes: Sendable, Equatable {
    var busy: Double
    var idle: Double
    var steal: Double

    /// Clock ticks per second (`USER_HZ`), what `/proc/stat` counts in.
    static let ticksPerSecond: Double = {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ticks > 0 ? ticks : 100
    }()

    /// Reads the first line of `text` (the format of `/proc/stat`); nil when it is not the `cpu`
    /// line or has fewer than the eight fields up to steal.
    static func parse(_ text: Substring) -> CPUTimes? {
        let line = text.prefix { $0 != "\n" }
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.first == "cpu", fields.count >= 9 else { return nil }
        let ticks = fields.dropFirst().prefix(8).compactMap { Double($0) }
        guard ticks.count == 8 else { return nil }
        // user nice system idle iowait irq softirq steal
        return CPUTimes(busy: ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6], idle: ticks[3] + ticks[4], steal: ticks[7])
    }

    /// The machine's figures now; nil where there is no `/proc/stat`.
    static func now() -> CPUTimes? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        return parse(text[...])
    }

    /// The CPU time from `earlier` to this reading, in seconds, as a sample of `start...end`.
    func since(_ earlier: CPUTimes, start: Double, end: Double) -> MachineSample {
        let perSecond = Self.ticksPerSecond
        return MachineSample(start: start, end: end, busy: (busy - earlier.busy) / perSecond,
                             idle: (idle - earlier.idle) / perSecond, steal: (steal - earlier.steal) / perSecond)
    }
}

/// Samples the machine's CPU time every ``interval`` on a thread of its own, from ``start()`` to
/// ``stop()``, so that a load run can tell which of its orders met a host that took the CPU
/// (``StealAttribution``). Reading `/proc/stat` ten times a second costs next to nothing.
final class MachineSampler: Sendable {
    let interval: Duration
    private let origin: ContinuousClock.Instant
    private let state = Mutex<(samples: [MachineSample], stopped: Bool)>(([], false))
    private let finished = DispatchSemaphore(value: 0)

    /// Interval times are counted from `origin`.
    init(origin: ContinuousClock.Instant, interval: Duration = .milliseconds(100)) {
        self.origin = origin
        self.interval = interval
    }

    func start() {
        let thread = Thread { [self] in
            defer { finished.signal() }
            guard var last = CPUTimes.now() else { return }
            var lastAt = ContinuousClock.now
            while !state.withLock({ $0.stopped }) {
                Thread.sleep(forTimeInterval: interval.seconds)
                guard let times = CPUTimes.now() else { return }
                let at = ContinuousClock.now
                let sample = times.since(last, start: (lastAt - origin).seconds, end: (at - origin).seconds)
                state.withLock { $0.samples.append(sample) }
                (last, lastAt) = (times, at)
            }
        }
        thread.name = "load-machine-sampler"
        thread.stackSize = 1 << 18
        thread.start()
    }

    /// Stops sampling and returns the intervals, oldest first (none where there is no `/proc/stat`).
    func stop() -> [MachineSample] {
        state.withLock { $0.stopped = true }
        _ = finished.wait(timeout: .now() + .seconds(2))
        return state.withLock { $0.samples }
    }
}
