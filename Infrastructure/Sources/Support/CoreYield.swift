import Glibc

/// Lets another thread that is ready to run on this CPU have it (`sched_yield`), at most once per
/// `interval` of the caller's work.
///
/// Under `SCHED_BATCH` (what `ops/run` and `ops/bench` start everything in) a thread that wakes
/// does not preempt the one on its CPU; it waits until that one blocks or its slice ends, a few
/// milliseconds. A thread that does a long stretch of work nobody is waiting for (the email
/// worker's batch) calls ``pace()`` between its pieces, so that a thread on the way to `accepted`
/// waits for at most about `interval`, not for the whole stretch. Yielding after every piece
/// would switch threads more often than that needs, which costs CPU of its own.
public struct CoreYield: Sendable {
    /// How much work may run between two yields.
    public let interval: Duration
    private var last = ContinuousClock.now

    public init(every interval: Duration) {
        self.interval = interval
    }

    /// Yields the CPU to another ready thread, if `interval` has passed since the last yield (or
    /// since this pacer was made); with nothing else ready to run the caller goes on at once.
    public mutating func pace() {
        let now = ContinuousClock.now
        guard now - last >= interval else { return }
        _ = sched_yield()
        last = .now
    }
}
