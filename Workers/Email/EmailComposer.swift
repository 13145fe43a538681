import Domain
import Foundation

/// What the customer reads at each step. Plain text; no tracking token (only the customer's
/// browser ever holds it).
public struct EmailComposer: Sendable {
    public var sender: Mailbox
    public var menu: Menu
    /// The domain used in Message-IDs.
    public var domain: String

    public init(sender: Mailbox, menu: Menu, domain: String) {
        self.sender = sender
        self.menu = menu
        self.domain = domain
    }

    /// The email of `kind` for an order, dated `now`.
    public func compose(_ kind: EmailKind, orderId: String, customer: Customer, lines: [OrderLine], totalCents: Int,
                        now: Date) -> EmailMessage {
        let number = OrderNumber.short(orderId)
        let subject: String
        var text: String
        switch kind {
        case .confirmed:
            subject = "Your Pizzeria order #\(number) is confirmed"
            text = "Hello \(customer.name),\n\nThank you for your order. The kitchen has it.\n\n"
            text += summary(lines: lines, totalCents: totalCents)
            text += "\nDelivery to:\n\(customer.address)\n"
        case .outForDelivery:
            subject = "Order #\(number) is on its way"
            text = "Hello \(customer.name),\n\nYour pizza has left the kitchen and a courier is bringing it to:\n\(customer.address)\n"
        case .delivered:
            subject = "Order #\(number) was delivered"
            text = "Hello \(customer.name),\n\nYour order was delivered. Enjoy your meal!\n"
        case .cancelled:
            subject = "Order #\(number) was cancelled"
            text = "Hello \(customer.name),\n\nYour order was cancelled. You have not been charged.\n"
        }
        text += "\n-- \nPizzeria\n"
        return EmailMessage(from: sender, to: Mailbox(name: customer.name, address: customer.email), subject: subject,
                            body: text, messageId: "\(orderId).\(kind.rawValue)@\(domain)", date: now)
    }

    private func summary(lines: [OrderLine], totalCents: Int) -> String {
        var out = ""
        for line in lines {
            let name = menu.pizza(id: line.pizzaId)?.name ?? line.pizzaId
            out += "  \(line.quantity) x \(name) (\(line.size.rawValue))  \(Money.format(line.totalCents))\n"
        }
        out += "  Total: \(Money.format(totalCents))\n"
        return out
    }
}
