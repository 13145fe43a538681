import Testing
@testable import Workers

/// Quoted-printable as a mail reader decodes it (RFC 2045 §6.7), written independently of the encoder.
private func decodeQuotedPrintable(_ text: String) -> String {
    var out: [UInt8] = []
    let bytes = Array(text.utf8)
    var index = 0
    func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
    while index < bytes.count {
        if bytes[index] == UInt8(ascii: "=") {
            if index + 2 < bytes.count, bytes[index + 1] == 13, bytes[index + 2] == 10 {
                index += 3  // soft line break
                continue
            }
            if index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
                continue
            }
        }
        out.append(bytes[index])
        index += 1
    }
    return String(decoding: out, as: UTF8.self)
}

@Suite("Quoted-printable")
struct QuotedPrintableTests {
    @Test("plain ASCII lines are kept as they are, with CRLF line ends")
    func plainText() {
        #expect(QuotedPrintable.encode("Hello Ada,\nyour pizza is on its way.") == "Hello Ada,\r\nyour pizza is on its way.")
        #expect(QuotedPrintable.encode("one\r\ntwo\n") == "one\r\ntwo\r\n")
    }

    @Test("'=', non-ASCII, control characters and a space before a line end are escaped")
    func escapes() {
        #expect(QuotedPrintable.encode("a=b") == "a=3Db")
        #expect(QuotedPrintable.encode("Zoë") == "Zo=C3=AB")
        #expect(QuotedPrintable.encode("tab\there") == "tab=09here")
        #expect(QuotedPrintable.encode("lone\rreturn") == "lone=0Dreturn")
        #expect(QuotedPrintable.encode("end \nnext ") == "end=20\r\nnext=20")
        #expect(QuotedPrintable.encode("in between") == "in between")
    }

    @Test("long lines get soft breaks: no encoded line is longer than 76 characters")
    func softBreaks() {
        let long = String(repeating: "Margherita ", count: 20) + String(repeating: "é", count: 40)
        let encoded = QuotedPrintable.encode(long)
        let lines = encoded.components(separatedBy: "\r\n")
        #expect(lines.count > 3)
        #expect(lines.allSatisfy { $0.utf8.count <= 76 }, "\(lines.map(\.utf8.count))")
        #expect(lines.dropLast().allSatisfy { $0.hasSuffix("=") }, "every line but the last ends in a soft break")
        // An escape is never split across a soft break: inside each line, every "=" starts "=XY".
        for line in lines {
            let body = Array((line.hasSuffix("=") ? String(line.dropLast()) : line).utf8)
            for (index, byte) in body.enumerated() where byte == UInt8(ascii: "=") {
                #expect(index + 2 < body.count, "escape cut at the end of \(line)")
            }
        }
        #expect(decodeQuotedPrintable(encoded) == long)
    }

    @Test("what a mail reader decodes is the text that was encoded", arguments: [
        "", "x", "=", "==3D==", "Your order #1042 is confirmed.\n\n2 × Margherita (medium)   €19.00\nTotal: €19.00",
        "trailing space \nand tab\t\nand both \t", "日本語のテキストと絵文字 🍕🍕🍕 " + String(repeating: "🍕", count: 30),
        String(repeating: "a", count: 75), String(repeating: "a", count: 76), String(repeating: "=", count: 40),
        "<script>alert(1)</script>\r\n.\r\n..leading dots",
    ])
    func roundTrip(text: String) {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        let encoded = QuotedPrintable.encode(text)
        #expect(decodeQuotedPrintable(encoded) == normalized)
        #expect(encoded.utf8.allSatisfy { $0 == 13 || $0 == 10 || (32...126).contains($0) }, "7-bit output")
        #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
    }
}
