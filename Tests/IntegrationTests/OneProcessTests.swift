import Domain
import Foundation
import Testing

extension IntegrationTests {
    /// `pizzeria serve --workers all`: the web front and the three workers in one process, sharing
    /// one SQLite writer and one outbox relay.
    @Suite("One process")
    struct OneProcessTests {
        @Test("serve --workers all delivers orders with their history, live notices and emails, with no work process")
        func serveWithWorkers() async throws {
            try await withPipeline("one-process", vhost: "t23", startWorkers: false,
                                   overrides: ["PIZZERIA_SERVE_WORKERS": "all"]) { pipeline in
                let recorder = try RedisRecorder()
                defer { recorder.stop() }
                let orders = try await OrderRequests.placeConcurrently(pipeline.baseURL, count: 20)
                let probe = try StoreProbe(pipeline)
                #expect(try await eventually(timeout: .seconds(60)) { try probe.deliveredCount() == 20 })
                #expect(try await eventually(timeout: .seconds(30)) { try probe.count("SELECT COUNT(*) FROM emails") == 60 })
                for order in orders {
                    #expect(try probe.history(order.id) == fullHistory, "order \(order.id)")
                    #expect(pipeline.mailFiles(orderId: order.id).count == 3)
                }
                let notified = await eventually(timeout: .seconds(10)) {
                    orders.allSatisfy { recorder.notices(on: "order:\($0.id)").map(\.status) == fullHistory }
                }
                #expect(notified)
                // The process' outbox is empty once everything is confirmed.
                #expect(try await eventually(timeout: .seconds(10)) { try probe.count("SELECT COUNT(*) FROM outbox") == 0 })
            }
        }

        @Test("serve --workers with an unknown role is refused with a message")
        func unknownRole() throws {
            let pipeline = try PipelineHarness(name: "one-process-bad", vhost: "t23")
            let result = try pipeline.cli(["serve", "--workers", "kitchen,bakery"])
            #expect(result.status != 0)
            let log = try String(contentsOf: pipeline.directory.appendingPathComponent("cli.log"), encoding: .utf8)
            #expect(log.contains("bakery"))
        }
    }
}
