import Domain
import Foundation
import Infrastructure
import Testing

extension IntegrationTests {
    /// The state machine guards the order whoever publishes.
    @Suite("Impossible transitions")
    struct TransitionTests {
        @Test("An event asking for an impossible transition is a dead letter with that reason; the order is untouched")
        func impossibleTransition() async throws {
            try await withPipeline("impossible", vhost: "t21", stageSeconds: 60) { pipeline in
                let order = try await OrderRequests.place(pipeline.baseURL)
                let probe = try StoreProbe(pipeline)
                #expect(try await eventually(timeout: .seconds(20)) { try probe.history(order.id) == [.placed, .accepted] })
                // Someone claims the order is ready (long enough ago for the dispatch to be due) while it
                // is only accepted: the delivery worker would send it out.
                let bogus = OrderStatusChanged(eventId: UUID().uuidString, orderId: order.id, seq: 3,
                                               occurredAt: Date().addingTimeInterval(-120), status: .ready)
                let broker = try BrokerClient(vhost: pipeline.vhost)
                try broker.publish(.statusChanged(bogus))
                #expect(try await eventually(timeout: .seconds(10)) { try broker.messageCount("delivery.dead") == 1 })
                let letter = try #require(try broker.peek("delivery.dead").first)
                #expect(letter.properties.headers[FailureHeaders.error]?.stringValue == "impossible transition from accepted to out_for_delivery")
                #expect(letter.properties.messageId == bogus.eventId)
                #expect(try probe.history(order.id) == [.placed, .accepted])
            }
        }
    }
}
