import Domain
import Foundation
import GRDB

/// A ticket on the kitchen display.
public struct KitchenTicket: Sendable, Equatable {
    public var orderId: String
    public var status: OrderStatus
    public var customerName: String
    public var notes: String?
    public var lines: [OrderLine]
    public var placedAt: Date
    public var statusAt: Date
    /// A bump the crew made that is not applied yet (it can still be recalled).
    public var pendingBump: OrderStatus?
}

/// Why a bump or recall was refused.
public enum KitchenActionError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownOrder
    case cannotBump(OrderStatus)
    case bumpPending
    case nothingToRecall

    public var description: String {
        switch self {
        case .unknownOrder: "There is no such order."
        case .cannotBump(let status): "An order that is \(status.label.lowercased()) cannot be bumped."
        case .bumpPending: "This ticket was just bumped; recall it or wait a moment."
        case .nothingToRecall: "There is no recent bump to recall on this ticket."
        }
    }
}

extension PizzeriaDatabase {
    /// The tickets the kitchen works on (accepted, baking, ready), oldest first, with pending bumps.
    public func kitchenTickets(limit: Int = 200) throws -> [KitchenTicket] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.id, o.status, o.customer_name, o.notes, o.items_json, o.created_at, o.updated_at, b.to_status AS pending
                FROM orders o LEFT JOIN kitchen_bumps b ON b.order_id = o.id
                WHERE o.status IN ('accepted', 'baking', 'ready')
                ORDER BY o.created_at LIMIT ?
                """, arguments: [limit]).compactMap { row in
                guard let status = OrderStatus(rawValue: row["status"]) else { return nil }
                let lines = Self.decodeLines(row["items_json"])
                return KitchenTicket(orderId: row["id"], status: status, customerName: row["customer_name"], notes: row["notes"],
                                     lines: lines, placedAt: Timestamp.date(millis: row["created_at"]),
                                     statusAt: Timestamp.date(millis: row["updated_at"]),
                                     pendingBump: (row["pending"] as String?).flatMap(OrderStatus.init(rawValue:)))
            }
        }
    }

    /// Average seconds from placed to ready over orders that became ready since `since`.
    public func averageTicketSeconds(since: Date) throws -> Double? {
        try pool.read { db in
            try Double.fetchOne(db, sql: """
                SELECT AVG(r.at - p.at) / 1000.0 FROM order_events r
                JOIN order_events p ON p.order_id = r.order_id AND p.seq = 1
                WHERE r.status = 'ready' AND r.at >= ?
                """, arguments: [Timestamp.millis(since)])
        }
    }

    /// Records a bump (accepted → baking, baking → ready) to be applied after `recallWindow`, so the
    /// crew can recall it until then. Returns the status the ticket will have.
    public func bump(orderId: String, recallWindow: Duration, now: Date = Date()) throws -> OrderStatus {
        try write { db in
            guard let raw = try String.fetchOne(db, sql: "SELECT status FROM orders WHERE id = ?", arguments: [orderId]),
                  let current = OrderStatus(rawValue: raw) else { throw KitchenActionError.unknownOrder }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM kitchen_bumps WHERE order_id = ?", arguments: [orderId]) == true {
                throw KitchenActionError.bumpPending
            }
            let target: OrderStatus
            switch current {
            case .accepted: target = .baking
            case .baking: target = .ready
            case .placed, .ready, .outForDelivery, .delivered, .cancelled: throw KitchenActionError.cannotBump(current)
            }
            guard StatusMachine.decide(from: current, to: target) == .apply else { throw KitchenActionError.cannotBump(current) }
            let nowMillis = Timestamp.millis(now)
            let applyAt = nowMillis + recallWindow.wholeMilliseconds
            try db.execute(sql: """
                INSERT INTO kitchen_bumps (order_id, from_status, to_status, requested_at, apply_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [orderId, current.rawValue, target.rawValue, nowMillis, applyAt])
            return target
        }
    }

    /// Takes back a bump that is not applied yet.
    public func recall(orderId: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM kitchen_bumps WHERE order_id = ?", arguments: [orderId])
            guard db.changesCount > 0 else { throw KitchenActionError.nothingToRecall }
        }
    }

    /// Applies the bumps whose recall window has passed, each in its own transaction, like a
    /// worker's status change (history, outbox). A bump the order has moved past is dropped.
    /// Returns how many were applied.
    @discardableResult
    public func applyDueBumps(now: Date = Date()) throws -> Int {
        let due = try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT order_id, from_status, to_status FROM kitchen_bumps WHERE apply_at <= ? ORDER BY apply_at LIMIT 500",
                             arguments: [Timestamp.millis(now)])
                .map { (orderId: $0["order_id"] as String, from: $0["from_status"] as String, to: $0["to_status"] as String) }
        }
        var applied = 0
        for bump in due {
            let done = try writeHandingOff(now: now) { db -> (Bool, enqueued: Bool) in
                try db.execute(sql: "DELETE FROM kitchen_bumps WHERE order_id = ?", arguments: [bump.orderId])
                guard let row = try Row.fetchOne(db, sql: "SELECT status, seq FROM orders WHERE id = ?", arguments: [bump.orderId]),
                      let current = OrderStatus(rawValue: row["status"]), let target = OrderStatus(rawValue: bump.to),
                      current.rawValue == bump.from, StatusMachine.decide(from: current, to: target) == .apply
                else { return (false, false) }
                _ = try Self.applyTransition(db, orderId: bump.orderId, seq: (row["seq"] as Int) + 1, to: target, now: now)
                return (true, true)
            }
            if done { applied += 1 }
        }
        return applied
    }
}
