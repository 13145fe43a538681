import Domain
import Foundation
import GRDB

extension PizzeriaDatabase {
    /// Deletes what has served its purpose: `Idempotency-Key` records older than `keys` (they hold
    /// the receipt, tracking token included, so they should not live long), and idempotency records
    /// of messages older than `messages` (a duplicate that late is still stopped by the state machine
    /// and the `emails` table). Both are found through their age index and deleted in transactions
    /// of at most `chunk` rows, so that the placements and workers waiting for the write lock wait
    /// for one short chunk, never for the whole prune. Returns how many rows went.
    @discardableResult
    public func pruneIdempotencyRecords(keysOlderThan keys: Duration = .seconds(24 * 3600),
                                        messagesOlderThan messages: Duration = .seconds(7 * 24 * 3600),
                                        now: Date = Date(), chunk: Int = 2000) throws -> Int {
        let nowMillis = Timestamp.millis(now)
        let keyCutoff = nowMillis - Int64(keys.components.seconds) * 1000
        let messageCutoff = nowMillis - Int64(messages.components.seconds) * 1000
        var removed = 0
        for (sql, cutoff) in [
            ("DELETE FROM idempotency_keys WHERE id IN (SELECT id FROM idempotency_keys WHERE created_at < ? ORDER BY created_at LIMIT ?)",
             keyCutoff),
            ("""
             DELETE FROM processed_messages WHERE (consumer, message_id) IN
                 (SELECT consumer, message_id FROM processed_messages WHERE processed_at < ? ORDER BY processed_at LIMIT ?)
             """, messageCutoff),
        ] {
            while true {
                let count = try write { db in
                    try db.execute(sql: sql, arguments: [cutoff, chunk])
                    return db.changesCount
                }
                removed += count
                if count < chunk { break }
            }
        }
        return removed
    }
}
