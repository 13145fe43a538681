import AsyncHTTPClient
import Domain
import Foundation
import Infrastructure
import NIOCore

/// Measures how many live views one `serve` process holds, and how late events reach them:
/// places a few orders, opens `clients` Server-Sent Events streams spread over them, and records,
/// for every event committed after the streams opened, the delay from its commit (`at`) to its
/// arrival at each client.
public struct SSECapacityBench: Sendable {
    public struct Report: Sendable, Codable {
        public var clientsRequested: Int
        public var clientsConnected: Int
        public var connectSeconds: Double
        public var eventsReceived: Int
        public var p50Millis: Double
        public var p90Millis: Double
        public var p99Millis: Double
        public var maxMillis: Double
        public var clientsThatSawDelivered: Int
    }

    public var baseURL: String
    public var clients: Int
    public var orders: Int
    public var timeout: Duration

    public init(baseURL: String, clients: Int, orders: Int, timeout: Duration = .seconds(120)) {
        self.baseURL = baseURL
        self.clients = clients
        self.orders = orders
        self.timeout = timeout
    }

    public func run() async throws -> Report {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(120), concurrentHTTP1ConnectionsPerHostSoftLimit: clients + 16)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let report = try await measure(client)
            try await client.shutdown()
            return report
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private func measure(_ client: HTTPClient) async throws -> Report {
        var placed: [(id: String, token: String)] = []
        for index in 0..<orders { placed.append(try await place(client, index: index)) }
        let started = Date()
        let opened = OpenCounter()
        let timeout = self.timeout
        let results = try await withThrowingTaskGroup(of: ClientResult.self) { group in
            for index in 0..<clients {
                let order = placed[index % placed.count]
                let url = "\(baseURL)/api/orders/\(order.id)/events?token=\(order.token)"
                group.addTask { await Self.follow(client, url: url, since: started, opened: opened, timeout: timeout) }
            }
            return try await group.reduce(into: [ClientResult]()) { $0.append($1) }
        }
        // Only events committed once every stream was open: earlier ones may have come as catch-up.
        let allOpen = opened.lastOpen ?? started
        let delays = results.flatMap(\.events).filter { $0.at > allOpen }.map { $0.received.timeIntervalSince($0.at) * 1000 }.sorted()
        func percentile(_ p: Double) -> Double {
            guard !delays.isEmpty else { return 0 }
            return delays[min(delays.count - 1, Int((Double(delays.count) * p).rounded(.up)) - 1)]
        }
        return Report(clientsRequested: clients, clientsConnected: results.filter(\.connected).count,
                      connectSeconds: opened.lastOpen.map { $0.timeIntervalSince(started) } ?? 0, eventsReceived: delays.count,
                      p50Millis: percentile(0.50), p90Millis: percentile(0.90), p99Millis: percentile(0.99), maxMillis: delays.last ?? 0,
                      clientsThatSawDelivered: results.filter(\.sawDelivered).count)
    }

    private func place(_ client: HTTPClient, index: Int) async throws -> (id: String, token: String) {
        var request = HTTPClientRequest(url: "\(baseURL)/api/orders")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        let body = #"{"customer":{"name":"SSE bench \#(index)","email":"bench@example.com","phone":"+44 20 7946 0000","address":"1 Bench St"},"items":[{"pizzaId":"margherita","size":"medium","quantity":1}]}"#
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        let data = try await response.body.collect(upTo: 1 << 20)
        guard response.status.code == 201,
              let object = try JSONSerialization.jsonObject(with: Data(data.readableBytesView)) as? [String: Any],
              let id = object["id"] as? String, let token = object["trackingToken"] as? String
        else { throw BenchError(message: "POST /api/orders answered \(response.status.code)") }
        return (id, token)
    }

    struct ClientResult: Sendable {
        var connected = false
        var events: [(at: Date, received: Date)] = []
        var sawDelivered = false
    }

    /// Counts opened streams and remembers when the last one opened.
    final class OpenCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var last: Date?
        func opened() { lock.withLock { last = Date() } }
        var lastOpen: Date? { lock.withLock { last } }
    }

    static func follow(_ client: HTTPClient, url: String, since started: Date, opened: OpenCounter, timeout: Duration) async -> ClientResult {
        var result = ClientResult()
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(Int64(timeout.components.seconds)))
            guard response.status.code == 200 else { return result }
            result.connected = true
            opened.opened()
            var pending = ""
            for try await buffer in response.body {
                let now = Date()
                pending += String(buffer: buffer)
                while let range = pending.range(of: "\n\n") {
                    let block = pending[..<range.lowerBound]
                    pending = String(pending[range.upperBound...])
                    guard let line = block.split(separator: "\n").first(where: { $0.hasPrefix("data: ") }),
                          let notice = NoticeCoding.decode(String(line.dropFirst(6))) else { continue }
                    result.events.append((notice.at, now))
                    if notice.status == .delivered { result.sawDelivered = true }
                }
            }
        } catch {
            return result
        }
        return result
    }
}

struct BenchError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
