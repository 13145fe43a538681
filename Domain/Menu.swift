/// A pizza size. The raw values are the wire and database spelling.
public enum PizzaSize: String, Sendable, Codable, CaseIterable, Hashable {
    case small, medium, large
}

/// One pizza on the menu, with a price per size (in cents).
public struct Pizza: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    public var name: String
    public var description: String
    public var imageName: String
    public var prices: [PizzaSize: Int]

    public init(id: String, name: String, description: String, imageName: String, prices: [PizzaSize: Int]) {
        self.id = id
        self.name = name
        self.description = description
        self.imageName = imageName
        self.prices = prices
    }

    /// The sizes this pizza comes in, smallest first.
    public var sizes: [PizzaSize] { PizzaSize.allCases.filter { prices[$0] != nil } }
}

/// The menu: the pizzas a customer can order, looked up by id.
public struct Menu: Sendable, Hashable {
    public let pizzas: [Pizza]
    private let byID: [String: Pizza]

    public init(pizzas: [Pizza]) {
        self.pizzas = pizzas
        self.byID = Dictionary(pizzas.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The pizza with this id, if it is on the menu.
    public func pizza(id: String) -> Pizza? { byID[id] }

    /// The unit price of a pizza in a size, or `nil` when either is not on the menu.
    public func price(pizzaID: String, size: PizzaSize) -> Int? { byID[pizzaID]?.prices[size] }
}
