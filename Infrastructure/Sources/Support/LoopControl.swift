import Foundation

/// Stop requests and wake-ups for a loop running on a dedicated thread.
///
/// `@unchecked Sendable`: every mutable field is read and written only while `condition` is locked.
public final class LoopControl: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false
    private var rung = false

    public init() {}

    /// True once ``stop()`` was called.
    public var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }

    /// Asks the loop to finish; wakes it if it sleeps.
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Wakes the loop early: there is new work.
    public func ring() {
        condition.lock()
        rung = true
        condition.broadcast()
        condition.unlock()
    }

    /// Sleeps until `timeout` passes, ``ring()`` or ``stop()``. Returns true when stopping.
    @discardableResult
    public func wait(_ timeout: Duration) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout.seconds)
        condition.lock()
        defer { condition.unlock() }
        while !stopped && !rung {
            if !condition.wait(until: deadline) { break }
        }
        rung = false
        return stopped
    }
}

/// Exponential backoff with full jitter, for reconnects.
public struct Backoff: Sendable {
    public var initial: Duration
    public var maximum: Duration
    private var attempt = 0

    public init(initial: Duration = .milliseconds(200), maximum: Duration = .seconds(10)) {
        self.initial = initial
        self.maximum = maximum
    }

    public mutating func reset() { attempt = 0 }

    /// The next wait: a random time up to `initial × 2^attempt`, capped at `maximum`.
    public mutating func next() -> Duration {
        let cap = min(initial * (1 << min(attempt, 16)), maximum)
        attempt += 1
        let millis = max(cap.wholeMilliseconds, 1)
        return .milliseconds(Int64.random(in: millis / 2...millis))
    }
}
