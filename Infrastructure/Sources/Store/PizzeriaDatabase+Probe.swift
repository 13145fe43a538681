import Domain
import Foundation
import GRDB

extension PizzeriaDatabase {
    /// One write transaction shaped like a worker's smallest step, for `pizzeria probe sqlite-tx`:
    /// the idempotency record (`INSERT … ON CONFLICT DO NOTHING`) and one `UPDATE` of the order.
    /// Returns false, having changed nothing, when this consumer recorded the message id before.
    public func probeStep(consumer: String, messageId: String, orderId: String, now: Date = Date()) throws -> Bool {
        try write { db in
            guard try Self.markProcessed(db, consumer: consumer, messageId: messageId, now: now) else { return false }
            try db.execute(sql: "UPDATE orders SET updated_at = ? WHERE id = ?", arguments: [Timestamp.millis(now), orderId])
            return true
        }
    }
}
