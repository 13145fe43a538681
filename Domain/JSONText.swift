/// Writes JSON text by hand for the few small, fixed-shape documents on the hot path (status
/// notices), where Foundation's `JSONSerialization` spends most of its time in dynamic casts.
public enum JSONText {
    /// `text` as a JSON string literal, quotes included (RFC 8259 §7: `"`, `\` and control
    /// characters escaped; everything else, non-ASCII included, written as is).
    public static func quoted(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
        return out
    }
}
