import Domain
import Foundation
import Infrastructure
import Logging
import Synchronization

/// Group commit for the web front: concurrent `POST /api/orders` requests wait in a queue, and one
/// thread writes everything waiting in a single SQLite transaction (one WAL flush for the batch
/// instead of one per order). Each request still gets its own result, and a `201` is sent only
/// after its order is committed and on disk.
///
/// While orders keep coming, a commit that would carry fewer than ``gatherBelow`` placements
/// waits up to ``gatherWindow`` for more: at a few hundred orders a second a commit would
/// otherwise carry one or two, and each costs the web front about as much CPU as one of twenty
/// (the WAL pages of every index, a flush), CPU the rest of the way to `accepted` then waits for
/// (README, "Benchmark"). An order that comes alone (the previous commit started longer ago than
/// ``busyWithin``) is written at once.
public final class PlacementCommitter: Sendable {
    private struct Job: Sendable {
        var placement: PizzeriaDatabase.Placement
        var continuation: CheckedContinuation<PlaceOrderResult, any Error>
    }

    private let database: PizzeriaDatabase
    private let settings: WebFrontSettings
    private let logger: Logger
    private let maxBatch: Int
    /// How long a small commit waits for more placements (zero: never).
    public let gatherWindow: Duration
    /// A commit that would carry fewer placements than this waits (for up to ``gatherWindow``).
    public let gatherBelow: Int
    /// Orders count as coming steadily when the previous commit started less than this long ago.
    public let busyWithin: Duration
    private let jobs = Mutex<[Job]>([])
    private let commitCount = Atomic<Int>(0)
    public let control = LoopControl()

    public init(database: PizzeriaDatabase, settings: WebFrontSettings, logger: Logger, maxBatch: Int = 256,
                gatherWindow: Duration = .microseconds(1500), gatherBelow: Int = 4, busyWithin: Duration = .milliseconds(20)) {
        self.database = database
        self.settings = settings
        self.logger = logger
        self.maxBatch = maxBatch
        self.gatherWindow = gatherWindow
        self.gatherBelow = gatherBelow
        self.busyWithin = busyWithin
    }

    /// Transactions written so far (each carries one batch of placements).
    var commits: Int { commitCount.load(ordering: .relaxed) }

    /// Stores an order (in the next batch) and returns what the database said about it.
    func place(_ placement: PizzeriaDatabase.Placement) async throws -> PlaceOrderResult {
        guard !control.isStopped else {
            throw APIError(.serviceUnavailable, code: "shutting_down", message: "The service is restarting; try again in a moment.")
        }
        return try await withCheckedThrowingContinuation { continuation in
            jobs.withLock { $0.append(Job(placement: placement, continuation: continuation)) }
            control.ring()
        }
    }

    /// The writer thread, as a service.
    public var service: ThreadService {
        ThreadService(name: "order-writer", control: control) { [self] control in
            var lastCommit: ContinuousClock.Instant?
            while true {
                let stopping = control.isStopped
                var batch = take(maxBatch)
                if batch.isEmpty {
                    if stopping { break }
                    control.wait(.seconds(1))
                    continue
                }
                if !stopping, let lastCommit, ContinuousClock.now - lastCommit < busyWithin {
                    gather(into: &batch, control: control)
                }
                lastCommit = .now
                write(&batch)
            }
        }
    }

    /// Waits for more placements until the batch holds ``gatherBelow``, ``gatherWindow`` has
    /// passed, or the service stops.
    private func gather(into batch: inout [Job], control: LoopControl) {
        guard gatherWindow > .zero else { return }
        let until = ContinuousClock.now + gatherWindow
        while batch.count < gatherBelow {
            let left = until - .now
            guard left > .zero, !control.wait(left) else { return }
            batch += take(maxBatch - batch.count)
        }
    }

    private func take(_ limit: Int) -> [Job] {
        jobs.withLock { pending -> [Job] in
            let taken = Array(pending.prefix(limit))
            pending.removeFirst(taken.count)
            return taken
        }
    }

    private func write(_ batch: inout [Job]) {
        let settings = self.settings
        commitCount.add(1, ordering: .relaxed)
        PipelineMetrics.orderCommits()
        do {
            let results = try database.placeOrders(batch.map(\.placement)) { id, token in settings.trackingURL(orderId: id, token: token) }
            for (job, result) in zip(batch, results) { job.continuation.resume(with: result) }
        } catch {
            logger.error("order.write.failed", metadata: ["error": "\(error)", "orders": "\(batch.count)"])
            for job in batch { job.continuation.resume(throwing: error) }
        }
    }
}
