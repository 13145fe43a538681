import Domain
import Foundation
import GRDB
@testable import Infrastructure
import Logging
import Testing

/// What a commit hands to this process' relay: the entries it put in the outbox, exactly as the
/// table holds them, leased to the relay.
@Suite("Outbox hand-over")
struct OutboxHandoffTests {
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pizzeria-handoff-\(UUID().uuidString)")
    private let order = NewOrder(customer: Customer(name: "Ada", email: "ada@example.com", phone: "+41 79 000 00 00", address: "Bahnhofstrasse 1"),
                                 lines: [OrderLine(pizzaId: "margherita", size: .medium, quantity: 2, unitPriceCents: 950)], notes: "ring twice")

    @Test("Placements and status changes hand over what the outbox holds, leased; a refused placement hands over nothing")
    func handedEntriesMatchTheTable() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try PizzeriaDatabase(path: directory.appendingPathComponent("test.sqlite").path, logger: Logger(label: "test"))
        database.outboxHandoff.attach(owner: "test-relay", lease: .seconds(20), limit: 500) {}
        database.outboxHandoff.setConnected(true)
        let placements = [
            PizzeriaDatabase.Placement(order: order, idempotencyKey: "key-1", requestHash: "body-1"),
            PizzeriaDatabase.Placement(order: order, idempotencyKey: "key-1", requestHash: "another body"),  // refused: key conflict
            PizzeriaDatabase.Placement(order: order, idempotencyKey: nil, requestHash: "body-3"),
        ]
        let results = try database.placeOrders(placements) { id, token in "http://pizzeria.test/orders/\(id)?token=\(token)" }
        guard case .success(.created(let first)) = results[0], case .success(.keyConflict) = results[1],
              case .success(.created(let third)) = results[2] else {
            Issue.record("unexpected results \(results)")
            return
        }
        var handed = database.outboxHandoff.takeHanded()
        #expect(handed.map(\.orderId) == [first.id, third.id])

        let placed = try #require(try database.order(id: first.id))
        let event = OrderPlaced(eventId: handed[0].eventId, orderId: first.id, occurredAt: placed.createdAt, customer: order.customer,
                                items: order.lines, totalCents: order.totalCents, notes: order.notes, trackingTokenHash: placed.trackingTokenHash)
        let outcomes = try database.advance([PizzeriaDatabase.AdvanceRequest(consumer: "kitchen", messageId: handed[0].eventId,
                                                                             event: .placed(event), targets: [.accepted, .baking])])
        guard case .applied(let changes) = outcomes.first else {
            Issue.record("the kitchen's step was not applied: \(outcomes)")
            return
        }
        let advanced = database.outboxHandoff.takeHanded()
        #expect(advanced.map(\.eventId) == changes.map(\.eventId))
        handed += advanced

        let stored = try database.pool.read { db in
            (try PizzeriaDatabase.read(db, ids: handed.map(\.id)).sorted { $0.id < $1.id },
             try Row.fetchAll(db, sql: "SELECT lease_owner, lease_until FROM outbox ORDER BY id"))
        }
        #expect(stored.0 == handed, "handed over exactly what the table holds")
        #expect(stored.1.count == 4)
        #expect(stored.1.allSatisfy { ($0["lease_owner"] as String?) == "test-relay" && ($0["lease_until"] as Int64) > 0 })
    }
}
