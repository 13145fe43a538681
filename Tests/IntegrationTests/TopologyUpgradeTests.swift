import Domain
import Foundation
import Infrastructure
import Testing

extension IntegrationTests {
    /// What a process declares at start on a broker an older version set up.
    @Suite("Topology upgrade")
    struct TopologyUpgradeTests {
        @Test("Starting removes the bindings earlier versions made (kitchen ← accepted, baking; delivery ← out_for_delivery)")
        func retiredBindingsAreRemoved() throws {
            let configuration = try TestEnvironment.amqp(vhost: "t24")
            let connection = try AMQPConnection(configuration: configuration)
            defer { connection.close() }
            // The broker as earlier versions left it, written out.
            try connection.declareExchange(Topology.exchange, type: "topic", durable: true)
            let old = [("kitchen", "order.accepted"), ("kitchen", "order.baking"), ("delivery", "order.out_for_delivery")]
            for (queue, key) in old {
                try connection.declareQueue(queue, durable: true)
                try connection.bindQueue(queue, exchange: Topology.exchange, routingKey: key)
            }
            try Topology().declare(on: connection)

            let broker = try BrokerClient(vhost: "t24")
            let queues = ["kitchen", "delivery", "email"]
            let before = try queues.map { try broker.messageCount($0) }
            let orderId = "upgrade-\(UUID().uuidString.prefix(8))"
            for (seq, status) in [(2, OrderStatus.accepted), (3, .baking), (5, .outForDelivery)] {
                try broker.publish(.statusChanged(OrderStatusChanged(eventId: UUID().uuidString, orderId: orderId, seq: seq,
                                                                     occurredAt: Date(), status: status)))
            }
            let after = try queues.map { try broker.messageCount($0) }
            #expect(after[0] == before[0], "the kitchen queue takes none of them")
            #expect(after[1] == before[1], "the delivery queue takes none of them")
            #expect(after[2] == before[2] + 1, "the email queue still takes out_for_delivery")
        }
    }
}
