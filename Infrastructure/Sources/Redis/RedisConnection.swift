import CHiredis
import Foundation
import Glibc

/// Where the Redis server is, parsed from `redis://host:port`.
public struct RedisConfiguration: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var timeout: Duration = .seconds(2)

    public init(host: String = "127.0.0.1", port: Int = 6379) {
        self.host = host
        self.port = port
    }

    /// Parses `redis://host[:port][/]`; the host may be a bracketed IPv6 address (`[::1]`). A user,
    /// password or database in the URL is refused rather than ignored: this client sends no AUTH
    /// or SELECT. Parsed by hand, not by `URLComponents`, whose host check runs ICU (README,
    /// "Worker memory").
    public init(url text: String) throws(RedisError) {
        let usage = "expected redis://host:port, got \(text.prefix(200))"
        guard text.hasPrefix("redis://") else { throw RedisError(operation: "parse URL", message: usage) }
        var rest = Substring(text.dropFirst("redis://".count))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        let host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw RedisError(operation: "parse URL", message: usage) }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw RedisError(operation: "parse URL", message: usage) }
                portText = after.dropFirst()
            }
        } else if let colon = rest.firstIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        let port: Int? = if let portText { Int(portText) } else { 6379 }
        guard !host.isEmpty, !host.contains(where: { "@/?#[]".contains($0) }), let port, (1...65535).contains(port) else {
            throw RedisError(operation: "parse URL", message: usage)
        }
        self.init(host: String(host), port: port)
    }

    public var description: String { "redis://\(host):\(port)" }
}

/// A failure talking to Redis, with the operation and hiredis' message.
public struct RedisError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var message: String
    public init(operation: String, message: String) {
        self.operation = operation
        self.message = message
    }
    public var description: String { "Redis \(operation) failed: \(message)" }
}

/// A Redis reply, copied out of hiredis' memory.
public enum RedisReply: Sendable, Equatable {
    case string(String)
    case status(String)
    case integer(Int64)
    case array([RedisReply])
    case null
    case error(String)
}

/// Owns one hiredis `redisContext` (blocking API). Used by one thread at a time; ``close()``
/// before it goes away. After an error the context is unusable: close it and connect again.
public final class RedisConnection {
    private var context: UnsafeMutablePointer<redisContext>?
    public let configuration: RedisConfiguration

    public init(configuration: RedisConfiguration) throws(RedisError) {
        self.configuration = configuration
        guard let context = redisConnectWithTimeout(configuration.host, Int32(configuration.port), timeval(configuration.timeout)) else {
            throw RedisError(operation: "connect to \(configuration)", message: "out of memory")
        }
        if context.pointee.err != 0 {
            let message = Self.errorText(context)
            redisFree(context)
            throw RedisError(operation: "connect to \(configuration)", message: message)
        }
        _ = redisSetTimeout(context, timeval(configuration.timeout))
        self.context = context
    }

    deinit {
        assert(context == nil, "RedisConnection deallocated without close()")
        if let context { redisFree(context) }
    }

    public func close() {
        guard let context else { return }
        self.context = nil
        redisFree(context)
    }

    /// Changes the read timeout (`nil`: block until a reply comes, as a subscriber does).
    public func setReadTimeout(_ timeout: Duration?) {
        guard let context else { return }
        _ = redisSetTimeout(context, timeval(timeout ?? .zero))
    }

    /// Runs one command.
    public func command(_ arguments: [String]) throws(RedisError) -> RedisReply {
        try pipeline([arguments])[0]
    }

    /// Sends every command, then reads every reply (one round trip for the lot).
    public func pipeline(_ commands: [[String]]) throws(RedisError) -> [RedisReply] {
        guard let context else { throw RedisError(operation: "command", message: "connection is closed") }
        for arguments in commands {
            let status = Self.withArgv(arguments) { argc, argv, lengths in
                redisAppendCommandArgv(context, argc, argv, lengths)
            }
            guard status == REDIS_OK else { throw RedisError(operation: arguments.first ?? "command", message: Self.errorText(context)) }
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for arguments in commands {
            replies.append(try readReply(operation: arguments.first ?? "command"))
        }
        return replies
    }

    /// Sends a command without reading its reply (for SUBSCRIBE, whose replies come as messages).
    public func send(_ arguments: [String]) throws(RedisError) {
        guard let context else { throw RedisError(operation: "send", message: "connection is closed") }
        let status = Self.withArgv(arguments) { argc, argv, lengths in redisAppendCommandArgv(context, argc, argv, lengths) }
        guard status == REDIS_OK else { throw RedisError(operation: arguments.first ?? "send", message: Self.errorText(context)) }
        var done: Int32 = 0
        while done == 0 {
            guard redisBufferWrite(context, &done) == REDIS_OK else {
                throw RedisError(operation: arguments.first ?? "send", message: Self.errorText(context))
            }
        }
    }

    /// Reads the next reply (waiting up to the read timeout).
    public func readReply(operation: String = "read") throws(RedisError) -> RedisReply {
        guard let context else { throw RedisError(operation: operation, message: "connection is closed") }
        var raw: UnsafeMutableRawPointer?
        guard redisGetReply(context, &raw) == REDIS_OK, let raw else {
            throw RedisError(operation: operation, message: Self.errorText(context))
        }
        defer { freeReplyObject(raw) }
        return Self.copy(raw.assumingMemoryBound(to: redisReply.self))
    }

    private static func copy(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let r = reply.pointee
        func text() -> String {
            guard let str = r.str, r.len > 0 else { return "" }
            return String(decoding: UnsafeRawBufferPointer(start: str, count: Int(r.len)), as: UTF8.self)
        }
        switch r.type {
        case REDIS_REPLY_STRING: return .string(text())
        case REDIS_REPLY_STATUS: return .status(text())
        case REDIS_REPLY_ERROR: return .error(text())
        case REDIS_REPLY_INTEGER: return .integer(Int64(r.integer))
        case REDIS_REPLY_ARRAY:
            guard r.elements > 0, let elements = r.element else { return .array([]) }
            return .array((0..<Int(r.elements)).compactMap { elements[$0].map(copy) })
        default: return .null
        }
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            let bytes = raw.prefix { $0 != 0 }
            let text = String(decoding: bytes, as: UTF8.self)
            return text.isEmpty ? "error \(context.pointee.err)" : text
        }
    }

    /// Gives hiredis argv/argvlen arrays that live for the duration of `body`.
    private static func withArgv<R>(_ arguments: [String], _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R) -> R {
        let arena = CMemoryArena()
        var pointers: [UnsafePointer<CChar>?] = arguments.map { arena.cString($0) }
        let lengths: [Int] = arguments.map { $0.utf8.count }
        return pointers.withUnsafeMutableBufferPointer { argv in
            lengths.withUnsafeBufferPointer { argvlen in
                body(Int32(arguments.count), argv.baseAddress!, argvlen.baseAddress!)
            }
        }
    }
}
