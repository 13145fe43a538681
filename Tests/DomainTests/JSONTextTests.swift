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
