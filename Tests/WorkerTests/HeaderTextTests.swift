import Testing
@testable import Workers

/// Header values built from what customers typed: one line, quoted or RFC 2047-encoded.
@Suite("Email header text")
struct HeaderTextTests {
    @Test("A display name is a quoted string with its quotes and backslashes escaped")
    func quotedPhrase() {
        #expect(HeaderText.phrase("Ada Lovelace") == #""Ada Lovelace""#)
        #expect(HeaderText.phrase(#"Ada "Countess" L\ovelace"#) == #""Ada \"Countess\" L\\ovelace""#)
        #expect(HeaderText.phrase("") == #""""#)
    }

    @Test("Line breaks become spaces, so a value cannot add a header")
    func noLineBreaks() {
        #expect(HeaderText.phrase("Ada\r\nBcc: eve@example.com") == #""Ada  Bcc: eve@example.com""#)
        #expect(HeaderText.unstructured("Order 1\nBcc: eve@example.com\r") == "Order 1 Bcc: eve@example.com ")
        #expect(HeaderText.unstructured("Your pizza is in the oven") == "Your pizza is in the oven")
    }

    @Test("Non-ASCII text is one base64 encoded word of its UTF-8, after the line breaks are spaces")
    func encodedWords() {
        #expect(HeaderText.phrase("Zoë") == "=?utf-8?B?Wm/Dqw==?=")
        #expect(HeaderText.unstructured("Zoë\r\nx") == "=?utf-8?B?Wm/DqyAgeA==?=")
    }
}
