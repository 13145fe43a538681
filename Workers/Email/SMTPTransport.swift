import Foundation
import Glibc

/// Where an SMTP server is: `smtp://host:port` (plain SMTP, as to a local relay such as Postfix
/// that handles TLS and authentication onwards).
public struct SMTPConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// The name this client gives in EHLO.
    public var heloName: String
    public var timeout: Duration

    public init(host: String, port: Int = 25, heloName: String = "pizzeria.local", timeout: Duration = .seconds(10)) {
        self.host = host
        self.port = port
        self.heloName = heloName
        self.timeout = timeout
    }

    public init?(url: String) {
        guard let components = URLComponents(string: url), components.scheme == "smtp", let host = components.host, !host.isEmpty else {
            return nil
        }
        self.init(host: host, port: components.port ?? 25)
    }
}

/// A failure talking to the SMTP server: the stage, the server's reply code and text.
public struct SMTPError: Error, Sendable, CustomStringConvertible {
    public var stage: String
    public var code: Int?
    public var message: String
    public var description: String { "SMTP \(stage) failed\(code.map { " (\($0))" } ?? ""): \(message)" }
}

/// Sends each message with one SMTP session (EHLO, MAIL FROM, RCPT TO, DATA, QUIT).
///
/// A small blocking client on purpose: it runs on the email worker's own thread, like every other
/// blocking call in the workers, and needs no TLS or AUTH because it talks to a relay on the same
/// network. Lines are dot-stuffed; every reply code is checked.
public struct SMTPTransport: EmailTransport {
    public let configuration: SMTPConfiguration

    public init(configuration: SMTPConfiguration) {
        self.configuration = configuration
    }

    public func send(_ message: EmailMessage, fileName: String) throws {
        let session = try SMTPSession(configuration: configuration)
        defer { session.close() }
        try session.expect(220, stage: "greeting")
        try session.command("EHLO \(configuration.heloName)", expect: 250, stage: "EHLO")
        try session.command("MAIL FROM:<\(message.from.address)>", expect: 250, stage: "MAIL FROM")
        try session.command("RCPT TO:<\(message.to.address)>", expect: 250, also: 251, stage: "RCPT TO")
        try session.command("DATA", expect: 354, stage: "DATA")
        try session.write(SMTPData.dotStuffed(message.rendered()) + ".\r\n")
        try session.expect(250, stage: "message")
        try? session.command("QUIT", expect: 221, stage: "QUIT")
    }
}

/// SMTP's DATA encoding.
enum SMTPData {
    /// CRLF line ends, a leading `.` doubled on every line, and a final CRLF.
    static func dotStuffed(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        var body = lines.map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
        if !body.hasSuffix("\r\n") { body += "\r\n" }
        return body
    }
}

/// One TCP connection to the SMTP server (POSIX sockets with send/receive timeouts).
final class SMTPSession {
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []

    init(configuration: SMTPConfiguration) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(configuration.host, String(configuration.port), &hints, &result)
        guard status == 0, let first = result else {
            throw SMTPError(stage: "resolve", code: nil, message: "cannot resolve \(configuration.host)")
        }
        defer { freeaddrinfo(result) }
        var address: UnsafeMutablePointer<addrinfo>? = first
        var lastError = "no address"
        while let candidate = address {
            let socket = Glibc.socket(candidate.pointee.ai_family, candidate.pointee.ai_socktype, candidate.pointee.ai_protocol)
            if socket >= 0 {
                var tv = timeval(tv_sec: Int(configuration.timeout.components.seconds), tv_usec: 0)
                setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                if Glibc.connect(socket, candidate.pointee.ai_addr, candidate.pointee.ai_addrlen) == 0 {
                    fd = socket
                    return
                }
                lastError = String(cString: strerror(errno))
                Glibc.close(socket)
            }
            address = candidate.pointee.ai_next
        }
        throw SMTPError(stage: "connect", code: nil, message: "\(configuration.host):\(configuration.port): \(lastError)")
    }

    deinit { close() }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    func write(_ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw SMTPError(stage: "write", code: nil, message: String(cString: strerror(errno))) }
            bytes = bytes.dropFirst(sent)
        }
    }

    func command(_ line: String, expect code: Int, also other: Int? = nil, stage: String) throws {
        try write(line + "\r\n")
        try expect(code, also: other, stage: stage)
    }

    /// Reads a (possibly multi-line) reply and checks its code.
    func expect(_ code: Int, also other: Int? = nil, stage: String) throws {
        var text: [String] = []
        while true {
            let line = try readLine()
            text.append(String(line.dropFirst(4)))
            guard line.count >= 4, let got = Int(line.prefix(3)) else {
                throw SMTPError(stage: stage, code: nil, message: "unreadable reply \(line.prefix(100))")
            }
            if line[line.index(line.startIndex, offsetBy: 3)] == "-" { continue }
            guard got == code || got == other else {
                throw SMTPError(stage: stage, code: got, message: text.joined(separator: " ").prefix(300).description)
            }
            return
        }
    }

    private func readLine() throws -> String {
        while true {
            if let end = buffer.firstIndex(of: 10) {
                var line = Array(buffer[..<end])
                buffer.removeFirst(end + 1)
                if line.last == 13 { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else {
                throw SMTPError(stage: "read", code: nil, message: count == 0 ? "connection closed" : String(cString: strerror(errno)))
            }
            buffer.append(contentsOf: chunk[..<count])
            guard buffer.count < 64 * 1024 else { throw SMTPError(stage: "read", code: nil, message: "reply too long") }
        }
    }
}
