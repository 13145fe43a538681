import Domain
import Foundation
import Infrastructure
import Testing

extension IntegrationTests {
    /// The outbox between the commits and the broker.
    @Suite("Outbox")
    struct OutboxTests {
        @Test("Every committed event is published and then leaves the outbox, also when no later commit comes to delete it")
        func outboxEmptiesAfterTheLastConfirm() async throws {
            try await withPipeline("outbox-empties", vhost: "t22", stageSeconds: 0) { pipeline in
                var ids: [String] = []
                for index in 0..<10 { ids.append(try await OrderRequests.place(pipeline.baseURL, name: "Outbox \(index)").id) }
                let probe = try StoreProbe(pipeline)
                #expect(try await eventually(timeout: .seconds(30)) { try probe.deliveredCount() == 10 })
                // The last confirms arrive after the last commit: the relays' own passes delete them.
                #expect(try await eventually(timeout: .seconds(5)) { try probe.count("SELECT COUNT(*) FROM outbox") == 0 })
                // Six events per order went out (placed … delivered): each step is in the history once.
                for id in ids { #expect(try probe.seqs(id) == [1, 2, 3, 4, 5, 6]) }
                let broker = try BrokerClient(vhost: pipeline.vhost)
                for queue in ["kitchen", "delivery", "email"] { #expect(try broker.messageCount("\(queue).dead") == 0, "\(queue).dead") }
            }
        }
    }
}
