import Domain
import Foundation

/// The headers Pizzeria adds to a message it retries or dead-letters (DESIGN.md, "AMQP topology").
public enum FailureHeaders {
    /// Why the last attempt failed, for people.
    public static let error = "x-pizzeria-error"
    /// How many attempts failed so far.
    public static let attempts = "x-pizzeria-attempts"
    /// When the last attempt failed (ISO 8601).
    public static let failedAt = "x-pizzeria-failed-at"
    /// Who failed it (`host/pid`).
    public static let worker = "x-pizzeria-worker"
    /// The work queue the message came from (where a replay sends it back).
    public static let queue = "x-pizzeria-queue"
    /// The routing key it was first published with.
    public static let routingKey = "x-pizzeria-routing-key"
    /// `poison` (can never succeed) or `exhausted` (retries used up).
    public static let kind = "x-pizzeria-failure"

    /// The failed attempts recorded on a message (0 for a fresh one).
    public static func attempts(of properties: AMQPProperties) -> Int {
        Int(properties.headers[attempts]?.intValue ?? 0)
    }

    /// The headers of a message after a failed attempt.
    public static func annotate(_ headers: [String: AMQPHeaderValue], reason: String, attempts count: Int, queue: String,
                                originalRoutingKey: String, kind failure: String, now: Date = Date()) -> [String: AMQPHeaderValue] {
        var headers = headers
        headers[error] = .string(String(reason.prefix(2000)))
        headers[attempts] = .int(Int64(count))
        headers[failedAt] = .string(Timestamp.format(now))
        headers[worker] = .string(WorkerIdentity.current)
        headers[self.queue] = .string(queue)
        if headers[routingKey] == nil { headers[routingKey] = .string(originalRoutingKey) }
        headers[kind] = .string(failure)
        return headers
    }
}

/// This process, as `host/pid`.
public enum WorkerIdentity {
    public static let current: String = {
        "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)"
    }()
}
