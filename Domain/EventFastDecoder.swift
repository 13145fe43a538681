import Foundation

/// The fast path of ``EventCodec/decode(_:schema:)``: reads a well-formed event body straight from
/// its UTF-8 bytes, without `JSONDecoder`'s generic containers (it was 4–6 % of a worker's CPU).
///
/// It reads only the happy shape and answers nil for anything else, so that the `JSONDecoder`
/// path decides those bodies and names their error: JSON that is malformed or not strictly
/// RFC 8259 (trailing commas, leading zeros, raw control characters, invalid UTF-8, lone
/// surrogates, anything after the object), nesting deeper than ``JSONByteReader/maxDepth``, a
/// missing, null, repeated or mistyped field, a number that is not a plain integer literal within
/// `Int` (`2.0` and `2e0` too, though `JSONDecoder` reads them as 2), an unknown event type, status
/// or size, a timestamp ``Timestamp/parse(_:)`` refuses, and a key that is not ASCII in an object
/// it decodes. It never throws and never traps, whatever the bytes. What it accepts, it decodes as
/// `JSONDecoder` does; `EventFastDecoderTests` compares the two on valid, invalid and mutated bodies.
enum EventFastDecoder {
    /// The event in `body`, or nil when the body is not exactly the happy shape. The business rules
    /// (``EventCodec/check(_:)``) are the caller's.
    static func event(from body: Data) -> OrderEvent? {
        body.withUnsafeBytes { raw in
            raw.withMemoryRebound(to: UInt8.self) { bytes in
                var reader = JSONByteReader(bytes)
                guard let fields = TopFields.read(from: &reader), reader.isAtEnd() else { return nil }
                return fields.event()
            }
        }
    }

    /// The order lines in `json` (the `items_json` column), or nil when it is not exactly a JSON
    /// array of well-formed lines.
    static func lines(from json: String) -> [OrderLine]? {
        var json = json
        return json.withUTF8 { bytes in
            var reader = JSONByteReader(bytes)
            guard let lines = reader.readLines(), reader.isAtEnd() else { return nil }
            return lines
        }
    }
}

/// A member of an object being read, which may appear once. `JSONDecoder` keeps the first of
/// repeated keys; a repeat of a known key makes the fast path give up instead.
struct Once<Value> {
    /// The member's value; nil while absent. (For an optional `Value`, a JSON `null` is `.some(nil)`.)
    private(set) var value: Value?

    /// Records the member's value. False when the member was already there, or when `newValue` is
    /// nil because reading it failed.
    mutating func set(_ newValue: Value?) -> Bool {
        guard value == nil, let newValue else { return false }
        value = newValue
        return true
    }
}

/// The members of the top-level object that either event type reads. A member the event's type
/// does not read (`status` in an `OrderPlaced`, `items` in a status change) must still have the
/// expected shape: `JSONDecoder` would ignore it, the fast path gives up.
private struct TopFields {
    var type = Once<String>()
    var eventId = Once<String>()
    var orderId = Once<String>()
    var seq = Once<Int>()
    var occurredAt = Once<String>()
    var customer = Once<Customer>()
    var items = Once<[OrderLine]>()
    var totalCents = Once<Int>()
    var notes = Once<String?>()
    var trackingTokenHash = Once<String?>()
    var status = Once<String>()

    /// Reads the top-level object; other members are skipped.
    static func read(from reader: inout JSONByteReader) -> TopFields? {
        var fields = TopFields()
        let read = reader.readObject { reader, key in
            switch key {
            case "type": fields.type.set(reader.readString())
            case "eventId": fields.eventId.set(reader.readString())
            case "orderId": fields.orderId.set(reader.readString())
            case "seq": fields.seq.set(reader.readInt())
            case "occurredAt": fields.occurredAt.set(reader.readString())
            case "customer": fields.customer.set(CustomerFields.read(from: &reader))
            case "items": fields.items.set(reader.readLines())
            case "totalCents": fields.totalCents.set(reader.readInt())
            case "notes": fields.notes.set(reader.readOptionalString())
            case "trackingTokenHash": fields.trackingTokenHash.set(reader.readOptionalString())
            case "status": fields.status.set(reader.readString())
            default: reader.skipValue()
            }
        }
        return read ? fields : nil
    }

    /// The event these members make, as the synthesized `Decodable` conformances build it; nil
    /// when a member its type requires is missing or has an unknown value.
    func event() -> OrderEvent? {
        guard let name = type.value, let eventType = EventType(rawValue: name),
              let eventId = eventId.value, let orderId = orderId.value, let seq = seq.value,
              let text = occurredAt.value, let occurredAt = Timestamp.parse(text)
        else { return nil }
        switch eventType {
        case .orderPlaced:
            guard let customer = customer.value, let items = items.value, let totalCents = totalCents.value else { return nil }
            var placed = OrderPlaced(eventId: eventId, orderId: orderId, occurredAt: occurredAt, customer: customer,
                                     items: items, totalCents: totalCents, notes: notes.value ?? nil,
                                     trackingTokenHash: trackingTokenHash.value ?? nil)
            placed.seq = seq // read from the body, as JSONDecoder does; EventCodec.check wants 1
            return .placed(placed)
        case .orderStatusChanged:
            guard let name = status.value, let status = OrderStatus(rawValue: name) else { return nil }
            return .statusChanged(OrderStatusChanged(eventId: eventId, orderId: orderId, seq: seq,
                                                     occurredAt: occurredAt, status: status))
        }
    }
}

/// The members of `customer`.
private struct CustomerFields {
    var name = Once<String>()
    var email = Once<String>()
    var phone = Once<String>()
    var address = Once<String>()

    /// Reads a customer object; nil unless it has all four strings.
    static func read(from reader: inout JSONByteReader) -> Customer? {
        var fields = CustomerFields()
        let read = reader.readObject { reader, key in
            switch key {
            case "name": fields.name.set(reader.readString())
            case "email": fields.email.set(reader.readString())
            case "phone": fields.phone.set(reader.readString())
            case "address": fields.address.set(reader.readString())
            default: reader.skipValue()
            }
        }
        guard read, let name = fields.name.value, let email = fields.email.value, let phone = fields.phone.value,
              let address = fields.address.value
        else { return nil }
        return Customer(name: name, email: email, phone: phone, address: address)
    }
}

/// The members of one element of `items`.
private struct LineFields {
    var pizzaId = Once<String>()
    var size = Once<PizzaSize>()
    var quantity = Once<Int>()
    var unitPriceCents = Once<Int>()

    /// Reads an order line object; nil unless it has all four members, with a known size.
    static func read(from reader: inout JSONByteReader) -> OrderLine? {
        var fields = LineFields()
        let read = reader.readObject { reader, key in
            switch key {
            case "pizzaId": fields.pizzaId.set(reader.readString())
            case "size": fields.size.set(reader.readString().flatMap(PizzaSize.init(rawValue:)))
            case "quantity": fields.quantity.set(reader.readInt())
            case "unitPriceCents": fields.unitPriceCents.set(reader.readInt())
            default: reader.skipValue()
            }
        }
        guard read, let pizzaId = fields.pizzaId.value, let size = fields.size.value,
              let quantity = fields.quantity.value, let unitPriceCents = fields.unitPriceCents.value
        else { return nil }
        return OrderLine(pizzaId: pizzaId, size: size, quantity: quantity, unitPriceCents: unitPriceCents)
    }
}

extension JSONByteReader {
    /// Reads the `items` array.
    fileprivate mutating func readLines() -> [OrderLine]? {
        var lines: [OrderLine] = []
        let read = readArray { reader in
            guard let line = LineFields.read(from: &reader) else { return false }
            lines.append(line)
            return true
        }
        return read ? lines : nil
    }
}

/// A cursor over the UTF-8 bytes of one JSON document that reads strictly by RFC 8259. Every read
/// skips the whitespace before its value and answers nil or false at the first unexpected byte,
/// leaving the cursor anywhere: a failed read ends the whole document. It never traps.
struct JSONByteReader {
    /// How deeply objects and arrays may nest (the top-level object is depth 1). Event bodies
    /// nest three deep; a deeper unknown member sends the body to the fallback.
    static let maxDepth = 32

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var depth = 0

    /// A reader at the start of `bytes`, which must stay valid while it reads.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// True when only whitespace is left.
    mutating func isAtEnd() -> Bool {
        skipWhitespace()
        return position == bytes.count
    }

    /// Reads an object, calling `member` with each key; `member` reads the value and says whether
    /// that went well. A key that is not ASCII fails the read (see ``readMember(_:)``).
    mutating func readObject(_ member: (inout JSONByteReader, JSONKey) -> Bool) -> Bool {
        guard enter(Byte.openBrace) else { return false }
        if !acceptToken(Byte.closeBrace) {
            repeat {
                guard readMember(member) else { return false }
            } while acceptToken(Byte.comma)
            guard acceptToken(Byte.closeBrace) else { return false }
        }
        depth -= 1
        return true
    }

    /// Reads an array, calling `element` to read each element.
    mutating func readArray(_ element: (inout JSONByteReader) -> Bool) -> Bool {
        guard enter(Byte.openBracket) else { return false }
        if !acceptToken(Byte.closeBracket) {
            repeat {
                guard element(&self) else { return false }
            } while acceptToken(Byte.comma)
            guard acceptToken(Byte.closeBracket) else { return false }
        }
        depth -= 1
        return true
    }

    /// Reads a string, escapes decoded; nil unless it is valid UTF-8 with valid escapes.
    mutating func readString() -> String? {
        guard acceptToken(Byte.quote) else { return nil }
        let start = position
        var allASCII = true
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case Byte.quote:
                let run = UnsafeBufferPointer(rebasing: bytes[start..<position])
                position += 1
                guard allASCII || UTF8Check.isValid(run) else { return nil }
                return String(decoding: run, as: UTF8.self)
            case Byte.backslash:
                return readEscapedString(from: start)
            case ..<0x20:
                return nil
            default:
                allASCII = allASCII && byte < 0x80
                position += 1
            }
        }
        return nil
    }

    /// Reads a string or `null` (`.some(nil)`), as `decodeIfPresent` takes either; nil for anything else.
    mutating func readOptionalString() -> String?? {
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "n") {
            return accept("null") ? .some(nil) : nil
        }
        return readString().map { .some($0) }
    }

    /// Reads a plain integer literal (`-?(0|[1-9][0-9]*)`) that fits an `Int`; nil for anything else,
    /// a fraction or an exponent included.
    mutating func readInt() -> Int? {
        skipWhitespace()
        let negative = accept(Byte.minus)
        guard position < bytes.count, Byte.isDigit(bytes[position]) else { return nil }
        var value = 0
        if bytes[position] == Byte.zero {
            position += 1
        } else {
            while position < bytes.count, Byte.isDigit(bytes[position]) {
                let digit = Int(bytes[position] - Byte.zero)
                let (shifted, overflowOnShift) = value.multipliedReportingOverflow(by: 10)
                // Built on the negative side for a negative number, so that Int.min fits.
                let (next, overflowOnDigit) = negative ? shifted.subtractingReportingOverflow(digit)
                                                       : shifted.addingReportingOverflow(digit)
                guard !overflowOnShift, !overflowOnDigit else { return nil }
                value = next
                position += 1
            }
        }
        if position < bytes.count, Byte.continuesNumber(bytes[position]) { return nil }
        return value
    }

    /// Skips one value of any type, checking that it is well formed.
    mutating func skipValue() -> Bool {
        skipWhitespace()
        guard position < bytes.count else { return false }
        switch bytes[position] {
        case Byte.quote: return readString() != nil
        case Byte.openBrace: return readObject { reader, _ in reader.skipValue() }
        case Byte.openBracket: return readArray { reader in reader.skipValue() }
        case UInt8(ascii: "t"): return accept("true")
        case UInt8(ascii: "f"): return accept("false")
        case UInt8(ascii: "n"): return accept("null")
        default: return skipNumber()
        }
    }

    // MARK: - Pieces

    /// Reads one member of an object: its key, the colon, then its value through `member`.
    ///
    /// A key that is not ASCII fails the read: `JSONDecoder` matches keys by Unicode canonical
    /// equivalence (the Kelvin sign `\u{212A}` matches `K`), so such a key might be a known member
    /// under another spelling. A plain ASCII key is handed over in place; one with escapes, decoded.
    private mutating func readMember(_ member: (inout JSONByteReader, JSONKey) -> Bool) -> Bool {
        skipWhitespace()
        let start = position + 1
        var end = start
        while end < bytes.count, JSONKey.isPlain(bytes[end]) { end += 1 }
        if position < bytes.count, bytes[position] == Byte.quote, end < bytes.count, bytes[end] == Byte.quote {
            position = end + 1
            return acceptToken(Byte.colon) && member(&self, JSONKey(UnsafeBufferPointer(rebasing: bytes[start..<end])))
        }
        guard var key = readString(), key.utf8.allSatisfy({ $0 < 0x80 }), acceptToken(Byte.colon) else { return false }
        return key.withUTF8 { member(&self, JSONKey($0)) }
    }

    /// Skips a number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    private mutating func skipNumber() -> Bool {
        _ = accept(Byte.minus)
        guard position < bytes.count, Byte.isDigit(bytes[position]) else { return false }
        if bytes[position] == Byte.zero {
            position += 1
        } else {
            _ = skipDigits()
        }
        if accept(Byte.dot) {
            guard skipDigits() else { return false }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if !accept(Byte.plus) { _ = accept(Byte.minus) }
            guard skipDigits() else { return false }
        }
        return position == bytes.count || !Byte.continuesNumber(bytes[position])
    }

    /// Skips a run of digits; false when there is none.
    private mutating func skipDigits() -> Bool {
        let start = position
        while position < bytes.count, Byte.isDigit(bytes[position]) { position += 1 }
        return position > start
    }

    /// The rest of a string that has an escape at `position`: the bytes from `start` are copied,
    /// the escapes decoded, and the whole checked as UTF-8.
    private mutating func readEscapedString(from start: Int) -> String? {
        var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case Byte.quote:
                return utf8.withUnsafeBufferPointer { UTF8Check.isValid($0) ? String(decoding: $0, as: UTF8.self) : nil }
            case Byte.backslash: guard appendEscape(to: &utf8) else { return nil }
            case ..<0x20: return nil
            default: utf8.append(byte)
            }
        }
        return nil
    }

    /// Decodes the escape after a backslash into `utf8`.
    private mutating func appendEscape(to utf8: inout [UInt8]) -> Bool {
        guard position < bytes.count else { return false }
        let byte = bytes[position]
        position += 1
        switch byte {
        case Byte.quote, Byte.backslash, UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            guard let scalar = readEscapedScalar(), let encoded = UTF8.encode(scalar) else { return false }
            utf8.append(contentsOf: encoded)
        default: return false
        }
        return true
    }

    /// The scalar of a `\uXXXX` escape (after the `u`): a high surrogate must be followed at once by
    /// a `\uXXXX` low surrogate, and a low surrogate alone is refused.
    private mutating func readEscapedScalar() -> Unicode.Scalar? {
        guard let unit = readHexUnit() else { return nil }
        switch unit {
        case 0xD800...0xDBFF:
            guard accept(Byte.backslash), accept(UInt8(ascii: "u")), let low = readHexUnit(),
                  (0xDC00...0xDFFF).contains(low)
            else { return nil }
            return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
        case 0xDC00...0xDFFF:
            return nil
        default:
            return Unicode.Scalar(unit)
        }
    }

    /// Four hex digits, either case.
    private mutating func readHexUnit() -> UInt32? {
        guard bytes.count - position >= 4 else { return nil }
        var unit: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Byte.hexValue(bytes[position]) else { return nil }
            unit = unit << 4 | digit
            position += 1
        }
        return unit
    }

    /// Opens an object or array with `bracket`, counting the depth.
    private mutating func enter(_ bracket: UInt8) -> Bool {
        guard depth < Self.maxDepth, acceptToken(bracket) else { return false }
        depth += 1
        return true
    }

    /// Skips whitespace, then steps over `byte` if it comes next.
    private mutating func acceptToken(_ byte: UInt8) -> Bool {
        skipWhitespace()
        return accept(byte)
    }

    /// Steps over `byte` if it is the next one (no whitespace skipped).
    private mutating func accept(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// Steps over the ASCII `literal` if it comes next.
    private mutating func accept(_ literal: StaticString) -> Bool {
        let matches = literal.withUTF8Buffer { expected in
            bytes.count - position >= expected.count
                && expected.indices.allSatisfy { bytes[position + $0] == expected[$0] }
        }
        if matches { position += literal.utf8CodeUnitCount }
        return matches
    }

    /// Skips the four whitespace bytes JSON allows: space, tab, line feed, carriage return.
    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }
}

/// An object key, as ASCII bytes, matched against string literals in a `switch` (`case "seq":`).
struct JSONKey {
    /// The key's bytes, escapes decoded; valid only during the call that hands the key over.
    let bytes: UnsafeBufferPointer<UInt8>

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// True when `name` is the key, byte for byte.
    static func ~= (name: StaticString, key: JSONKey) -> Bool {
        name.withUTF8Buffer { $0.count == key.bytes.count && $0.elementsEqual(key.bytes) }
    }

    /// True for a byte a key may hold as it is: printable ASCII other than `"` and `\`.
    static func isPlain(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte < 0x80 && byte != Byte.quote && byte != Byte.backslash
    }
}

/// UTF-8 validation as Unicode defines it (Table 3-7): no stray continuation bytes, no overlong
/// forms, no surrogates, nothing above U+10FFFF, no sequence cut short.
enum UTF8Check {
    /// True when `bytes` is well-formed UTF-8.
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            guard let (length, second) = sequence(startingWith: lead), bytes.count - index >= length,
                  second.contains(bytes[index + 1])
            else { return false }
            for offset in 2..<max(length, 2) where bytes[index + offset] & 0xC0 != 0x80 { return false }
            index += length
        }
        return true
    }

    /// The length of the sequence a lead byte starts, and the range its second byte must be in.
    private static func sequence(startingWith lead: UInt8) -> (length: Int, second: ClosedRange<UInt8>)? {
        switch lead {
        case 0xC2...0xDF: (2, 0x80...0xBF)
        case 0xE0: (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80...0xBF)
        case 0xED: (3, 0x80...0x9F)
        case 0xF0: (4, 0x90...0xBF)
        case 0xF1...0xF3: (4, 0x80...0xBF)
        case 0xF4: (4, 0x80...0x8F)
        default: nil
        }
    }
}

/// The bytes of JSON's syntax.
private enum Byte {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")

    /// True for `0`…`9`.
    static func isDigit(_ byte: UInt8) -> Bool { byte &- zero < 10 }

    /// True for a byte that would make the number before it longer: a digit, `.`, `e` or `E`
    /// (a leading zero followed by a digit, or a fraction where an integer was expected).
    static func continuesNumber(_ byte: UInt8) -> Bool {
        isDigit(byte) || byte == dot || byte | 0x20 == UInt8(ascii: "e")
    }

    /// The value of a hex digit, either case; nil for other bytes.
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case zero...UInt8(ascii: "9"): UInt32(byte - zero)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
