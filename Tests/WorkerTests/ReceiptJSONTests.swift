import Foundation
import Infrastructure
import Testing

/// The `201` body of `POST /api/orders` and the response stored with an `Idempotency-Key` are
/// written by hand: a client must get the very bytes `JSONEncoder` gave it before.
@Suite("Order receipt JSON")
struct ReceiptJSONTests {
    private static func encoderBytes(_ receipt: OrderReceipt) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(receipt), as: UTF8.self)
    }

    @Test("A receipt is spelled as JSONEncoder with sorted keys spells it, and reads back the same",
          arguments: [
              OrderReceipt(id: "01938f2e-7b1c-7a42-9d3e-0c5b2a1f4e6d", trackingToken: "q0Kf9_x-Zt3mWv8LrY2bNc4", status: .placed,
                           totalCents: 2350, trackingUrl: "http://127.0.0.1:8080/track/01938f2e?token=q0Kf9_x-Zt3mWv8LrY2bNc4"),
              OrderReceipt(id: "quote\"back\\slash/", trackingToken: "tab\tnew\nline\u{01}", status: .delivered,
                           totalCents: 0, trackingUrl: "https://pizza.example/é/🍕?a=1&b=<2>"),
              OrderReceipt(id: "", trackingToken: "", status: .outForDelivery, totalCents: -7, trackingUrl: ""),
          ])
    func matchesEncoder(_ receipt: OrderReceipt) throws {
        #expect(receipt.json == (try Self.encoderBytes(receipt)))
        #expect(try JSONDecoder().decode(OrderReceipt.self, from: Data(receipt.json.utf8)) == receipt)
    }
}
