import Domain
import Foundation
import Infrastructure
import Testing

extension IntegrationTests {
    /// Redelivered and duplicated messages change nothing twice; any AMQP producer can place orders.
    @Suite("Duplicates and partners")
    struct DuplicateEventTests {
        @Test("The same OrderPlaced twice, and again under a new message id, leaves one order, one history, three emails")
        func duplicatedOrderPlaced() async throws {
            try await withPipeline("duplicates", vhost: "t3") { pipeline in
                let broker = try BrokerClient(vhost: pipeline.vhost)
                let event = PartnerEvents.orderPlaced()
                try broker.publish(.placed(event))
                try broker.publish(.placed(event))  // same message id
                var again = event
                again.eventId = UUID().uuidString  // same order, new message id
                try broker.publish(.placed(again))

                let probe = try StoreProbe(pipeline)
                let delivered = try await eventually(timeout: .seconds(60)) { try probe.deliveredCount() == 1 }
                #expect(delivered)
                _ = try await eventually(timeout: .seconds(10)) { try probe.emailKinds(event.orderId).count == 3 }
                // Give any stray duplicate time to show itself before counting.
                try await Task.sleep(for: .seconds(1))
                #expect(try probe.count("SELECT COUNT(*) FROM orders") == 1)
                #expect(try probe.history(event.orderId) == fullHistory)
                #expect(try probe.emailKinds(event.orderId) == threeEmails)
                #expect(pipeline.mailFiles(orderId: event.orderId).count == 3)
                #expect(try broker.messageCount("kitchen.dead") == 0)
                #expect(try broker.messageCount("email.dead") == 0)
            }
        }

        @Test("An OrderPlaced published straight to the exchange by a plain AMQP client is processed like any other")
        func partnerOrder() async throws {
            try await withPipeline("partner", vhost: "t4") { pipeline in
                let broker = try BrokerClient(vhost: pipeline.vhost)
                let event = PartnerEvents.orderPlaced()
                try broker.publish(.placed(event))
                let probe = try StoreProbe(pipeline)
                let delivered = try await eventually(timeout: .seconds(60)) { try probe.deliveredCount() == 1 }
                #expect(delivered)
                #expect(try probe.history(event.orderId) == fullHistory)
                _ = try await eventually(timeout: .seconds(10)) { try probe.emailKinds(event.orderId).count == 3 }
                #expect(try probe.emailKinds(event.orderId) == threeEmails)
                #expect(try probe.count("SELECT total_cents FROM orders WHERE id = ?", [event.orderId]) == 2800)
                #expect(try probe.count("SELECT COUNT(*) FROM orders WHERE id = ? AND source = 'amqp'", [event.orderId]) == 1)
                let mail = try String(contentsOf: pipeline.maildir.appendingPathComponent("new/\(event.orderId).confirmed.eml"), encoding: .utf8)
                #expect(mail.contains("To: \"Phone Desk Customer\" <desk@example.com>"))
                #expect(mail.contains("2 x Diavola (large)"))
            }
        }

        @Test("Poison messages go to the dead-letter queue with their reason, and good ones keep flowing")
        func poisonMessages() async throws {
            try await withPipeline("poison", vhost: "t5") { pipeline in
                let broker = try BrokerClient(vhost: pipeline.vhost)
                func raw(_ body: String, type: String = "OrderPlaced") -> AMQPOutgoingMessage {
                    AMQPOutgoingMessage(exchange: Topology.exchange, routingKey: "order.placed", body: Data(body.utf8),
                                        properties: AMQPProperties(contentType: "application/json", deliveryMode: 2,
                                                                   messageId: UUID().uuidString, type: type))
                }
                try broker.publish(raw("this is not json"))
                try broker.publish(raw(#"{"type":"OrderExploded","eventId":"e1","orderId":"o1","seq":1,"occurredAt":"2026-11-23T10:00:00Z"}"#))
                var missingEmail = String(decoding: EventCodec.encode(.placed(PartnerEvents.orderPlaced())), as: UTF8.self)
                missingEmail = missingEmail.replacingOccurrences(of: #""email":"desk@example.com","#, with: "")
                try broker.publish(raw(missingEmail))
                try broker.publish(.placed(PartnerEvents.orderPlaced(pizzaId: "pineapple-surprise")))
            var futureSchema = EventProperties.message(for: .placed(PartnerEvents.orderPlaced()))
            futureSchema.properties.headers[EventProperties.schemaHeader] = .int(2)
            try broker.publish(futureSchema)
            let badSeq = String(decoding: EventCodec.encode(.placed(PartnerEvents.orderPlaced())), as: UTF8.self)
                .replacingOccurrences(of: #""seq":1"#, with: #""seq":"one""#)
            try broker.publish(raw(badSeq))
                let good = PartnerEvents.orderPlaced()
                try broker.publish(.placed(good))

                let probe = try StoreProbe(pipeline)
                #expect(try await eventually(timeout: .seconds(60)) { try probe.deliveredCount() == 1 })
                #expect(try await eventually(timeout: .seconds(10)) { try broker.messageCount("kitchen.dead") == 6 })
                let dead = try broker.peek("kitchen.dead")
                let reasons = dead.compactMap { $0.properties.headers[FailureHeaders.error]?.stringValue }
                #expect(reasons.count == 6)
                #expect(reasons.contains { $0.hasPrefix("unsupported schema version 2") })
                #expect(reasons.contains("invalid field seq: wrong type"))
                #expect(reasons.contains("body is not a JSON object"))
                #expect(reasons.contains { $0.contains("unknown event type \"OrderExploded\"") })
                #expect(reasons.contains("missing field customer.email"))
                #expect(reasons.contains("unknown pizza \"pineapple-surprise\""))
                for message in dead {
                    #expect(message.properties.headers[FailureHeaders.queue]?.stringValue == "kitchen")
                    #expect(message.properties.headers[FailureHeaders.routingKey]?.stringValue == "order.placed")
                    #expect(message.properties.headers[FailureHeaders.attempts]?.intValue == 1)
                    #expect(message.properties.headers[FailureHeaders.failedAt]?.stringValue.flatMap(Timestamp.parse) != nil)
                    #expect(message.properties.messageId != nil)
                }
                #expect(dead.contains { String(decoding: $0.body, as: UTF8.self) == "this is not json" }, "the body is kept untouched")
                #expect(try probe.count("SELECT COUNT(*) FROM orders") == 1)
            }
        }
    }
}
