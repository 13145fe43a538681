import Foundation
import Testing
import Domain

@Suite("JSON text")
struct JSONTextTests {
    @Test("a quoted string reads back as the same string", arguments: [
        "", "plain", "Zoë's \"pizza\"", "back\\slash", "line\nbreak\ttab\rreturn", "\u{0}\u{1}\u{1f}", "emoji 🍕", "</script>",
    ])
    func roundTrip(_ text: String) throws {
        let quoted = JSONText.quoted(text)
        let back = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
        #expect(back == [text])
    }

    @Test("control characters are escaped, never written raw")
    func controlsEscaped() {
        #expect(JSONText.quoted("a\u{1}b") == "\"a\\u0001b\"")
        #expect(!JSONText.quoted("a\nb").contains("\n"))
    }
}

@Suite("JSON text: byte-level writing")
struct JSONTextBytesTests {
    /// Every ASCII character, then non-ASCII ones JSON writers sometimes escape.
    private static let everyASCII = String(String.UnicodeScalarView((0..<0x80).map { Unicode.Scalar(UInt8($0)) }))

    @Test("appendQuoted writes exactly what JSONEncoder writes", arguments: [
        "", "plain", "Zoë's \"pizza\"", "back\\slash", "line\nbreak\ttab\rreturn", "\u{0}\u{1}\u{8}\u{c}\u{1f}\u{7f}",
        "emoji 🍕", "</script>", "a/b", "\u{2028}\u{2029}", everyASCII, everyASCII + "é" + everyASCII,
    ])
    func matchesJSONEncoder(_ text: String) throws {
        var bytes: [UInt8] = []
        JSONText.appendQuoted(text, to: &bytes)
        let encoded = [UInt8](try JSONEncoder().encode([text]))
        #expect(bytes == Array(encoded.dropFirst().dropLast()))
        let back = try JSONSerialization.jsonObject(with: Data([UInt8(ascii: "[")] + bytes + [UInt8(ascii: "]")])) as? [String]
        #expect(back == [text])
    }

    @Test("appendQuoted appends, escaping \"/\" as JSONEncoder does")
    func appends() {
        var bytes = Array("x=".utf8)
        JSONText.appendQuoted("a/\u{1}\u{1a}", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #"x="a\/\u0001\u001a""#)
    }

    @Test("appendInteger writes plain decimal", arguments: [0, 7, -7, 10, 1400, -1_000_000, Int.max, Int.min])
    func integers(_ value: Int) {
        var bytes = Array("n=".utf8)
        JSONText.appendInteger(value, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "n=\(value)")
    }
}
