import Foundation
import Testing
@testable import Domain

/// A menu made for these tests: three pizzas that do not all come in the same sizes.
private let testMenu = Menu(pizzas: [
    Pizza(id: "margherita", name: "Margherita", description: "Tomato, mozzarella, basil", imageName: "m.jpg",
          prices: [.small: 800, .medium: 1100, .large: 1400]),
    Pizza(id: "diavola", name: "Diavola", description: "Spicy salami", imageName: "d.jpg",
          prices: [.medium: 1300, .large: 1600]),
    Pizza(id: "calzone", name: "Calzone", description: "Folded", imageName: "c.jpg",
          prices: [.medium: 1250]),
])

private let validator = OrderValidator(menu: testMenu)

private typealias Request = PlaceOrderRequest
private typealias CustomerInput = PlaceOrderRequest.CustomerInput
private typealias Item = PlaceOrderRequest.ItemInput

private let goodCustomer = CustomerInput(name: "Ada Lovelace", email: "ada@example.com",
                                         phone: "+44 20 7946 0958", address: "12 Analytical Row, London")
private let goodItems = [Item(pizzaId: "margherita", size: "large", quantity: 2),
                         Item(pizzaId: "diavola", size: "medium", quantity: 1)]

private func customer(name: String? = "Ada Lovelace", email: String? = "ada@example.com",
                      phone: String? = "+44 20 7946 0958", address: String? = "12 Analytical Row") -> CustomerInput {
    CustomerInput(name: name, email: email, phone: phone, address: address)
}

private func lines(_ count: Int, quantity: Int = 1) -> [Item] {
    Array(repeating: Item(pizzaId: "margherita", size: "small", quantity: quantity), count: count)
}

/// One refused request and the error it must produce.
struct RefusalCase: Sendable, CustomTestStringConvertible {
    let label: String
    let request: PlaceOrderRequest
    let code: String
    let field: String?
    var testDescription: String { label }
}

private func refused(_ label: String, customer: CustomerInput? = goodCustomer, items: [Item]? = goodItems,
                     notes: String? = nil, code: String, field: String?) -> RefusalCase {
    RefusalCase(label: label, request: Request(customer: customer, items: items, notes: notes), code: code, field: field)
}

private let refusals: [RefusalCase] = [
    refused("no customer", customer: nil, code: "missing_field", field: "customer"),
    refused("no name", customer: customer(name: nil), code: "missing_field", field: "customer.name"),
    refused("blank name", customer: customer(name: "  \n "), code: "invalid_field", field: "customer.name"),
    refused("no email", customer: customer(email: nil), code: "missing_field", field: "customer.email"),
    refused("no phone", customer: customer(phone: nil), code: "missing_field", field: "customer.phone"),
    refused("no address", customer: customer(address: nil), code: "missing_field", field: "customer.address"),
    refused("blank address", customer: customer(address: ""), code: "invalid_field", field: "customer.address"),
    refused("no items", items: nil, code: "missing_field", field: "items"),
    refused("empty cart", items: [], code: "empty_cart", field: "items"),
    refused("21 lines", items: lines(21), code: "too_many_items", field: "items"),
    refused("51 pizzas", items: lines(2, quantity: 20) + lines(1, quantity: 11), code: "too_many_items", field: "items"),
    refused("60 pizzas", items: lines(3, quantity: 20), code: "too_many_items", field: "items"),
    refused("unknown pizza in line 2",
            items: [Item(pizzaId: "margherita", size: "large", quantity: 1), Item(pizzaId: "hawaii", size: "large", quantity: 1)],
            code: "unknown_pizza", field: "items[1].pizzaId"),
    refused("pizza id differs in case", items: [Item(pizzaId: "Margherita", size: "large", quantity: 1)],
            code: "unknown_pizza", field: "items[0].pizzaId"),
    refused("no pizza id", items: [Item(pizzaId: nil, size: "large", quantity: 1)],
            code: "missing_field", field: "items[0].pizzaId"),
    refused("no size", items: [Item(pizzaId: "diavola", size: nil, quantity: 1)],
            code: "missing_field", field: "items[0].size"),
    refused("size not offered", items: [Item(pizzaId: "diavola", size: "small", quantity: 1)],
            code: "invalid_field", field: "items[0].size"),
    refused("size not offered (calzone large)", items: [Item(pizzaId: "calzone", size: "large", quantity: 1)],
            code: "invalid_field", field: "items[0].size"),
    refused("size unknown", items: [Item(pizzaId: "margherita", size: "xl", quantity: 1)],
            code: "invalid_field", field: "items[0].size"),
    refused("no quantity", items: [Item(pizzaId: "margherita", size: "large", quantity: nil)],
            code: "missing_field", field: "items[0].quantity"),
    refused("quantity 0", items: [Item(pizzaId: "margherita", size: "large", quantity: 0)],
            code: "invalid_field", field: "items[0].quantity"),
    refused("quantity 21", items: [Item(pizzaId: "margherita", size: "large", quantity: 21)],
            code: "invalid_field", field: "items[0].quantity"),
    refused("negative quantity", items: [Item(pizzaId: "margherita", size: "large", quantity: -1)],
            code: "invalid_field", field: "items[0].quantity"),
    refused("name 101 characters", customer: customer(name: String(repeating: "n", count: 101)),
            code: "invalid_field", field: "customer.name"),
    refused("notes 501 characters", notes: String(repeating: "x", count: 501), code: "invalid_field", field: "notes"),
    refused("phone too long", customer: customer(phone: String(repeating: "1", count: 33)),
            code: "invalid_field", field: "customer.phone"),
    refused("address too long", customer: customer(address: String(repeating: "a", count: 301)),
            code: "invalid_field", field: "customer.address"),
    refused("email too long", customer: customer(email: String(repeating: "a", count: 64) + "@" + String(repeating: "b", count: 190) + ".com"),
            code: "invalid_field", field: "customer.email"),
]

private func validationError(_ request: PlaceOrderRequest, sourceLocation: SourceLocation = #_sourceLocation) -> OrderValidationError? {
    do {
        let order = try validator.validate(request)
        Issue.record("accepted \(order) instead of refusing it", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

@Suite("Order validation: accepted orders")
struct OrderValidationAcceptTests {
    @Test("a valid request is priced from the menu")
    func validRequest() throws {
        let order = try validator.validate(Request(customer: goodCustomer, items: goodItems, notes: "Ring twice"))
        #expect(order.lines == [
            OrderLine(pizzaId: "margherita", size: .large, quantity: 2, unitPriceCents: 1400),
            OrderLine(pizzaId: "diavola", size: .medium, quantity: 1, unitPriceCents: 1300),
        ])
        #expect(order.totalCents == 4100)
        #expect(order.lines.map(\.totalCents) == [2800, 1300])
        #expect(order.customer == Customer(name: "Ada Lovelace", email: "ada@example.com",
                                           phone: "+44 20 7946 0958", address: "12 Analytical Row, London"))
        #expect(order.notes == "Ring twice")
    }

    @Test("the same pizza in different sizes has different prices")
    func pricesPerSize() throws {
        let order = try validator.validate(Request(customer: goodCustomer, items: [
            Item(pizzaId: "margherita", size: "small", quantity: 3),
            Item(pizzaId: "margherita", size: "medium", quantity: 1),
            Item(pizzaId: "calzone", size: "medium", quantity: 2),
        ]))
        #expect(order.lines.map(\.unitPriceCents) == [800, 1100, 1250])
        #expect(order.totalCents == 3 * 800 + 1100 + 2 * 1250)
    }

    @Test("text fields and notes are trimmed; blank notes become nil")
    func trimming() throws {
        let padded = CustomerInput(name: "  Ada Lovelace \n", email: "\tada@example.com ",
                                   phone: " 12345 ", address: "\n 1 Road  ")
        let order = try validator.validate(Request(customer: padded, items: goodItems, notes: "  no onions \n"))
        #expect(order.customer == Customer(name: "Ada Lovelace", email: "ada@example.com", phone: "12345", address: "1 Road"))
        #expect(order.notes == "no onions")

        #expect(try validator.validate(Request(customer: goodCustomer, items: goodItems, notes: " \n\t ")).notes == nil)
        #expect(try validator.validate(Request(customer: goodCustomer, items: goodItems, notes: nil)).notes == nil)
    }

    @Test("trimming skips Foundation only when there is nothing to trim: same result either way")
    func trimmedLikeFoundation() {
        let ends = ["", " ", "\n", "\t", "\r\n", "\u{00A0}", "\u{2003}", "\u{3000}", "\u{85}", "é", "x", "~", "\u{7F}"]
        for text in awkwardStrings + ["", "a", "Ada Lovelace", "  ", "\u{2028}"] {
            for start in ends {
                for end in ends {
                    let value = start + text + end
                    #expect(OrderValidator.trimmed(value) == value.trimmingCharacters(in: .whitespacesAndNewlines), "\(Array(value.unicodeScalars))")
                }
            }
        }
    }

    @Test("limits are inclusive")
    func boundaries() throws {
        #expect(try validator.validate(Request(customer: goodCustomer, items: lines(20))).lines.count == 20)
        let fifty = lines(2, quantity: 20) + lines(1, quantity: 10)
        #expect(try validator.validate(Request(customer: goodCustomer, items: fifty)).totalCents == 50 * 800)
        let one = [Item(pizzaId: "calzone", size: "medium", quantity: 1)]
        #expect(try validator.validate(Request(customer: goodCustomer, items: one)).totalCents == 1250)
        let max = [Item(pizzaId: "calzone", size: "medium", quantity: 20)]
        #expect(try validator.validate(Request(customer: goodCustomer, items: max)).totalCents == 25_000)
        let name = String(repeating: "n", count: 100)
        #expect(try validator.validate(Request(customer: customer(name: name), items: goodItems)).customer.name == name)
        let notes = String(repeating: "x", count: 500)
        #expect(try validator.validate(Request(customer: goodCustomer, items: goodItems, notes: notes)).notes == notes)
    }

    @Test("notes may span several lines")
    func multiLineNotes() throws {
        let order = try validator.validate(Request(customer: goodCustomer, items: goodItems, notes: "Gate code 1234\nThird floor"))
        #expect(order.notes == "Gate code 1234\nThird floor")
    }

    @Test("custom limits are honoured")
    func customLimits() {
        var limits = OrderLimits()
        limits.maxLines = 1
        let strict = OrderValidator(menu: testMenu, limits: limits)
        #expect(throws: OrderValidationError.self) { try strict.validate(Request(customer: goodCustomer, items: goodItems)) }
        #expect(throws: Never.self) { try validator.validate(Request(customer: goodCustomer, items: goodItems)) }
    }
}

@Suite("Order validation: refused orders")
struct OrderValidationRefuseTests {
    @Test("each problem has its code and field", arguments: refusals)
    func refusal(_ row: RefusalCase) {
        let error = validationError(row.request)
        #expect(error?.code == row.code)
        #expect(error?.field == row.field)
        #expect(error?.message.isEmpty == false)
        if let field = row.field, row.code == "missing_field" {
            #expect(error?.message == "\(field) is required.")
        }
        #expect(error?.description.hasPrefix("\(row.code): ") == true)
    }

    @Test("an unknown pizza is named in the message")
    func unknownPizzaMessage() {
        let error = validationError(Request(customer: goodCustomer, items: [Item(pizzaId: "hawaii", size: "large", quantity: 1)]))
        #expect(error?.message.contains("hawaii") == true)
    }

    @Test("a size not offered lists the sizes that are")
    func sizeMessage() {
        let error = validationError(Request(customer: goodCustomer, items: [Item(pizzaId: "diavola", size: "small", quantity: 1)]))
        #expect(error?.message == "Diavola comes in medium, large.")
    }

    @Test("control characters make a text field invalid", arguments: [
        "Ada\nLovelace", "Ada\rLovelace", "Ada\tLovelace", "Ada\u{0}", "Ada\u{7F}", "\u{1B}[31mAda", "Ada\u{85}Lovelace",
    ])
    func controlCharactersInName(_ name: String) {
        let error = validationError(Request(customer: customer(name: name), items: goodItems))
        #expect(error?.code == "invalid_field")
        #expect(error?.field == "customer.name")
    }

    @Test("a newline inside the address is refused too")
    func newlineInAddress() {
        let error = validationError(Request(customer: customer(address: "1 Road\nLondon"), items: goodItems))
        #expect(error?.field == "customer.address")
    }

    @Test("names with accents, apostrophes and non-Latin scripts are fine",
          arguments: ["Zoë O'Brien-Smith", "José Álvarez", "王小明", "Ngũgĩ wa Thiong'o"])
    func internationalNames(_ name: String) throws {
        #expect(try validator.validate(Request(customer: customer(name: name), items: goodItems)).customer.name == name)
    }

    @Test("names that need zero-width joiners are fine", arguments: ["Ali\u{200C}reza", "Chef 👩‍🍳"])
    func joinerInName(_ name: String) throws {
        // U+200C/U+200D are format characters (Unicode category Cf), which CharacterSet.controlCharacters
        // includes; they are ordinary parts of Persian/Indic names and emoji, so the check uses Cc only.
        let order = try validator.validate(Request(customer: customer(name: name), items: goodItems))
        #expect(order.customer.name == name)
    }

    @Test("bad emails are refused by the validator", arguments: ["ada.example.com", "a@b@example.com", "ada@example"])
    func badEmailThroughValidator(_ email: String) {
        let error = validationError(Request(customer: customer(email: email), items: goodItems))
        #expect(error?.code == "invalid_field")
        #expect(error?.field == "customer.email")
    }

    @Test("bad phones are refused by the validator", arguments: ["1234", "call me", "555-CALL-NOW"])
    func badPhoneThroughValidator(_ phone: String) {
        let error = validationError(Request(customer: customer(phone: phone), items: goodItems))
        #expect(error?.code == "invalid_field")
        #expect(error?.field == "customer.phone")
    }
}

@Suite("Email and phone checks")
struct ContactCheckTests {
    @Test("plausible addresses are valid", arguments: [
        "ada@example.com", "a.b+c@sub.example.co.uk", "x@y.io", "first_last@my-domain.org", "user123@123.example.net",
    ])
    func goodEmail(_ email: String) {
        #expect(EmailAddress.isValid(email))
    }

    @Test("implausible addresses are invalid", arguments: [
        "", "ada.example.com", "a@b@example.com", "ada@example", "ada@exa mple.com", "ada lovelace@example.com",
        " ada@example.com", "a@b", "<x>@y.com", "ada@example.com>", "@example.com", "ada@", "ada@.com",
        "ada@example..com", "ada@-example.com", "ada@example-.com", "ada@exam_ple.com", "a,b@example.com",
        "a;b@example.com", String(repeating: "a", count: 65) + "@example.com",
    ])
    func badEmail(_ email: String) {
        #expect(!EmailAddress.isValid(email))
    }

    @Test("plausible phones are valid", arguments: [
        "12345", "+44 20 7946 0958", "(555) 123-4567", "555.123.4567", "+1-202-555-0143", "12345678901234567890",
    ])
    func goodPhone(_ phone: String) {
        #expect(PhoneNumber.isValid(phone))
    }

    @Test("implausible phones are invalid", arguments: [
        "", "1234", "123456789012345678901", "12ab45", "call me", "+44 20 7946 0958 ext 5", "１２３４５", "12345#", "+++",
    ])
    func badPhone(_ phone: String) {
        #expect(!PhoneNumber.isValid(phone))
    }
}

@Suite("Order request decoding")
struct PlaceOrderRequestDecodingTests {
    private func decodeError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> OrderValidationError? {
        do {
            let request = try PlaceOrderRequest.decode(Data(text.utf8))
            Issue.record("decoded \(request) instead of failing", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    @Test("a full body decodes, ignoring unknown fields")
    func fullBody() throws {
        let text = #"""
        {"customer":{"name":"Ada","email":"ada@example.com","phone":"12345","address":"1 Road","vip":true},
         "items":[{"pizzaId":"diavola","size":"large","quantity":2,"topping":"olives"}],
         "notes":"ring","coupon":"FREE"}
        """#
        let request = try PlaceOrderRequest.decode(Data(text.utf8))
        #expect(request == Request(customer: CustomerInput(name: "Ada", email: "ada@example.com", phone: "12345", address: "1 Road"),
                                   items: [Item(pizzaId: "diavola", size: "large", quantity: 2)], notes: "ring"))
        #expect(try validator.validate(request).totalCents == 3200)
    }

    @Test("an empty object decodes; validation then names the first missing field")
    func emptyObject() throws {
        let request = try PlaceOrderRequest.decode(Data("{}".utf8))
        #expect(request == Request(customer: nil, items: nil))
        #expect(validationError(request)?.field == "customer")
    }

    @Test("non-JSON is invalid_json", arguments: ["", "not json", "{", #"{"items": [}"#])
    func notJSON(_ text: String) {
        let error = decodeError(text)
        #expect(error?.code == "invalid_json")
        #expect(error?.field == nil)
    }

    @Test("items given as a string")
    func itemsWrongType() {
        let error = decodeError(#"{"items":"x"}"#)
        #expect(error?.code == "invalid_field")
        #expect(error?.field == "items")
        #expect(error?.message.contains("items") == true)
    }

    @Test("a quantity given as a string")
    func quantityAsString() {
        let error = decodeError(#"{"items":[{"pizzaId":"margherita","size":"large","quantity":"2"}]}"#)
        #expect(error?.code == "invalid_field")
        #expect(error?.field == "items[0].quantity")
    }

    @Test("a fractional or huge quantity is an invalid field, not invalid JSON",
          arguments: [#"{"items":[{"quantity":1.5}]}"#, #"{"items":[{"quantity":1e30}]}"#])
    func fractionalQuantity(_ text: String) {
        // Foundation reports a number that does not fit Int as dataCorrupted with an empty coding
        // path; the body is valid JSON, so the error must name the field instead of "invalid JSON".
        let error = decodeError(text)
        #expect(error?.code == "invalid_field")
        #expect(error?.field == "items[0].quantity")
    }

    @Test("a wrong type deeper in the body names its path", arguments: [
        (#"{"customer":{"name":5}}"#, "customer.name"),
        (#"{"customer":"Ada"}"#, "customer"),
        (#"{"items":[{"pizzaId":"m","size":"large","quantity":1},{"pizzaId":7}]}"#, "items[1].pizzaId"),
        (#"{"items":[{"quantity":true}]}"#, "items[0].quantity"),
        (#"{"notes":["a"]}"#, "notes"),
    ])
    func wrongTypeDeeper(_ text: String, _ field: String) {
        let error = decodeError(text)
        #expect(error?.code == "invalid_field")
        #expect(error?.field == field)
    }
}
