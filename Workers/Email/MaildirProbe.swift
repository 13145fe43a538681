import Domain
import Foundation

/// The file system's ceiling for the email worker's default output: real confirmation emails
/// written with ``MaildirTransport`` (one new file each) into a maildir of the probe's own, which
/// should sit on the same file system as the maildir the worker uses (beside it, by default). The
/// folder is removed after, unless `keepFiles` is set (`ops/bench` then removes it when it ends).
public struct MaildirProbe: Sendable {
    public let directory: URL
    public let keepFiles: Bool

    public init(directory: URL, keepFiles: Bool = false) {
        self.directory = directory
        self.keepFiles = keepFiles
    }

    /// A new folder beside `maildir`, for a probe of the file system that holds it.
    public static func folder(beside maildir: String) -> URL {
        URL(fileURLWithPath: maildir).deletingLastPathComponent().appendingPathComponent("probe-maildir-\(UUID().uuidString)")
    }

    /// Writes `count` messages one after the other; returns the time it took.
    public func write(count: Int) throws -> Duration {
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
