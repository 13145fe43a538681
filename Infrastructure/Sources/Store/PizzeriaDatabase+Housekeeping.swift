import Domain
import Foundation
import GRDB

extension PizzeriaDatabase {
    /// Deletes what has served its purpose: `Idempotency-Key` records older than `keys` (they hold
    /// the receipt, tracking token included, so they should not live long), and idempotency records
    /// of messages older than `messages` (a duplicate that late is still stopped by the state machine
    /// and the `emails` table). Returns how many rows went.
    @discardableResult
    public func pruneIdempotencyRecords(keysOlderThan keys: Duration = .seconds(24 * 3600),
                                        messagesOlderThan messages: Duration = .seconds(7 * 24 * 3600),
                                        now: Date = Date()) throws -> Int {
        let nowMillis = Timestamp.millis(now)
        return try pool.write { db in
            try db.execute(sql: "DELETE FROM idempotency_keys WHERE created_at < ?",
                           arguments: [nowMillis - Int64(keys.components.seconds) * 1000])
            var removed = db.changesCount
            try db.execute(sql: "DELETE FROM processed_messages WHERE processed_at < ?",
                           arguments: [nowMillis - Int64(messages.components.seconds) * 1000])
            removed += db.changesCount
            return removed
        }
    }
}
