/// Writes JSON text by hand for the few small, fixed-shape documents on the hot path (status
/// notices, event bodies), where Foundation's `JSONSerialization` spends most of its time in
/// dynamic casts and `JSONEncoder` in its generic containers.
public enum JSONText {
    /// `text` as a JSON string literal, quotes included, escaped as ``appendQuoted(_:to:)`` does.
    public static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        appendQuoted(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension JSONText {
    /// Appends `text` as a JSON string literal, quotes included, spelled byte for byte as
    /// Foundation's `JSONEncoder` spells it (default formatting): `"`, `\` and `/` escaped with a
    /// backslash (`/` as `\/`), `\b \t \n \f \r` short, the other control characters as `\u00xx`
    /// (lower-case hex); everything else, non-ASCII included, copied as is. Event bodies use it, so
    /// that the hand-written encoder writes the very bytes `JSONEncoder` wrote; status notices too.
    public static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(quote)
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices where needsEscape(utf8[index]) {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                appendEscape(for: utf8[index], to: &bytes)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(quote)
    }

    /// Appends `value` in plain decimal (`-` for negatives), as `JSONEncoder` writes an `Int`.
    public static func appendInteger(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let firstDigit = bytes.count
        var rest = value.magnitude
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10))
            rest /= 10
        } while rest > 0
        bytes[firstDigit...].reverse()
    }

    private static let quote = UInt8(ascii: "\"")

    /// True for the bytes ``appendQuoted(_:to:)`` escapes: controls, `"`, `/` and `\`.
    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x2F || byte == 0x5C
    }

    /// Appends the escape sequence for one byte that ``needsEscape(_:)`` picked.
    private static func appendEscape(for byte: UInt8, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case 0x22, 0x2F, 0x5C: bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        default:
            bytes.append(UInt8(ascii: "u"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(hexDigit(byte >> 4))
            bytes.append(hexDigit(byte & 0xF))
        }
    }

    /// The lower-case hex digit for a value 0…15.
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
