import Domain
import Foundation
import GRDB
@testable import Infrastructure
import Logging
import Testing

/// `Idempotency-Key` records and the idempotency records of messages: kept while they matter,
/// pruned by age, and carried over from a database made before they were stored in arrival order.
@Suite("Idempotency records")
struct IdempotencyRecordTests {
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pizzeria-idempotency-\(UUID().uuidString)")
    private let order = StoreFixtures.order

    private func url(_ id: String, _ token: String) -> String { StoreFixtures.trackingURL(id, token) }

    private func place(_ database: PizzeriaDatabase, key: String, at now: Date) throws -> PlaceOrderResult {
        try database.placeOrder(order, idempotencyKey: key, requestHash: "hash-of-the-body", now: now, trackingURL: url)
    }

    @Test("Pruning removes the records past their age in small transactions and keeps the young ones working")
    func pruneByAge() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try PizzeriaDatabase(path: directory.appendingPathComponent("test.sqlite").path, logger: Logger(label: "test"))
        let now = Date()
        let twoDaysAgo = now.addingTimeInterval(-2 * 24 * 3600)
        for index in 0..<5 { _ = try place(database, key: "old-\(index)", at: twoDaysAgo) }
        var young: [String: OrderReceipt] = [:]
        for index in 0..<3 {
            guard case .created(let receipt) = try place(database, key: "young-\(index)", at: now) else {
                Issue.record("a new key must create an order")
                return
            }
            young["young-\(index)"] = receipt
        }
        try database.recordEmails([], skipped: (0..<7).map { "old-message-\($0)" }, now: now.addingTimeInterval(-8 * 24 * 3600))
        try database.recordEmails([], skipped: ["young-message-0", "young-message-1"], now: now)

        // Chunks of 2: the 5 old keys and 7 old messages take several transactions each.
        let removed = try database.pruneIdempotencyRecords(now: now, chunk: 2)
        #expect(removed == 12)

        let left = try database.pool.read { db in
            (try String.fetchAll(db, sql: "SELECT key FROM idempotency_keys ORDER BY key"),
             try String.fetchAll(db, sql: "SELECT message_id FROM processed_messages ORDER BY message_id"))
        }
        #expect(left.0 == ["young-0", "young-1", "young-2"])
        #expect(left.1 == ["young-message-0", "young-message-1"])
        // A retry with a young key still gets its first order back; a pruned key is a new request.
        for (key, receipt) in young { #expect(try place(database, key: key, at: now) == .replayed(receipt)) }
        guard case .created = try place(database, key: "old-0", at: now) else {
            Issue.record("a pruned key must count as new")
            return
        }
    }

    @Test("Keys stored before v3 (one table ordered by key) still replay their first order after the migration")
    func keysSurviveTheMigration() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("test.sqlite").path
        let receipt = OrderReceipt(id: "order-before-v3", trackingToken: "token-before-v3", status: .placed, totalCents: 950,
                                   trackingUrl: url("order-before-v3", "token-before-v3"))
        do {
            let queue = try DatabaseQueue(path: path)
            try Migrations.migrator().migrate(queue, upTo: "v2-kitchen-display")
            let response = String(decoding: try JSONEncoder().encode(receipt), as: UTF8.self)
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO orders (id, customer_name, customer_email, customer_phone, customer_address, items_json, total_cents,
                                        status, seq, source, created_at, updated_at)
                    VALUES ('order-before-v3', 'Ada', 'ada@example.com', '+41', 'Bahnhofstrasse 1', '[]', 950, 'placed', 1, 'web', 0, 0)
                    """)
                try db.execute(sql: """
                    INSERT INTO idempotency_keys (key, request_hash, order_id, response, created_at)
                    VALUES ('key-before-v3', 'hash-of-the-body', 'order-before-v3', ?, ?)
                    """, arguments: [response, Timestamp.millis(Date())])
            }
        }
        let database = try PizzeriaDatabase(path: path, logger: Logger(label: "test"))
        #expect(try database.appliedMigrations().last == "v3-prunable-idempotency-records")
        #expect(try place(database, key: "key-before-v3", at: Date()) == .replayed(receipt))
        #expect(try database.placeOrder(order, idempotencyKey: "key-before-v3", requestHash: "another body", trackingURL: url) == .keyConflict)
    }
}
