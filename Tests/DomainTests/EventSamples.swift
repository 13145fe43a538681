import Foundation
import Domain

// Sample events shared by the encoder and fast-decoder tests, so that both test the same shapes.

/// The time every sample event occurred at (unless a test gives another).
let sampleOccurred = Timestamp.date(millis: 1_763_893_260_125)

/// One line of each size, with awkward ids and extreme quantities and prices.
let sampleLines = [
    OrderLine(pizzaId: "margherita", size: .small, quantity: 1, unitPriceCents: 900),
    OrderLine(pizzaId: "diavola", size: .medium, quantity: 3, unitPriceCents: 1300),
    OrderLine(pizzaId: "quattro-formaggi", size: .large, quantity: 1000, unitPriceCents: 10_000_000),
    OrderLine(pizzaId: "free/\"üñí\"", size: .large, quantity: 2, unitPriceCents: 0),
]

/// An `OrderPlaced`; `total` defaults to the sum of the items.
func samplePlaced(name: String = "Ada Lovelace", email: String = "ada@example.com", phone: String = "+44 20 7946 0958",
                  address: String = "12 Analytical Row, London", items: [OrderLine] = sampleLines,
                  total: Int? = nil, notes: String? = "Ring twice", tokenHash: String? = String(repeating: "ab", count: 32),
                  eventId: String = "7f1c2a8e-0000-4000-8000-000000000001", at: Date = sampleOccurred) -> OrderEvent {
    .placed(OrderPlaced(eventId: eventId, orderId: "order-42", occurredAt: at,
                        customer: Customer(name: name, email: email, phone: phone, address: address),
                        items: items, totalCents: total ?? items.reduce(0) { $0 + $1.totalCents }, notes: notes,
                        trackingTokenHash: tokenHash))
}

/// An `OrderStatusChanged` to `status`.
func sampleChanged(_ status: OrderStatus, seq: Int = 5, at: Date = sampleOccurred) -> OrderEvent {
    .statusChanged(OrderStatusChanged(eventId: "e-\(status.rawValue)", orderId: "POS_2025-11-23_0042", seq: seq,
                                      occurredAt: at, status: status))
}

/// Strings that need escaping, or look as if they might.
let awkwardStrings = [
    "Zoë Ångström-Ñúñez", "say \"hi\"", #"back\slash \\ double"#, "line\nbreak\r\ncrlf\ttab",
    "\u{0}\u{1}\u{8}\u{b}\u{c}\u{1f}\u{7f}", "</script><script>alert(1)</script>", "a/b//c", "/",
    "emoji 🍕👩‍🍳", "\u{2028}\u{2029}\u{feff}", "", "\\u0041 is not an escape", "{\"seq\":9}",
    "e\u{301} (decomposed) é (composed)", "\u{10FFFF}\u{FFFE}",
]

/// Valid events of every shape (they decode again): optional fields present and absent, awkward
/// strings in every free-text field, every status, extreme sizes.
let sampleValidEvents: [OrderEvent] = [
    samplePlaced(),
    samplePlaced(notes: nil, tokenHash: nil),
    samplePlaced(notes: nil),
    samplePlaced(tokenHash: nil),
    samplePlaced(items: [sampleLines[0]]),
    samplePlaced(items: Array(repeating: sampleLines[1], count: 100)),
    samplePlaced(notes: awkwardStrings.joined(separator: "|")),
    samplePlaced(at: Timestamp.date(millis: 1_763_893_260_123)),
    samplePlaced(at: Timestamp.date(millis: 0)),
] + awkwardStrings.map { text in
    samplePlaced(name: text, phone: text, address: text, notes: text, tokenHash: text, eventId: "id " + text + ".")
} + OrderStatus.allCases.filter { $0 != .placed }.map { sampleChanged($0) } + [sampleChanged(.baking, seq: 2), sampleChanged(.ready, seq: Int.max)]
