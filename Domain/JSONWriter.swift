/// Writes one JSON document into UTF-8 bytes, value by value, placing the commas itself. It
/// checks nothing: the caller opens and closes objects and arrays in order and, to match
/// `JSONEncoder`'s `.sortedKeys`, writes each object's keys in byte order.
struct JSONWriter {
    /// The document so far.
    private(set) var bytes: [UInt8] = []
    /// True when the next value or key follows another one at the same level.
    private var needsComma = false

    /// A writer whose buffer starts with room for `capacity` bytes.
    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Opens an object (`{`), as a value.
    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Closes the innermost object (`}`).
    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Opens an array (`[`), as a value.
    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Closes the innermost array (`]`).
    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"name":`. Key names are constants of the wire format: plain ASCII that needs no escaping.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a string value, escaped as `JSONEncoder` escapes it.
    mutating func string(_ value: String) {
        separate()
        JSONText.appendQuoted(value, to: &bytes)
        needsComma = true
    }

    /// Writes an integer value in plain decimal.
    mutating func integer(_ value: Int) {
        separate()
        JSONText.appendInteger(value, to: &bytes)
        needsComma = true
    }

    /// Writes `key` with a string value.
    mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    /// Writes `key` with an integer value.
    mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        integer(value)
    }

    /// Writes `key` with a string value, or nothing at all when the value is nil (as the
    /// synthesized `Encodable` conformance does for an optional).
    mutating func field(_ name: StaticString, ifPresent value: String?) {
        guard let value else { return }
        field(name, value)
    }

    /// Writes the comma that separates this key or value from the previous one, if any.
    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }
}
