import Domain
import Foundation
import Infrastructure

/// Redis `PUBLISH` ceilings through ``RedisConnection``, with a payload the size of a status
/// notice, on a channel nobody listens to (`pizzeria.probe`).
///
/// Every call blocks (hiredis): run it on a thread of its own (``BlockingCall``).
public struct RedisProbe: Sendable {
    public static let channel = "pizzeria.probe"
    private let configuration: RedisConfiguration

    public init(configuration: RedisConfiguration) {
        self.configuration = configuration
    }

    /// `count` publishes one round trip each, then `count` more pipelined `batch` at a time.
    public func publish(count: Int, batch: Int = 100) throws -> [ProbeResult] {
        let connection = try RedisConnection(configuration: configuration)
        defer { connection.close() }
        let payload = NoticeCoding.encode(StatusNotice(orderId: OrderID.make(), seq: 3, status: .baking, at: Date(), eventId: OrderID.make()))
        let command = ["PUBLISH", Self.channel, payload]

        var started = ContinuousClock.now
        for _ in 0..<count { _ = try connection.command(command) }
        let oneByOne = ProbeResult(name: "redis PUBLISH, one at a time", operations: count, elapsed: .now - started)

        started = .now
        var sent = 0
        while sent < count {
            let size = min(batch, count - sent)
            _ = try connection.pipeline(Array(repeating: command, count: size))
            sent += size
        }
        let pipelined = ProbeResult(name: "redis PUBLISH, pipelined \(batch)", operations: count, elapsed: .now - started)
        return [oneByOne, pipelined]
    }
}
