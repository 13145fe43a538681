import Foundation
import Glibc

/// An email address with an optional display name.
public struct Mailbox: Sendable, Equatable {
    public var name: String?
    public var address: String
    public init(name: String?, address: String) {
        self.name = name
        self.address = address
    }

    /// `"Ada Lovelace" <ada@example.com>`, or an RFC 2047 encoded word for non-ASCII names.
    var rendered: String {
        guard let name, !name.isEmpty else { return "<\(address)>" }
        return "\(HeaderText.phrase(name)) <\(address)>"
    }
}

/// One RFC 5322 message (plain text, UTF-8).
public struct EmailMessage: Sendable, Equatable {
    public var from: Mailbox
    public var to: Mailbox
    public var subject: String
    public var body: String
    /// Without angle brackets; deterministic per order and kind, so receivers can drop duplicates.
    public var messageId: String
    public var date: Date

    public init(from: Mailbox, to: Mailbox, subject: String, body: String, messageId: String, date: Date) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.messageId = messageId
        self.date = date
    }

    /// The message as bytes on the wire: CRLF line ends, headers folded, body in quoted-printable.
    public func rendered() -> String {
        let headers = [
            "From: \(from.rendered)",
            "To: \(to.rendered)",
            "Subject: \(HeaderText.unstructured(subject))",
            "Date: \(RFC5322Date.format(date))",
            "Message-ID: <\(messageId)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + QuotedPrintable.encode(body) + "\r\n"
    }
}

/// Header text that is safe whatever the customer typed: no line breaks, non-ASCII as RFC 2047.
enum HeaderText {
    /// Free text (a subject): on one line; an encoded word when it is not ASCII.
    static func unstructured(_ text: String) -> String {
        let (line, isASCII) = oneLine(text)
        return isASCII ? line : encodedWord(line)
    }

    /// A display name: quoted string when ASCII, encoded word otherwise.
    static func phrase(_ text: String) -> String {
        let (line, isASCII) = oneLine(text)
        guard isASCII else { return encodedWord(line) }
        var quoted: [UInt8] = [UInt8(ascii: "\"")]
        quoted.reserveCapacity(line.utf8.count + 4)
        for byte in line.utf8 {
            if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\"") { quoted.append(UInt8(ascii: "\\")) }
            quoted.append(byte)
        }
        quoted.append(UInt8(ascii: "\""))
        return String(decoding: quoted, as: UTF8.self)
    }

    static func encodedWord(_ text: String) -> String {
        "=?utf-8?B?\(Data(text.utf8).base64EncodedString())?="
    }

    /// `text` with every CR and LF a space (a header value never breaks its line), and whether it
    /// is all ASCII. On bytes: it runs for every email (Foundation's `replacingOccurrences` was
    /// 2–3 % of the email worker's CPU).
    private static func oneLine(_ text: String) -> (line: String, isASCII: Bool) {
        var isASCII = true
        var breaks = false
        for byte in text.utf8 {
            if byte >= 0x80 { isASCII = false } else if byte == 13 || byte == 10 { breaks = true }
        }
        guard breaks else { return (text, isASCII) }
        return (String(decoding: text.utf8.map { $0 == 13 || $0 == 10 ? UInt8(ascii: " ") : $0 }, as: UTF8.self), isASCII)
    }
}

/// Quoted-printable (RFC 2045) for UTF-8 text, with soft line breaks under 76 characters.
/// Works on bytes: it runs for every email, and per-character strings showed up in profiles.
enum QuotedPrintable {
    private static let hex = Array("0123456789ABCDEF".utf8)

    static func encode(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        var width = 0
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            // Hard line break: CRLF or a lone LF, written as CRLF.
            if byte == 10 || (byte == 13 && index + 1 < bytes.count && bytes[index + 1] == 10) {
                out.append(13)
                out.append(10)
                width = 0
                index += byte == 13 ? 2 : 1
                continue
            }
            let next = index + 1 < bytes.count ? bytes[index + 1] : 10
            let endsLine = next == 10 || (next == 13 && index + 2 < bytes.count && bytes[index + 2] == 10)
            let literal = (byte >= 33 && byte <= 126 && byte != 61) || (byte == 32 && !endsLine)
            let count = literal ? 1 : 3
            if width + count > 75 {
                out.append(contentsOf: [61, 13, 10])  // "=" CRLF: a soft line break
                width = 0
            }
            if literal {
                out.append(byte)
            } else {
                out.append(contentsOf: [61, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            }
            width += count
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// `Mon, 23 Nov 2026 10:21:00 +0000` (always UTC; built by hand: a DateFormatter per message
/// showed up in profiles).
enum RFC5322Date {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func format(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }
}
