import Foundation

/// Order requests as a browser sends them: the menu is read once from `GET /api/menu`, then each
/// order takes one to three different pizzas in sizes the menu offers.
struct OrderBodies: Sendable {
    /// `GET /api/menu`, the part an order needs.
    struct MenuBody: Decodable, Sendable {
        struct Pizza: Decodable, Sendable {
            struct Size: Decodable, Sendable { var size: String }
            var id: String
            var sizes: [Size]
        }
        var pizzas: [Pizza]
    }

    /// `POST /api/orders` body (DESIGN.md, "HTTP API").
    private struct Body: Encodable {
        struct Customer: Encodable { var name, email, phone, address: String }
        struct Item: Encodable {
            var pizzaId: String
            var size: String
            var quantity: Int
        }
        var customer: Customer
        var items: [Item]
    }

    let pizzas: [(id: String, sizes: [String])]

    init(menu: MenuBody) {
        pizzas = menu.pizzas.map { ($0.id, $0.sizes.map(\.size)) }.filter { !$0.sizes.isEmpty }
    }

    /// The JSON body of order number `index`.
    func body(index: Int) -> Data {
        let chosen = pizzas.shuffled().prefix(Int.random(in: 1...min(3, pizzas.count)))
        let body = Body(
            customer: .init(name: "Load Test \(index)", email: "load\(index)@example.com", phone: "+44 20 7946 0000",
                            address: "\(index + 1) Benchmark Street, London"),
            items: chosen.map { .init(pizzaId: $0.id, size: $0.sizes.randomElement()!, quantity: Int.random(in: 1...3)) })
        return (try? JSONEncoder().encode(body)) ?? Data()
    }
}
