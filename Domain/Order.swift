import Foundation

/// The person an order is for, and where it goes.
public struct Customer: Sendable, Codable, Hashable {
    public var name: String
    public var email: String
    public var phone: String
    public var address: String

    public init(name: String, email: String, phone: String, address: String) {
        self.name = name
        self.email = email
        self.phone = phone
        self.address = address
    }
}

/// One line of an order: a pizza, a size, how many, at what unit price (cents).
public struct OrderLine: Sendable, Codable, Hashable {
    public var pizzaId: String
    public var size: PizzaSize
    public var quantity: Int
    public var unitPriceCents: Int

    public init(pizzaId: String, size: PizzaSize, quantity: Int, unitPriceCents: Int) {
        self.pizzaId = pizzaId
        self.size = size
        self.quantity = quantity
        self.unitPriceCents = unitPriceCents
    }

    /// Quantity × unit price.
    public var totalCents: Int { quantity * unitPriceCents }
}

/// One status an order reached, with its per-order sequence number.
public struct StatusStep: Sendable, Codable, Hashable {
    public var seq: Int
    public var status: OrderStatus
    public var at: Date

    public init(seq: Int, status: OrderStatus, at: Date) {
        self.seq = seq
        self.status = status
        self.at = at
    }
}

/// A new order before it is stored: validated lines, prices from the menu, and its customer.
public struct NewOrder: Sendable, Hashable {
    public var customer: Customer
    public var lines: [OrderLine]
    public var notes: String?

    public init(customer: Customer, lines: [OrderLine], notes: String?) {
        self.customer = customer
        self.lines = lines
        self.notes = notes
    }

    /// The sum of the lines.
    public var totalCents: Int { lines.reduce(0) { $0 + $1.totalCents } }
}
