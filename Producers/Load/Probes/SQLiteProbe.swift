import Domain
import Foundation
import Infrastructure
import Logging

/// SQLite's ceiling for the workers' kind of transaction, on a temporary database file with the
/// real schema (``PizzeriaDatabase``) and the chosen durability (`full` by default, as the app
/// runs: each transaction waits for its WAL flush).
///
/// Every call blocks (GRDB's synchronous API): run it on a thread of its own (``BlockingCall``).
public struct SQLiteProbe: Sendable {
    private let durability: SQLiteDurability
    private let logger: Logger

    public init(durability: SQLiteDurability, logger: Logger) {
        self.durability = durability
        self.logger = logger
    }

    /// `count` transactions of one idempotency insert and one order update each
    /// (``PizzeriaDatabase/probeStep(consumer:messageId:orderId:now:)``), one after the other.
    public func transactions(count: Int) throws -> ProbeResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pizzeria-probe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try PizzeriaDatabase(path: directory.appendingPathComponent("probe.sqlite").path, durability: durability,
                                            logger: logger)
        let order = NewOrder(customer: Customer(name: "Probe", email: "probe@example.com", phone: "+44 20 7946 0000", address: "1 Probe St"),
                             lines: [OrderLine(pizzaId: "margherita", size: .medium, quantity: 1, unitPriceCents: 950)], notes: nil)
        guard case .created(let receipt) = try database.placeOrder(order, idempotencyKey: nil, requestHash: "probe",
                                                                    trackingURL: { id, _ in id }) else {
            throw ProbeError("could not store the probe's order")
        }
        let cpuBefore = ProcessCPU.seconds()
        let started = ContinuousClock.now
        for index in 0..<count {
            guard try database.probeStep(consumer: "probe", messageId: "probe-\(index)", orderId: receipt.id) else {
                throw ProbeError("message probe-\(index) was already recorded")
            }
        }
        var result = ProbeResult(name: "sqlite tx (processed_messages insert + order update), durability \(durability.rawValue)",
                                 operations: count, elapsed: .now - started)
        result.cpuMicrosecondsPerOperation = (ProcessCPU.seconds() - cpuBefore) * 1e6 / Double(count)
        return result
    }
}
