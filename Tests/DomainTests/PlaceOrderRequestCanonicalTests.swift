import Domain
import Foundation
import Testing

/// The fingerprint's input must stay what `JSONEncoder` wrote, or stored idempotency records
/// would stop matching their retries.
@Suite("Order request: canonical JSON")
struct PlaceOrderRequestCanonicalTests {
    private static let requests: [PlaceOrderRequest] = {
        let full = PlaceOrderRequest(customer: .init(name: "Ada Lovelace", email: "ada@example.com", phone: "+44 20 7946 0000", address: "12 Analytical St"),
                                     items: [.init(pizzaId: "margherita", size: "medium", quantity: 2), .init(pizzaId: "diavola", size: "large", quantity: 1)],
                                     notes: "Ring twice")
        var partial: [PlaceOrderRequest] = [
            PlaceOrderRequest(customer: nil, items: nil),
            PlaceOrderRequest(customer: .init(name: nil, email: nil, phone: nil, address: nil), items: []),
            PlaceOrderRequest(customer: .init(name: "A", email: nil, phone: "1", address: nil), items: [.init(pizzaId: nil, size: nil, quantity: nil)]),
            PlaceOrderRequest(customer: nil, items: [.init(pizzaId: "x", size: nil, quantity: Int.min), .init(pizzaId: nil, size: "small", quantity: Int.max)],
                              notes: ""),
            full,
        ]
        partial += awkwardStrings.map { text in
            PlaceOrderRequest(customer: .init(name: text, email: text, phone: text, address: text),
                              items: [.init(pizzaId: text, size: text, quantity: 0)], notes: text)
        }
        return partial
    }()

    @Test("byte-equal to JSONEncoder with sorted keys", arguments: requests)
    func sameBytes(_ request: PlaceOrderRequest) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let expected = [UInt8](try encoder.encode(request))
        #expect(request.canonicalJSON == expected, "\(String(decoding: request.canonicalJSON, as: UTF8.self))")
    }
}
