import Domain
import Foundation
import GRDB

extension PizzeriaDatabase {
    /// The status changes a worker wants to make for one message (see ``advance(_:now:)``).
    public struct AdvanceRequest: Sendable {
        public var consumer: String
        public var messageId: String
        public var event: OrderEvent
        /// Applied in order: the next stage and any that follow it at once.
        public var targets: [OrderStatus]
        public init(consumer: String, messageId: String, event: OrderEvent, targets: [OrderStatus]) {
            self.consumer = consumer
            self.messageId = messageId
            self.event = event
            self.targets = targets
        }
    }

    /// Several workers' status changes in ONE transaction (group commit): one fsync for the lot.
    /// Each request runs in its own savepoint, so one that changes nothing (stale, illegal)
    /// leaves nothing behind while the others commit. Outcomes come back in order.
    public func advance(_ requests: [AdvanceRequest], now: Date = Date()) throws -> [AdvanceOutcome] {
        guard !requests.isEmpty else { return [] }
        return try writeHandingOff(now: now) { db in
            var outcomes: [AdvanceOutcome] = []
            outcomes.reserveCapacity(requests.count)
            var enqueued = false
            for request in requests {
                var outcome = AdvanceOutcome.unknownOrder
                try db.inSavepoint {
                    outcome = try Self.advance(db, request, now: now)
                    if case .applied = outcome { return .commit }
                    return .rollback
                }
                if case .applied = outcome { enqueued = true }
                outcomes.append(outcome)
            }
            return (outcomes, enqueued)
        }
    }

    /// Moves one order through `request.targets` as far as the state machine allows. Whether the
    /// message was seen before does not matter: a redelivered message resumes its line, and the
    /// state machine skips what is done. The idempotency record is written with the first change.
    static func advance(_ db: Database, _ request: AdvanceRequest, now: Date) throws -> AdvanceOutcome {
        let orderId = request.event.orderId
        if case .placed(let placed) = request.event {
            try insertOrder(db, from: placed, source: "amqp")
        }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT status, seq, updated_at FROM orders WHERE id = ?"), arguments: [orderId]),
              var current = OrderStatus(rawValue: row["status"])
        else { return .unknownOrder }
        var seq: Int = row["seq"]
        var applied: [OrderStatusChanged] = []
        for target in request.targets {
            switch StatusMachine.decide(from: current, to: target) {
            case .alreadyReached:
                continue
            case .orderClosed:
                if applied.isEmpty { return .orderClosed(current: current) }
            case .illegal:
                if applied.isEmpty { return .illegal(current: current, target: target) }
            case .apply:
                if applied.isEmpty { _ = try markProcessed(db, consumer: request.consumer, messageId: request.messageId, now: now) }
                seq += 1
                applied.append(try applyTransition(db, orderId: orderId, seq: seq, to: target, now: now))
                current = target
                continue
            }
            break
        }
        guard applied.isEmpty else { return .applied(applied) }
        return .alreadyReached(current: current, since: Timestamp.date(millis: row["updated_at"]))
    }

    /// Records a legal status change: the order row, its history step, and the event in the outbox.
    static func applyTransition(_ db: Database, orderId: String, seq: Int, to target: OrderStatus, now: Date) throws -> OrderStatusChanged {
        let changed = OrderStatusChanged(eventId: OrderID.make(), orderId: orderId, seq: seq, occurredAt: now, status: target)
        let at = Timestamp.millis(now)
        try db.executeCached(sql: "UPDATE orders SET status = ?, seq = ?, updated_at = ? WHERE id = ?",
                       arguments: [target.rawValue, seq, at, orderId])
        try db.executeCached(sql: "INSERT INTO order_events (order_id, seq, status, at, event_id) VALUES (?, ?, ?, ?, ?)",
                       arguments: [orderId, seq, target.rawValue, at, changed.eventId])
        try enqueue(db, .statusChanged(changed), now: now)
        return changed
    }

    /// Inserts the idempotency record; false when this consumer has processed the message before.
    static func markProcessed(_ db: Database, consumer: String, messageId: String, now: Date) throws -> Bool {
        try db.executeCached(sql: """
            INSERT INTO processed_messages (consumer, message_id, processed_at) VALUES (?, ?, ?)
            ON CONFLICT(consumer, message_id) DO NOTHING
            """, arguments: [consumer, messageId, Timestamp.millis(now)])
        return db.changesCount > 0
    }

    /// Which order and kind of email (one row of the `emails` table).
    public struct EmailKey: Hashable, Sendable {
        public var orderId: String
        public var kind: EmailKind
        public init(orderId: String, kind: EmailKind) {
            self.orderId = orderId
            self.kind = kind
        }
    }

    /// What an email about an order shows: who, what, how much.
    public struct OrderContact: Sendable {
        public var customer: Customer
        public var lines: [OrderLine]
        public var totalCents: Int
    }

    /// What the email worker needs to know about a batch, read in one transaction: which of
    /// `keys` went out already, and the contact of each order in `orderIds` that exists.
    public func emailFacts(keys: [EmailKey], orderIds: [String]) throws -> (sent: Set<EmailKey>, orders: [String: OrderContact]) {
        guard !keys.isEmpty || !orderIds.isEmpty else { return ([], [:]) }
        return try pool.read { db in
            var sent: Set<EmailKey> = []
            let sentQuery = try db.cachedStatement(sql: "SELECT 1 FROM emails WHERE order_id = ? AND kind = ?")
            for key in Set(keys) where try Bool.fetchOne(sentQuery, arguments: [key.orderId, key.kind.rawValue]) ?? false {
                sent.insert(key)
            }
            var orders: [String: OrderContact] = [:]
            let orderQuery = try db.cachedStatement(sql: """
                SELECT customer_name, customer_email, customer_phone, customer_address, items_json, total_cents
                FROM orders WHERE id = ?
                """)
            for id in Set(orderIds) {
                guard let row = try Row.fetchOne(orderQuery, arguments: [id]) else { continue }
                orders[id] = OrderContact(
                    customer: Customer(name: row[0], email: row[1], phone: row[2], address: row[3]),
                    lines: Self.decodeLines(row[4]), totalCents: row[5])
            }
            return (sent, orders)
        }
    }

    /// The `items_json` column as order lines (empty if unreadable, which only a hand edit could cause).
    static func decodeLines(_ json: String) -> [OrderLine] {
        EventCodec.decodeItems(json) ?? []
    }

    /// One email that went out (see ``recordEmails(_:skipped:consumer:now:)``).
    public struct SentEmail: Sendable {
        public var consumer: String
        public var messageId: String
        public var event: OrderEvent
        public var kind: EmailKind
        public var emailMessageId: String
        public var recipient: String
        public init(consumer: String, messageId: String, event: OrderEvent, kind: EmailKind, emailMessageId: String, recipient: String) {
            self.consumer = consumer
            self.messageId = messageId
            self.event = event
            self.kind = kind
            self.emailMessageId = emailMessageId
            self.recipient = recipient
        }
    }

    /// Records several sent emails (and the idempotency records of their messages), and the
    /// messages of `skipped` as processed with no other change, in one transaction.
    public func recordEmails(_ emails: [SentEmail], skipped: [String] = [], consumer: String = "email", now: Date = Date()) throws {
        guard !emails.isEmpty || !skipped.isEmpty else { return }
        try write { db in
            for email in emails {
                _ = try Self.markProcessed(db, consumer: email.consumer, messageId: email.messageId, now: now)
                if case .placed(let placed) = email.event { try Self.insertOrder(db, from: placed, source: "amqp") }
                try db.executeCached(sql: """
                    INSERT INTO emails (order_id, kind, message_id, recipient, sent_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(order_id, kind) DO NOTHING
                    """, arguments: [email.event.orderId, email.kind.rawValue, email.emailMessageId, email.recipient, Timestamp.millis(now)])
            }
            for id in skipped { _ = try Self.markProcessed(db, consumer: consumer, messageId: id, now: now) }
        }
    }
}
