import Logging
import Metrics
import Synchronization

/// Time the busy handler has slept, waiting for another process' write lock, summed over the
/// life of the database connection (nanoseconds). A process runs one write at a time (GRDB's
/// writer), so the difference across one write is that write's wait.
final class LockWaitClock: Sendable {
    private let nanoseconds = Atomic<Int64>(0)

    func add(_ waited: Duration) {
        nanoseconds.add(waited.nanoseconds, ordering: .relaxed)
    }

    var total: Int64 { nanoseconds.load(ordering: .relaxed) }
}

/// Where one write transaction's time went: waiting for the lock (another process held it), the
/// rest of the transaction up to its commit, and the WAL flush after it (``WALFlusher``).
struct WriteTiming {
    var lockWaitNanoseconds: Int64
    var transactionNanoseconds: Int64
    var flushNanoseconds: Int64

    var totalNanoseconds: Int64 { transactionNanoseconds + flushNanoseconds }

    /// Records the figures as Prometheus histograms (`pizzeria_sqlite_*_seconds`).
    func record() {
        Timer(label: "pizzeria_sqlite_write_seconds").recordNanoseconds(totalNanoseconds)
        Timer(label: "pizzeria_sqlite_lock_wait_seconds").recordNanoseconds(lockWaitNanoseconds)
        Timer(label: "pizzeria_sqlite_flush_seconds").recordNanoseconds(flushNanoseconds)
    }

    /// Nanoseconds as milliseconds to a hundredth, the way every `sqlite.*_ms` field is written.
    static func ms(_ ns: Int64) -> Logger.MetadataValue { "\(Double(ns / 10_000) / 100)" }

    var metadata: Logger.Metadata {
        let ms = Self.ms
        return ["sqlite.write_ms": ms(totalNanoseconds), "sqlite.lock_wait_ms": ms(lockWaitNanoseconds),
                "sqlite.flush_ms": ms(flushNanoseconds)]
    }
}

/// Logs slow writes without flooding the log when storage is slow for a while: the first slow
/// write of a second is logged with how many more came since the last line.
final class SlowWriteLog: Sendable {
    /// A write that takes at least this long, end to end, is slow; zero turns the warning off.
    let threshold: Duration
    private struct State {
        var lastLogged: ContinuousClock.Instant?
        var suppressed = 0
    }

    private let state = Mutex(State())
    private let logger: Logger

    init(logger: Logger, threshold: Duration) {
        self.logger = logger
        self.threshold = threshold
    }

    func note(_ timing: WriteTiming) {
        guard threshold > .zero, timing.totalNanoseconds >= threshold.nanoseconds else { return }
        let now = ContinuousClock.now
        let suppressed = state.withLock { state -> Int? in
            if let last = state.lastLogged, now - last < .seconds(1) {
                state.suppressed += 1
                return nil
            }
            defer { state.suppressed = 0 }
            state.lastLogged = now
            return state.suppressed
        }
        guard let suppressed else { return }
        var metadata = timing.metadata
        metadata["sqlite.slow_writes_not_logged"] = "\(suppressed)"
        metadata["sqlite.slow_threshold_ms"] = WriteTiming.ms(threshold.nanoseconds)
        logger.warning("sqlite.write.slow", metadata: metadata)
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
