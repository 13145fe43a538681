import Domain
import Foundation
import GRDB

/// Reads what a user would check in the pipeline's SQLite file.
struct StoreProbe {
    let database: DatabaseQueue

    init(_ pipeline: PipelineHarness) throws {
        database = try pipeline.database()
    }

    /// The statuses in `order_events`, by seq.
    func history(_ orderId: String) throws -> [OrderStatus] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT status FROM order_events WHERE order_id = ? ORDER BY seq", arguments: [orderId])
                .compactMap(OrderStatus.init(rawValue:))
        }
    }

    func seqs(_ orderId: String) throws -> [Int] {
        try database.read { db in
            try Int.fetchAll(db, sql: "SELECT seq FROM order_events WHERE order_id = ? ORDER BY seq", arguments: [orderId])
        }
    }

    func count(_ sql: String, _ arguments: StatementArguments = []) throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0 }
    }

    func deliveredCount() throws -> Int { try count("SELECT COUNT(*) FROM orders WHERE status = 'delivered'") }

    func emailKinds(_ orderId: String) throws -> [String] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT kind FROM emails WHERE order_id = ? ORDER BY kind", arguments: [orderId])
        }
    }
}

extension PipelineHarness {
    /// The files the email worker wrote for an order (maildir `new/`).
    func mailFiles(orderId: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: maildir.appendingPathComponent("new").path)) ?? []
        return names.filter { $0.hasPrefix(orderId + ".") }.sorted()
    }

    func allMailFiles() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: maildir.appendingPathComponent("new").path)) ?? []
    }
}

/// The whole main line, in order.
let fullHistory: [OrderStatus] = [.placed, .accepted, .baking, .ready, .outForDelivery, .delivered]
let threeEmails = ["confirmed", "delivered", "out_for_delivery"]
