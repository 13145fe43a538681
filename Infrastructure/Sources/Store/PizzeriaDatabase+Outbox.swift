import Domain
import Foundation
import GRDB

extension PizzeriaDatabase {
    /// Leases up to `limit` unsent outbox entries to `owner` for `lease`, oldest first. Several
    /// relays (one per process) share the table; a lease that runs out (its relay died) makes the
    /// entries available again, so every entry is published at least once.
    ///
    /// `removing` deletes entries confirmed by the previous pass in the same transaction (one commit
    /// instead of two).
    ///
    /// With nothing to delete and nothing to lease it writes nothing: it looks on a read connection
    /// first, so that the relays' passes (ten a second in every process) neither take the write lock
    /// nor flush the WAL when there is nothing to do. An entry that becomes leasable just after that
    /// look waits for the next pass.
    public func claimOutbox(owner: String, limit: Int, lease: Duration, removing confirmed: [Int64] = [],
                            now: Date = Date()) throws -> [OutboxEntry] {
        if confirmed.isEmpty, try !hasLeasableOutbox(now: now) { return [] }
        return try write { db in
            try Self.delete(db, ids: confirmed)
            return try Self.lease(db, owner: owner, lease: lease, limit: limit, now: now)
        }
    }

    /// Whether any entry's lease has run out (or never began), on a read connection.
    func hasLeasableOutbox(now: Date) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM outbox WHERE lease_until < ?)"),
                              arguments: [Timestamp.millis(now)]) ?? false
        }
    }

    /// Leases up to `limit` entries whose lease ran out (or never began) to `owner`, oldest first.
    ///
    /// Entries this transaction put in the outbox come from `recorded` (made as they were inserted)
    /// instead of being read back; only the others (other processes' entries, released ones) are read.
    static func lease(_ db: Database, owner: String, lease: Duration, limit: Int, now: Date,
                      recorded: [Int64: OutboxEntry] = [:]) throws -> [OutboxEntry] {
        let nowMillis = Timestamp.millis(now)
        let until = nowMillis + Int64(lease.components.seconds * 1000)
        let ids = try Int64.fetchAll(db.cachedStatement(sql: """
            UPDATE outbox SET lease_owner = ?, lease_until = ?
            WHERE id IN (SELECT id FROM outbox WHERE lease_until < ? ORDER BY id LIMIT ?)
            RETURNING id
            """), arguments: [owner, until, nowMillis, limit])
        var entries: [OutboxEntry] = []
        entries.reserveCapacity(ids.count)
        var others: [Int64] = []
        for id in ids {
            if let entry = recorded[id] { entries.append(entry) } else { others.append(id) }
        }
        if !others.isEmpty { entries += try read(db, ids: others) }
        return entries.sorted { $0.id < $1.id }
    }

    /// The entries with these ids, read from the table.
    static func read(_ db: Database, ids: [Int64]) throws -> [OutboxEntry] {
        var entries: [OutboxEntry] = []
        for chunk in Self.chunks(ids) {
            let marks = databaseQuestionMarks(count: chunk.count)
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, event_id, order_id, routing_key, event_type, seq, status, occurred_at, body FROM outbox WHERE id IN (\(marks))
                """, arguments: StatementArguments(Array(chunk)))
            entries += rows.compactMap { row -> OutboxEntry? in
                guard let status = OrderStatus(rawValue: row["status"]) else { return nil }
                let notice = StatusNotice(orderId: row["order_id"], seq: row["seq"], status: status,
                                          at: Timestamp.date(millis: row["occurred_at"]), eventId: row["event_id"])
                return OutboxEntry(id: row["id"], eventId: row["event_id"], orderId: row["order_id"], routingKey: row["routing_key"],
                                   eventType: row["event_type"], body: row["body"], notice: notice)
            }
        }
        return entries
    }

    /// Removes entries the broker confirmed.
    public func removeFromOutbox(ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        try write { db in try Self.delete(db, ids: ids) }
    }

    static func delete(_ db: Database, ids: [Int64]) throws {
        for chunk in Self.chunks(ids) {
            let marks = databaseQuestionMarks(count: chunk.count)
            try db.execute(sql: "DELETE FROM outbox WHERE id IN (\(marks))", arguments: StatementArguments(Array(chunk)))
        }
    }

    /// `ids` in pieces of at most 500, each small enough for one `IN (?, …)` statement.
    static func chunks(_ ids: [Int64]) -> [ArraySlice<Int64>] {
        stride(from: 0, to: ids.count, by: 500).map { ids[$0..<min($0 + 500, ids.count)] }
    }

    /// Gives entries back (the broker refused them): they are claimed again on the next pass.
    public func releaseOutbox(ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        try write { db in
            let marks = databaseQuestionMarks(count: ids.count)
            try db.execute(sql: "UPDATE outbox SET lease_owner = NULL, lease_until = 0 WHERE id IN (\(marks))",
                           arguments: StatementArguments(ids))
        }
    }

    /// The owners holding live leases (to find relays that died on this host).
    public func outboxLeaseOwners(now: Date = Date()) throws -> [String] {
        try pool.read { db in
            try String.fetchAll(db.cachedStatement(sql: "SELECT DISTINCT lease_owner FROM outbox WHERE lease_until >= ? AND lease_owner IS NOT NULL"),
                                arguments: [Timestamp.millis(now)])
        }
    }

    /// Releases every lease held by `owner` (a relay that is known to be dead).
    public func releaseOutbox(owner: String) throws {
        try write { db in
            try db.executeCached(sql: "UPDATE outbox SET lease_owner = NULL, lease_until = 0 WHERE lease_owner = ?", arguments: [owner])
        }
    }

    /// How many events wait for a broker confirm.
    public func outboxBacklog() throws -> Int {
        try pool.read { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM outbox")) ?? 0 }
    }
}
