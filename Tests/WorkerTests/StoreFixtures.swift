import Domain

/// What the store tests share: an order as the web front takes it, and the tracking URL it gets.
enum StoreFixtures {
    /// One medium margherita for Ada, without notes.
    static let order = NewOrder(customer: Customer(name: "Ada", email: "ada@example.com", phone: "+41 79 000 00 00", address: "Bahnhofstrasse 1"),
                                lines: [OrderLine(pizzaId: "margherita", size: .medium, quantity: 1, unitPriceCents: 950)], notes: nil)

    /// A tracking URL of the shape the web front makes.
    @Sendable static func trackingURL(_ id: String, _ token: String) -> String { "http://pizzeria.test/orders/\(id)?token=\(token)" }
}
