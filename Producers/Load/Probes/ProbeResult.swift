import Foundation

/// One ceiling measured by `pizzeria probe`: so many operations in so much time.
public struct ProbeResult: Sendable, Encodable, Equatable {
    /// What was measured, for people (`redis PUBLISH, pipelined 100`).
    public var name: String
    public var operations: Int
    public var seconds: Double
    public var opsPerSecond: Double
    /// CPU time the probe's process used per operation, when the probe measures it (SQLite, wake-ups).
    public var cpuMicrosecondsPerOperation: Double?

    public init(name: String, operations: Int, elapsed: Duration) {
        self.name = name
        self.operations = operations
        seconds = elapsed.seconds
        opsPerSecond = seconds > 0 ? Double(operations) / seconds : 0
    }

    /// `redis PUBLISH, one at a time: 20000 in 0.85 s = 23529 ops/s`
    public var text: String {
        let cpu = cpuMicrosecondsPerOperation.map { String(format: ", %.1f CPU-µs each", $0) } ?? ""
        return "\(name): \(operations) in \(String(format: "%.2f", seconds)) s = \(String(format: "%.0f", opsPerSecond)) ops/s\(cpu)"
    }
}

/// A probe that could not finish (the broker refused messages, a queue stayed empty).
public struct ProbeError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
