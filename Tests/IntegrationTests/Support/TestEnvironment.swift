import Foundation
import Glibc
import Infrastructure
import Testing

/// The servers `ops/test` started for this run (loopback, ports of their own), read from the environment.
enum TestEnvironment {
    static let environment = ProcessInfo.processInfo.environment

    /// RabbitMQ's port; the tests fail with a clear message when `ops/test` did not set it.
    static func amqpPort() throws -> Int {
        try port("PIZZERIA_TEST_AMQP_PORT")
    }

    static func redisPort() throws -> Int {
        try port("PIZZERIA_TEST_REDIS_PORT")
    }

    private static func port(_ name: String) throws -> Int {
        guard let text = environment[name], let port = Int(text) else {
            throw TestSetupError("\(name) is not set: run the integration tests through ops/test, which starts RabbitMQ and Redis")
        }
        return port
    }

    static func amqp(vhost: String) throws -> AMQPConfiguration {
        var configuration = AMQPConfiguration(host: "127.0.0.1", port: try amqpPort(), vhost: vhost)
        configuration.heartbeatSeconds = 0
        return configuration
    }

    static func redis() throws -> RedisConfiguration {
        RedisConfiguration(host: "127.0.0.1", port: try redisPort())
    }

    static var amqpURLPrefix: String { "amqp://guest:guest@127.0.0.1:\(environment["PIZZERIA_TEST_AMQP_PORT"] ?? "0")" }

    /// Where logs, maildirs and databases of a test go (kept after the run for inspection).
    static func outputDirectory(_ name: String) throws -> URL {
        let base = environment["PIZZERIA_TEST_OUTPUT"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("pizzeria-tests")
        let directory = base.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// The `pizzeria` executable built beside this test bundle (or `PIZZERIA_TEST_BIN`).
    static func pizzeriaBinary() throws -> URL {
        if let path = environment["PIZZERIA_TEST_BIN"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("pizzeria")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw TestSetupError("pizzeria executable not found next to \(CommandLine.arguments[0]); build with `swift build --build-tests`")
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel's pick).
    static func freePort() throws -> Int {
        let (fd, port) = try boundLoopbackSocket()
        close(fd)
        return port
    }

    /// A socket listening on 127.0.0.1 that never accepts: connections complete (the kernel's
    /// backlog takes them) and then hear nothing. Returns the descriptor (to close) and its port.
    static func silentListener() throws -> (fd: Int32, port: Int) {
        let (fd, port) = try boundLoopbackSocket()
        guard listen(fd, 16) == 0 else {
            close(fd)
            throw TestSetupError("listen() failed")
        }
        return (fd, port)
    }

    /// A TCP socket bound to 127.0.0.1 on a port the kernel chose, and that port.
    private static func boundLoopbackSocket() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket() failed") }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw TestSetupError("bind() failed")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// The IPv4 address 127.0.0.1:`port`.
    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port` right now.
    static func isListening(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(30), every interval: Duration = .milliseconds(100),
                _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}
