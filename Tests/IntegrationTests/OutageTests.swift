import Domain
import Foundation
import Glibc
import Testing

extension IntegrationTests {
    /// Broker and Redis outages: orders are still taken, and everything completes when they return.
    @Suite("Outages")
    struct OutageTests {
        /// Runs the test node's `rabbitmqctl` (set by ops/test).
        static func rabbitmqctl(_ arguments: String...) throws {
            guard let path = TestEnvironment.environment["PIZZERIA_TEST_RABBITMQCTL"] else {
                throw TestSetupError("PIZZERIA_TEST_RABBITMQCTL is not set: run through ops/test")
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw TestSetupError("rabbitmqctl \(arguments) failed") }
        }

        @Test("RabbitMQ stopped and restarted during a stream of orders, and a worker SIGKILLed: every order is delivered, nothing twice")
        func brokerOutageAndWorkerKill() async throws {
            try await withPipeline("broker-outage", vhost: "t13", stageSeconds: 0.1) { pipeline in
                let probe = try StoreProbe(pipeline)
                var orders: [String] = []
                for index in 0..<15 { orders.append(try await OrderRequests.place(pipeline.baseURL, name: "Before \(index)").id) }

                try Self.rabbitmqctl("stop_app")
                var broker = true
                defer { if !broker { try? Self.rabbitmqctl("start_app") } }
                broker = false
                // With the broker gone, the web front still takes orders: they wait in the outbox.
                for index in 0..<10 {
                    let (status, body) = try await HTTP.post("\(pipeline.baseURL)/api/orders", body: OrderRequests.body(name: "During \(index)"))
                    #expect(status == 201)
                    if let id = HTTP.json(body)["id"] as? String { orders.append(id) }
                }
                #expect(try probe.count("SELECT COUNT(*) FROM outbox") >= 10)
                try Self.rabbitmqctl("start_app")
                broker = true

                // The workers reconnect by themselves; one of them dies mid-stream on the way.
                _ = try await eventually(timeout: .seconds(30)) { try probe.deliveredCount() >= 16 }
                pipeline.killWorkers(signal: SIGKILL)
                for index in 0..<5 { orders.append(try await OrderRequests.place(pipeline.baseURL, name: "After \(index)").id) }
                try pipeline.startWorkers()

                #expect(try await eventually(timeout: .seconds(120)) { try probe.deliveredCount() == orders.count })
                #expect(try await eventually(timeout: .seconds(30)) { try probe.count("SELECT COUNT(*) FROM emails") == orders.count * 3 })
                #expect(try await eventually(timeout: .seconds(10)) { try probe.count("SELECT COUNT(*) FROM outbox") == 0 })
                for id in orders {
                    #expect(try probe.history(id) == fullHistory, "order \(id)")
                    #expect(try probe.emailKinds(id) == threeEmails, "order \(id)")
                    #expect(pipeline.mailFiles(orderId: id).count == 3, "order \(id)")
                }
            }
        }

        @Test("With Redis unreachable, statuses are still committed and nothing crashes")
        func redisDown() async throws {
            let deadPort = try TestEnvironment.freePort()
            try await withPipeline("redis-down", vhost: "t14", overrides: ["PIZZERIA_REDIS_URL": "redis://127.0.0.1:\(deadPort)"]) { pipeline in
                let probe = try StoreProbe(pipeline)
                var orders: [(id: String, token: String)] = []
                for index in 0..<5 { orders.append(try await OrderRequests.place(pipeline.baseURL, name: "No Redis \(index)")) }
                #expect(try await eventually(timeout: .seconds(60)) { try probe.deliveredCount() == 5 })
                for order in orders { #expect(try probe.history(order.id) == fullHistory) }
                // Live tracking still works: the stream catches up from SQLite.
                let stream = try await SSEClient.read("\(pipeline.baseURL)/api/orders/\(orders[0].id)/events?token=\(orders[0].token)")
                #expect(stream.events.map(\.id) == ["1", "2", "3", "4", "5", "6"])
                let (ready, _) = try await HTTP.get("\(pipeline.baseURL)/ready")
                #expect(ready == 200)
            }
        }
    }
}
