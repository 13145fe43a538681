import Domain
import GRDB

extension PizzeriaDatabase {
    /// The menu, in display order.
    public func menu() throws -> Menu {
        try pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT p.id, p.name, p.description, p.image, pp.size, pp.price_cents
                FROM pizzas p JOIN pizza_prices pp ON pp.pizza_id = p.id
                ORDER BY p.position, p.id
                """)
            var pizzas: [Pizza] = []
            for row in rows {
                let id: String = row["id"]
                guard let size = PizzaSize(rawValue: row["size"]) else { continue }
                if pizzas.last?.id != id {
                    pizzas.append(Pizza(id: id, name: row["name"], description: row["description"], imageName: row["image"], prices: [:]))
                }
                pizzas[pizzas.count - 1].prices[size] = row["price_cents"]
            }
            return Menu(pizzas: pizzas)
        }
    }
}
