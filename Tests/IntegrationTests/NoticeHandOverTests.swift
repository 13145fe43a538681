import Domain
import Foundation
@testable import Infrastructure
import Logging
import Testing

/// Status notices leave from the committing thread, right after the commit's flush: they do not
/// wait for the relay, which may still be waiting for the broker's confirms of an earlier batch.
@Suite("Notices at hand-over")
struct NoticeHandOverTests {
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pizzeria-notice-handover-\(UUID().uuidString)")

    @Test("A placement's notice reaches Redis with no relay running, and its event still waits for the relay")
    func noticeLeavesWithTheCommit() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let recorder = try RedisRecorder()
        defer { recorder.stop() }
        let database = try PizzeriaDatabase(path: directory.appendingPathComponent("test.sqlite").path, logger: Logger(label: "test"))
        database.outboxHandoff.attach(owner: "test-relay", lease: .seconds(20), limit: 500, notices: try TestEnvironment.redis()) {}
        database.outboxHandoff.setConnected(true)
        let order = NewOrder(customer: Customer(name: "Ada", email: "ada@example.com", phone: "+41 79 000 00 00", address: "Bahnhofstrasse 1"),
                             lines: [OrderLine(pizzaId: "margherita", size: .medium, quantity: 1, unitPriceCents: 950)], notes: nil)
        let results = try database.placeOrders([PizzeriaDatabase.Placement(order: order, idempotencyKey: nil, requestHash: "body")]) { id, token in
            "http://pizzeria.test/orders/\(id)?token=\(token)"
        }
        guard case .success(.created(let receipt)) = results.first else {
            Issue.record("the order was not placed: \(results)")
            return
        }
        let channel = StatusNoticePublisher.channel(orderId: receipt.id)
        let seen = await eventually(timeout: .seconds(10)) { !recorder.notices(on: channel).isEmpty }
        #expect(seen, "the notice went out without a relay")
        #expect(recorder.notices(on: channel).map(\.status) == [.placed])
        let handed = database.outboxHandoff.takeHanded()
        #expect(handed.map(\.orderId) == [receipt.id], "the event itself is left to the relay (published with a confirm)")
        #expect(handed.first?.notice == recorder.notices(on: channel).first)
    }
}
