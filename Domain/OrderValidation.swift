import Foundation

/// Why an order request was refused. `code` is stable (clients switch on it); `message` is for people.
public struct OrderValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code: `invalid_json`, `missing_field`, `invalid_field`,
    /// `unknown_pizza`, `empty_cart`, `too_many_items`.
    public var code: String
    /// The JSON path of the offending field (`customer.email`, `items[2].quantity`), when there is one.
    public var field: String?
    public var message: String

    public init(code: String, field: String? = nil, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

/// Bounds on what one order may contain. They keep a single request cheap to store and process.
public struct OrderLimits: Sendable {
    public var maxLines = 20
    public var maxQuantityPerLine = 20
    public var maxPizzas = 50
    public var maxNameLength = 100
    public var maxEmailLength = 254
    public var maxPhoneLength = 32
    public var maxAddressLength = 300
    public var maxNotesLength = 500

    public init() {}
    public static let standard = OrderLimits()
}

/// The body of `POST /api/orders`, as the client sent it. Every field is optional here so that a
/// missing one is reported by name instead of as a generic decoding failure.
public struct PlaceOrderRequest: Sendable, Codable, Equatable {
    public struct CustomerInput: Sendable, Codable, Equatable {
        public var name: String?
        public var email: String?
        public var phone: String?
        public var address: String?
        public init(name: String?, email: String?, phone: String?, address: String?) {
            self.name = name; self.email = email; self.phone = phone; self.address = address
        }
    }
    public struct ItemInput: Sendable, Codable, Equatable {
        public var pizzaId: String?
        public var size: String?
        public var quantity: Int?
        public init(pizzaId: String?, size: String?, quantity: Int?) {
            self.pizzaId = pizzaId; self.size = size; self.quantity = quantity
        }
    }
    public var customer: CustomerInput?
    public var items: [ItemInput]?
    public var notes: String?

    public init(customer: CustomerInput?, items: [ItemInput]?, notes: String? = nil) {
        self.customer = customer; self.items = items; self.notes = notes
    }

    /// Decodes a request body, turning every JSON problem into a named validation error.
    public static func decode(_ body: Data) throws(OrderValidationError) -> PlaceOrderRequest {
        do {
            return try JSONDecoder().decode(PlaceOrderRequest.self, from: body)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
               let object = try? JSONSerialization.jsonObject(with: body),
               let field = JSONNumbers.firstNonInteger(in: object, paths: ["items[*].quantity"]) {
                throw OrderValidationError(code: "invalid_field", field: field, message: "\(field) must be a whole number.")
            }
            throw OrderValidationError(decoding: error)
        } catch {
            throw OrderValidationError(code: "invalid_json", message: "The body is not valid JSON.")
        }
    }
}

extension OrderValidationError {
    /// Maps a `DecodingError` to the field it is about.
    init(decoding error: DecodingError) {
        switch error {
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            let field = JSONPath.render(context.codingPath)
            self.init(code: "invalid_field", field: field, message: "\(field) has the wrong type.")
        case let .keyNotFound(key, context):
            let field = JSONPath.render(context.codingPath + [key])
            self.init(code: "missing_field", field: field, message: "\(field) is required.")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self.init(code: "invalid_json", message: "The body is not valid JSON.")
        case .dataCorrupted(let context):
            let field = JSONPath.render(context.codingPath)
            self.init(code: "invalid_field", field: field, message: "\(field) is not valid.")
        @unknown default:
            self.init(code: "invalid_json", message: "The body could not be read.")
        }
    }
}

/// Renders a coding path as `items[1].quantity`.
enum JSONPath {
    static func render(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return out.isEmpty ? "body" : out
    }
}

/// Checks a request against the menu and the limits, and prices it.
public struct OrderValidator: Sendable {
    public var menu: Menu
    public var limits: OrderLimits

    public init(menu: Menu, limits: OrderLimits = .standard) {
        self.menu = menu
        self.limits = limits
    }

    /// Returns the order to store, or the first problem found.
    public func validate(_ request: PlaceOrderRequest) throws(OrderValidationError) -> NewOrder {
        guard let input = request.customer else {
            throw OrderValidationError(code: "missing_field", field: "customer", message: "customer is required.")
        }
        let name = try text(input.name, field: "customer.name", max: limits.maxNameLength)
        let email = try text(input.email, field: "customer.email", max: limits.maxEmailLength)
        guard EmailAddress.isValid(email) else {
            throw OrderValidationError(code: "invalid_field", field: "customer.email",
                                       message: "customer.email is not a valid email address.")
        }
        let phone = try text(input.phone, field: "customer.phone", max: limits.maxPhoneLength)
        guard PhoneNumber.isValid(phone) else {
            throw OrderValidationError(code: "invalid_field", field: "customer.phone",
                                       message: "customer.phone must have 5 to 20 digits (spaces, +, -, parentheses allowed).")
        }
        let address = try text(input.address, field: "customer.address", max: limits.maxAddressLength)
        var notes: String?
        if let raw = request.notes {
            let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.unicodeScalars.contains(where: { $0 != "\n" && $0 != "\t" && TextRules.isLineBreakOrControl($0) }) else {
                throw OrderValidationError(code: "invalid_field", field: "notes", message: "notes must be plain text.")
            }
            guard trimmed.count <= limits.maxNotesLength else {
                throw OrderValidationError(code: "invalid_field", field: "notes",
                                           message: "notes must be at most \(limits.maxNotesLength) characters.")
            }
            notes = trimmed.isEmpty ? nil : trimmed
        }
        let lines = try validateItems(request.items)
        return NewOrder(customer: Customer(name: name, email: email, phone: phone, address: address),
                        lines: lines, notes: notes)
    }

    private func validateItems(_ items: [PlaceOrderRequest.ItemInput]?) throws(OrderValidationError) -> [OrderLine] {
        guard let items else {
            throw OrderValidationError(code: "missing_field", field: "items", message: "items is required.")
        }
        guard !items.isEmpty else {
            throw OrderValidationError(code: "empty_cart", field: "items", message: "The cart is empty.")
        }
        guard items.count <= limits.maxLines else {
            throw OrderValidationError(code: "too_many_items", field: "items",
                                       message: "An order may have at most \(limits.maxLines) lines.")
        }
        var lines: [OrderLine] = []
        var pizzas = 0
        for (index, item) in items.enumerated() {
            let path = "items[\(index)]"
            guard let pizzaID = item.pizzaId else {
                throw OrderValidationError(code: "missing_field", field: "\(path).pizzaId", message: "\(path).pizzaId is required.")
            }
            guard let pizza = menu.pizza(id: pizzaID) else {
                throw OrderValidationError(code: "unknown_pizza", field: "\(path).pizzaId",
                                           message: "There is no pizza \"\(pizzaID.prefix(60))\" on the menu.")
            }
            guard let rawSize = item.size else {
                throw OrderValidationError(code: "missing_field", field: "\(path).size", message: "\(path).size is required.")
            }
            guard let size = PizzaSize(rawValue: rawSize), let price = pizza.prices[size] else {
                let sizes = pizza.sizes.map(\.rawValue).joined(separator: ", ")
                throw OrderValidationError(code: "invalid_field", field: "\(path).size",
                                           message: "\(pizza.name) comes in \(sizes).")
            }
            guard let quantity = item.quantity else {
                throw OrderValidationError(code: "missing_field", field: "\(path).quantity", message: "\(path).quantity is required.")
            }
            guard (1...limits.maxQuantityPerLine).contains(quantity) else {
                throw OrderValidationError(code: "invalid_field", field: "\(path).quantity",
                                           message: "\(path).quantity must be between 1 and \(limits.maxQuantityPerLine).")
            }
            pizzas += quantity
            guard pizzas <= limits.maxPizzas else {
                throw OrderValidationError(code: "too_many_items", field: "items",
                                           message: "An order may have at most \(limits.maxPizzas) pizzas.")
            }
            lines.append(OrderLine(pizzaId: pizza.id, size: size, quantity: quantity, unitPriceCents: price))
        }
        return lines
    }

    /// A required, trimmed, bounded, single-line text field.
    private func text(_ value: String?, field: String, max: Int) throws(OrderValidationError) -> String {
        guard let value else {
            throw OrderValidationError(code: "missing_field", field: field, message: "\(field) is required.")
        }
        let trimmed = Self.trimmed(value)
        guard !trimmed.isEmpty else {
            throw OrderValidationError(code: "invalid_field", field: field, message: "\(field) must not be empty.")
        }
        guard trimmed.count <= max else {
            throw OrderValidationError(code: "invalid_field", field: field, message: "\(field) must be at most \(max) characters.")
        }
        guard !trimmed.unicodeScalars.contains(where: TextRules.isLineBreakOrControl) else {
            throw OrderValidationError(code: "invalid_field", field: field, message: "\(field) must be a single line of text.")
        }
        return trimmed
    }

    /// `value` without leading and trailing whitespace and newlines. When both ends are visible
    /// ASCII, as they nearly always are, there is nothing to trim, and Foundation's
    /// `trimmingCharacters` (1–2 % of the web front's CPU) is skipped.
    static func trimmed(_ value: String) -> String {
        if let first = value.utf8.first, let last = value.utf8.last, isVisibleASCII(first), isVisibleASCII(last) { return value }
        return value.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func isVisibleASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
}

/// A deliberately plain email check: one `@`, a non-empty local part, a dotted domain, no spaces.
public enum EmailAddress {
    public static func isValid(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last else { return false }
        guard !local.isEmpty, local.count <= 64, domain.count >= 3 else { return false }
        guard !address.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," || $0 == ";" }) else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }) else { return false }
        return domain.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }
    }
}

/// A phone number: 5 to 20 digits, with spaces, `+`, `-`, `.` and parentheses allowed around them.
public enum PhoneNumber {
    public static func isValid(_ phone: String) -> Bool {
        let allowed = Set(" +-.()")
        guard phone.allSatisfy({ $0.isASCII && ($0.isNumber || allowed.contains($0)) }) else { return false }
        let digits = phone.filter(\.isNumber).count
        return (5...20).contains(digits)
    }
}

/// Which characters customer text may not contain.
enum TextRules {
    /// Control characters (Unicode category Cc) and the Unicode line and paragraph separators.
    /// Format characters such as zero-width joiners (Cf) are fine: names and emoji need them.
    static func isLineBreakOrControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
