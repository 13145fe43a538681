import Foundation
import Glibc
@testable import Producers
import Testing

extension IntegrationTests {
    /// The load generator's own HTTP client against the real web front: what it records for each
    /// POST is what the server answered, it keeps to its rate, and it never hangs on a dead server.
    @Suite("Load generator's HTTP client")
    struct PlacementClientTests {
        @Test("Each POST is recorded as the server answered it: 201 with the order id, 4xx with status and body",
              .timeLimit(.minutes(2)))
        func answersAsTheServerGaveThem() async throws {
            try await withPipeline("placement-client", vhost: "t26", startWorkers: false) { pipeline in
                let bodies = [OrderRequests.body(name: "First"), Data("{}".utf8), Data("not json".utf8), OrderRequests.body(name: "Last")]
                let seen = IdsSeen()
                let client = PlacementClient(target: try PlacementClient.Target(baseURL: pipeline.baseURL), bodies: bodies,
                                             ratePerSecond: nil, concurrency: 2, timeout: .seconds(30)) { seen.add($0) }
                let placements = try await client.run().get()

                #expect(placements.map(\.index) == [0, 1, 2, 3])
                #expect(client.answered == 4)
                let created = placements.compactMap(\.orderId)
                #expect(created.count == 2)
                #expect(Set(seen.ids) == Set(created), "every 201 is handed on with its id")
                #expect(placements[1].failure?.status == 422)
                #expect(placements[1].failure?.message.contains("missing_field") == true)
                #expect(placements[2].failure?.status == 400)
                #expect(placements[2].failure?.message.contains("invalid_json") == true)
                for placement in placements { #expect(placement.answeredAt >= placement.sentAt) }

                let probe = try StoreProbe(pipeline)
                #expect(try probe.count("SELECT COUNT(*) FROM orders") == 2)
                #expect(try probe.count("SELECT COUNT(*) FROM orders WHERE customer_name IN ('First', 'Last')") == 2)
            }
        }

        @Test("With a rate, no order is sent before its slot", .timeLimit(.minutes(2)))
        func keepsToTheRate() async throws {
            try await withPipeline("placement-client-rate", vhost: "t27", startWorkers: false) { pipeline in
                let bodies = (0..<21).map { OrderRequests.body(name: "Customer \($0)") }
                let client = PlacementClient(target: try PlacementClient.Target(baseURL: pipeline.baseURL), bodies: bodies,
                                             ratePerSecond: 100, concurrency: 8, timeout: .seconds(30)) { _ in }
                let placements = try await client.run().get()

                #expect(placements.count == 21)
                #expect(placements.allSatisfy { $0.orderId != nil }, "\(placements.compactMap(\.failure))")
                // Slots are 10 ms apart from the start: order i goes out no earlier than i × 10 ms after it.
                for placement in placements {
                    #expect(placement.sentAt - client.startedAt >= .milliseconds(10 * placement.index), "order \(placement.index)")
                }
                for (earlier, later) in zip(placements, placements.dropFirst()) { #expect(later.sentAt >= earlier.sentAt) }
            }
        }

        @Test("Against a port nobody listens on, every POST fails with the reason and the run ends", .timeLimit(.minutes(1)))
        func deadServer() async throws {
            let port = try TestEnvironment.freePort()
            let client = PlacementClient(target: try PlacementClient.Target(baseURL: "http://127.0.0.1:\(port)"),
                                         bodies: Array(repeating: OrderRequests.body(), count: 5),
                                         ratePerSecond: nil, concurrency: 3, timeout: .seconds(30)) { _ in }
            let placements = try await client.run().get()

            #expect(placements.map(\.index) == [0, 1, 2, 3, 4])
            for placement in placements {
                #expect(placement.orderId == nil)
                #expect(placement.failure?.status == nil)
                #expect(placement.failure?.message.contains("cannot connect to 127.0.0.1:\(port)") == true, "\(String(describing: placement.failure))")
            }
        }

        @Test("A server that never answers: each POST fails when its time is up, and the run ends", .timeLimit(.minutes(1)))
        func silentServer() async throws {
            let listener = try TestEnvironment.silentListener()
            defer { close(listener.fd) }
            let client = PlacementClient(target: try PlacementClient.Target(baseURL: "http://127.0.0.1:\(listener.port)"),
                                         bodies: Array(repeating: OrderRequests.body(), count: 3),
                                         ratePerSecond: nil, concurrency: 2, timeout: .milliseconds(300)) { _ in }
            let placements = try await client.run().get()

            #expect(placements.map(\.index) == [0, 1, 2])
            for placement in placements {
                #expect(placement.orderId == nil)
                #expect(placement.failure?.message == "no answer within 300 ms", "\(String(describing: placement.failure))")
                #expect(placement.answeredAt - placement.sentAt >= .milliseconds(299))
            }
        }

        @Test("Only plain http:// base URLs are taken, with a clear error otherwise")
        func refusesOtherSchemes() throws {
            #expect(throws: LoadError.self) { try PlacementClient.Target(baseURL: "https://127.0.0.1:8443") }
            #expect(throws: LoadError.self) { try PlacementClient.Target(baseURL: "127.0.0.1:8080") }
            let target = try PlacementClient.Target(baseURL: "http://127.0.0.1:8080/shop")
            #expect(target.host == "127.0.0.1")
            #expect(target.port == 8080)
            #expect(target.hostHeader == "127.0.0.1:8080")
            #expect(target.uri == "/shop/api/orders")
        }
    }
}

/// The order ids a client handed on (from its event loop).
private final class IdsSeen: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [String] = []
    func add(_ id: String) { lock.withLock { seen.append(id) } }
    var ids: [String] { lock.withLock { seen } }
}
