import Foundation
import Testing

extension IntegrationTests {
    /// A quiet spell keeps the broker connections open: the relays' and the workers' publishers
    /// send their heartbeats while they have nothing to publish.
    @Suite("Heartbeats")
    struct HeartbeatTests {
        @Test("With 1 s heartbeats, an order placed after 6 quiet seconds goes through without a lost publisher connection")
        func quietSpellKeepsPublishersConnected() async throws {
            try await withPipeline("heartbeats", vhost: "t28", overrides: ["PIZZERIA_AMQP_HEARTBEAT_SECONDS": "1"]) { pipeline in
                let probe = try StoreProbe(pipeline)
                _ = try await OrderRequests.place(pipeline.baseURL, name: "Before the quiet")
                #expect(try await eventually(timeout: .seconds(30)) { try probe.deliveredCount() == 1 })

                // The broker closes a connection it has heard nothing from for two to three heartbeats.
                try await Task.sleep(for: .seconds(6))
                let after = try await OrderRequests.place(pipeline.baseURL, name: "After the quiet").id
                #expect(try await eventually(timeout: .seconds(30)) { try probe.deliveredCount() == 2 })
                #expect(try probe.history(after) == fullHistory)

                for log in ["serve.log", "work-1.log"] {
                    #expect(pipeline.logTail(log, matching: "amqp.publisher.lost").isEmpty, "\(log): \(pipeline.logTail(log, matching: "amqp.publisher.lost"))")
                    #expect(pipeline.logTail(log, matching: "outbox.relay.failed").isEmpty, "\(log)")
                    #expect(pipeline.logTail(log, matching: "worker.connection.lost").isEmpty, "\(log)")
                }
            }
        }
    }
}
