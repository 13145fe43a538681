import Domain
import Foundation
import GRDB
@testable import Infrastructure
import Logging
import Testing

/// The relays' own passes over the outbox: they lease what waits and delete what the broker
/// confirmed, and when there is neither they leave the write lock to the writers.
@Suite("Outbox passes")
struct OutboxClaimTests {
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pizzeria-claim-\(UUID().uuidString)")

    @Test("A pass with nothing to lease or delete returns while another process holds the write lock; one with work leases and deletes it")
    func idlePassLeavesTheWriteLockAlone() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("test.sqlite").path
        let database = try PizzeriaDatabase(path: path, logger: Logger(label: "test"))
        // Another process's connection, in the middle of a write transaction. A pass that wrote
        // would wait for it in the busy handler (10 s) and then fail with SQLITE_BUSY.
        let otherProcess = try DatabaseQueue(path: path)
        var whileLocked: [OutboxEntry]?
        try otherProcess.inTransaction(.immediate) { _ in
            whileLocked = try database.claimOutbox(owner: "relay-a", limit: 10, lease: .seconds(20))
            return .rollback
        }
        #expect(whileLocked?.isEmpty == true)

        // No relay is attached, so the placement's entry waits in the table for a pass.
        let results = try database.placeOrders([PizzeriaDatabase.Placement(order: StoreFixtures.order, idempotencyKey: nil, requestHash: "body")],
                                               trackingURL: StoreFixtures.trackingURL)
        guard case .success(.created(let placed)) = results.first else {
            Issue.record("unexpected result \(results)")
            return
        }
        let leased = try database.claimOutbox(owner: "relay-a", limit: 10, lease: .seconds(20))
        #expect(leased.map(\.orderId) == [placed.id])
        #expect(leased.map(\.routingKey) == ["order.placed"])
        // Leased: another relay's pass finds nothing to take.
        #expect(try database.claimOutbox(owner: "relay-b", limit: 10, lease: .seconds(20)).isEmpty)
        // Confirmed: the next pass deletes it, although it finds nothing to lease.
        #expect(try database.claimOutbox(owner: "relay-a", limit: 10, lease: .seconds(20), removing: leased.map(\.id)).isEmpty)
        #expect(try database.outboxBacklog() == 0)
    }
}
