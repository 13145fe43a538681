import Domain
import Foundation
import GRDB

extension PizzeriaDatabase {
    /// Stores a new order, its first history step and its `OrderPlaced` event (outbox) in one
    /// transaction. With an `Idempotency-Key`, a repeat of the same request returns the first order.
    ///
    /// - Parameters:
    ///   - requestHash: a digest of the request body, to tell a repeat from a different request.
    ///   - trackingURL: builds the customer's tracking URL from the order id and token.
    public func placeOrder(_ order: NewOrder, idempotencyKey: String?, requestHash: String, now: Date = Date(),
                           trackingURL: @Sendable (String, String) -> String) throws -> PlaceOrderResult {
        let prepared = try PreparedOrder(order, now: now, trackingURL: trackingURL)
        return try write { db in
            try Self.placeOrder(db, prepared, idempotencyKey: idempotencyKey, requestHash: requestHash, now: now)
        }
    }

    /// An order to place (see ``placeOrders(_:now:trackingURL:)``).
    public struct Placement: Sendable {
        public var order: NewOrder
        public var idempotencyKey: String?
        public var requestHash: String
        public init(order: NewOrder, idempotencyKey: String?, requestHash: String) {
            self.order = order
            self.idempotencyKey = idempotencyKey
            self.requestHash = requestHash
        }
    }

    /// Places several orders in ONE transaction (group commit: one fsync for all), each in its own
    /// savepoint so that one failure does not undo the others. Results come back in order.
    public func placeOrders(_ placements: [Placement], now: Date = Date(),
                            trackingURL: @Sendable (String, String) -> String) throws -> [Result<PlaceOrderResult, any Error>] {
        // Ids, tokens and encodings are made before the write lock is taken: other writers wait for it.
        let prepared = placements.map { placement in Result { try PreparedOrder(placement.order, now: now, trackingURL: trackingURL) } }
        return try writeHandingOff(now: now) { db in
            let results = zip(placements, prepared).map { placement, prepared in
                Result {
                    let prepared = try prepared.get()
                    var result = PlaceOrderResult.keyConflict
                    try db.inSavepoint {
                        result = try Self.placeOrder(db, prepared, idempotencyKey: placement.idempotencyKey,
                                                     requestHash: placement.requestHash, now: now)
                        return .commit
                    }
                    return result
                }
            }
            let enqueued = results.contains { if case .success(.created) = $0 { true } else { false } }
            return (results, enqueued)
        }
    }

    /// What storing a new order needs that does not depend on the database: ids, the tracking
    /// token, the event and the receipt, encoded. Made before the write lock is taken; thrown away
    /// when the `Idempotency-Key` turns out to be a repeat.
    struct PreparedOrder {
        var event: OrderPlaced
        var body: Data
        var itemsJSON: String
        var receipt: OrderReceipt
        var receiptJSON: String

        init(_ order: NewOrder, now: Date, trackingURL: (String, String) -> String) throws {
            let orderId = OrderID.make()
            let token = TrackingToken.make()
            event = OrderPlaced(eventId: OrderID.make(), orderId: orderId, occurredAt: now, customer: order.customer,
                                items: order.lines, totalCents: order.totalCents, notes: order.notes,
                                trackingTokenHash: TrackingToken.hash(token))
            body = EventCodec.encode(.placed(event))
            itemsJSON = EventCodec.encodeItems(order.lines)
            receipt = OrderReceipt(id: orderId, trackingToken: token, status: .placed, totalCents: order.totalCents,
                                   trackingUrl: trackingURL(orderId, token))
            receiptJSON = receipt.json
        }
    }

    static func placeOrder(_ db: Database, _ prepared: PreparedOrder, idempotencyKey: String?, requestHash: String,
                           now: Date) throws -> PlaceOrderResult {
        if let idempotencyKey, let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT request_hash, response FROM idempotency_keys WHERE key = ?"),
                                                          arguments: [idempotencyKey]) {
            guard (row["request_hash"] as String) == requestHash else { return .keyConflict }
            let receipt = try JSONDecoder().decode(OrderReceipt.self, from: Data((row["response"] as String).utf8))
            return .replayed(receipt)
        }
        let event = prepared.event
        try Self.insertOrder(db, from: event, source: "web", itemsJSON: prepared.itemsJSON, known: false)
        try Self.enqueue(db, .placed(event), now: now, body: prepared.body)
        if let idempotencyKey {
            try db.executeCached(sql: """
                INSERT INTO idempotency_keys (key, request_hash, order_id, response, created_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [idempotencyKey, requestHash, event.orderId, prepared.receiptJSON, Timestamp.millis(now)])
        }
        return .created(prepared.receipt)
    }

    /// The order with its history, or `nil` when there is none with this id.
    public func order(id: String) throws -> OrderRecord? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM orders WHERE id = ?"), arguments: [id]) else { return nil }
            let lines = Self.decodeLines(row["items_json"])
            return OrderRecord(
                id: row["id"], trackingTokenHash: row["tracking_token_hash"],
                customer: Customer(name: row["customer_name"], email: row["customer_email"], phone: row["customer_phone"],
                                   address: row["customer_address"]),
                lines: lines, notes: row["notes"], totalCents: row["total_cents"],
                status: OrderStatus(rawValue: row["status"]) ?? .placed, seq: row["seq"],
                createdAt: Timestamp.date(millis: row["created_at"]),
                history: try Self.history(db, orderId: id, afterSeq: 0))
        }
    }

    /// The steps of an order after `afterSeq`, in order (what a reconnecting live view missed).
    public func history(orderId: String, afterSeq: Int = 0) throws -> [StatusStep] {
        try pool.read { db in try Self.history(db, orderId: orderId, afterSeq: afterSeq) }
    }

    static func history(_ db: Database, orderId: String, afterSeq: Int) throws -> [StatusStep] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT seq, status, at FROM order_events WHERE order_id = ? AND seq > ? ORDER BY seq"),
                         arguments: [orderId, afterSeq]).compactMap { row in
            guard let status = OrderStatus(rawValue: row["status"]) else { return nil }
            return StatusStep(seq: row["seq"], status: status, at: Timestamp.date(millis: row["at"]))
        }
    }

    /// Inserts the order an `OrderPlaced` describes, with its `placed` step; returns false when it
    /// was already there (the event is a duplicate, or the web front stored it first).
    ///
    /// - Parameters:
    ///   - itemsJSON: the items encoded already (the web front encodes them before taking the lock).
    ///   - known: whether the order may exist already (a worker's copy of an event); a fresh id
    ///     from the web front skips the lookup.
    @discardableResult
    static func insertOrder(_ db: Database, from event: OrderPlaced, source: String, itemsJSON: String? = nil,
                            known: Bool = true) throws -> Bool {
        // Usually the web front stored it already: skip encoding the items for nothing.
        if known, try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM orders WHERE id = ?"), arguments: [event.orderId]) == true {
            return false
        }
        let items = itemsJSON ?? EventCodec.encodeItems(event.items)
        let at = Timestamp.millis(event.occurredAt)
        try db.executeCached(sql: """
            INSERT INTO orders (id, tracking_token_hash, customer_name, customer_email, customer_phone, customer_address,
                                items_json, notes, total_cents, status, seq, source, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'placed', 1, ?, ?, ?)
            ON CONFLICT(id) DO NOTHING
            """, arguments: [event.orderId, event.trackingTokenHash, event.customer.name, event.customer.email,
                             event.customer.phone, event.customer.address, items, event.notes, event.totalCents,
                             source, at, at])
        guard db.changesCount > 0 else { return false }
        try db.executeCached(sql: "INSERT INTO order_events (order_id, seq, status, at, event_id) VALUES (?, 1, 'placed', ?, ?)",
                       arguments: [event.orderId, at, event.eventId])
        return true
    }

    /// Puts an event in the outbox, to be published (Redis notice, then AMQP with confirm) by a relay.
    static func enqueue(_ db: Database, _ event: OrderEvent, now: Date, body: Data? = nil) throws {
        let encoded = body ?? EventCodec.encode(event)
        try db.executeCached(sql: """
            INSERT INTO outbox (event_id, order_id, routing_key, event_type, seq, status, occurred_at, body, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [event.eventId, event.orderId, event.routingKey, event.type.rawValue, event.seq,
                             event.status.rawValue, Timestamp.millis(event.occurredAt), encoded,
                             Timestamp.millis(now)])
        if let recorder = OutboxRecorder.current {
            let id = db.lastInsertedRowID
            let notice = StatusNotice(orderId: event.orderId, seq: event.seq, status: event.status,
                                      at: Timestamp.date(millis: Timestamp.millis(event.occurredAt)), eventId: event.eventId)
            recorder.entries[id] = OutboxEntry(id: id, eventId: event.eventId, orderId: event.orderId, routingKey: event.routingKey,
                                               eventType: event.type.rawValue, body: encoded, notice: notice)
        }
    }
}
