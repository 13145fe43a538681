import Domain
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

    let pizzas: [(id: String, sizes: [String])]

    init(menu: MenuBody) {
        pizzas = menu.pizzas.map { ($0.id, $0.sizes.map(\.size)) }.filter { !$0.sizes.isEmpty }
    }

    /// The JSON body of order number `index` (DESIGN.md, "HTTP API"), written directly rather than
    /// with `JSONEncoder` (6 % of the load generator's CPU when it made them during the run).
    func body(index: Int) -> Data {
        let chosen = pizzas.shuffled().prefix(Int.random(in: 1...min(3, pizzas.count)))
        let items = chosen.map { pizza in
            #"{"pizzaId":\#(JSONText.quoted(pizza.id)),"size":\#(JSONText.quoted(pizza.sizes.randomElement()!)),"quantity":\#(Int.random(in: 1...3))}"#
        }
        let customer = #"{"name":"Load Test \#(index)","email":"load\#(index)@example.com","phone":"+44 20 7946 0000","address":"\#(index + 1) Benchmark Street, London"}"#
        return Data(#"{"customer":\#(customer),"items":[\#(items.joined(separator: ","))]}"#.utf8)
    }
}
