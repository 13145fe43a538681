import Domain
import Foundation
import Infrastructure
import Logging
import Synchronization

/// Group commit for the web front: concurrent `POST /api/orders` requests wait in a queue, and one
/// thread writes everything waiting in a single SQLite transaction (one WAL flush for the batch
/// instead of one per order). Each request still gets its own result, and a `201` is sent only
/// after its order is committed and on disk.
public final class PlacementCommitter: Sendable {
    private struct Job: Sendable {
        var placement: PizzeriaDatabase.Placement
        var continuation: CheckedContinuation<PlaceOrderResult, any Error>
    }

    private let database: PizzeriaDatabase
    private let settings: WebFrontSettings
    private let logger: Logger
    private let maxBatch: Int
    private let jobs = Mutex<[Job]>([])
    public let control = LoopControl()

    public init(database: PizzeriaDatabase, settings: WebFrontSettings, logger: Logger, maxBatch: Int = 256) {
        self.database = database
        self.settings = settings
        self.logger = logger
        self.maxBatch = maxBatch
    }

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
            while true {
                let stopping = control.isStopped
                var batch = jobs.withLock { pending -> [Job] in
                    let taken = Array(pending.prefix(maxBatch))
                    pending.removeFirst(taken.count)
                    return taken
                }
                if batch.isEmpty {
                    if stopping { break }
                    control.wait(.seconds(1))
                    continue
                }
                write(&batch)
            }
        }
    }

    private func write(_ batch: inout [Job]) {
        let settings = self.settings
        do {
            let results = try database.placeOrders(batch.map(\.placement)) { id, token in settings.trackingURL(orderId: id, token: token) }
            for (job, result) in zip(batch, results) { job.continuation.resume(with: result) }
        } catch {
            logger.error("order.write.failed", metadata: ["error": "\(error)", "orders": "\(batch.count)"])
            for job in batch { job.continuation.resume(throwing: error) }
        }
    }
}
