import Domain
import Foundation

/// The file system's ceiling for the email worker's default output: real confirmation emails
/// written with ``MaildirTransport`` (one new file each) into a fresh maildir inside `parent`, so
/// on the same file system and near the maildir the worker uses. The folder is removed after,
/// unless `keepFiles` is set (`ops/bench` removes it with everything else when it ends).
public struct MaildirProbe: Sendable {
    public let parent: String
    public let keepFiles: Bool

    public init(parent: String, keepFiles: Bool = false) {
        self.parent = parent
        self.keepFiles = keepFiles
    }

    /// Writes `count` messages one after the other; returns the time it took.
    public func write(count: Int) throws -> Duration {
        let directory = URL(fileURLWithPath: parent).appendingPathComponent("probe-maildir-\(UUID().uuidString)")
        defer { if !keepFiles { try? FileManager.default.removeItem(at: directory) } }
        let transport = MaildirTransport(directory: directory.path)
        let line = OrderLine(pizzaId: "margherita", size: .medium, quantity: 2, unitPriceCents: 950)
        let menu = Menu(pizzas: [])
        let composer = EmailComposer(sender: Mailbox(name: "Pizzeria", address: "orders@pizzeria.test"), menu: menu, domain: "pizzeria.test")
        let customer = Customer(name: "Probe", email: "probe@example.com", phone: "+44 20 7946 0000", address: "1 Probe St")
        let started = ContinuousClock.now
        for _ in 0..<count {
            let orderId = OrderID.make()
            let message = composer.compose(.confirmed, orderId: orderId, customer: customer, lines: [line], totalCents: 1900, now: Date())
            try transport.send(message, fileName: "\(orderId).confirmed.eml")
        }
        return .now - started
    }
}
