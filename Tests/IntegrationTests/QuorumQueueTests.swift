import Domain
import Foundation
import Infrastructure
import Logging
import Testing

extension IntegrationTests {
    /// Work queues as RabbitMQ quorum queues (`PIZZERIA_AMQP_QUEUE_TYPE=quorum`), and what happens
    /// when the setting meets queues an earlier deployment made with the other type.
    @Suite("Quorum work queues")
    struct QuorumQueueTests {
        @Test("With quorum work queues, orders reach delivered, a failing email retries through the delay queues and goes out once")
        func pipelineOnQuorumQueues() async throws {
            let pipeline = try PipelineHarness(name: "quorum", vhost: "t29")
            let mail = try FailureTests.BlockedMaildir(in: pipeline.directory)
            pipeline.overrides = ["PIZZERIA_AMQP_QUEUE_TYPE": "quorum", "PIZZERIA_MAILDIR": mail.maildir.path,
                                  "PIZZERIA_RETRY_DELAYS": "1,1,1"]
            defer { pipeline.stop() }
            try await pipeline.start()
            let orders = try await OrderRequests.placeConcurrently(pipeline.baseURL, count: 10)

            // The queues the processes declared are quorum queues: a classic declaration is refused,
            // and the topology reports each queue as kept with the type it has.
            let connection = try AMQPConnection(configuration: try TestEnvironment.amqp(vhost: pipeline.vhost))
            defer { connection.close() }
            let kept = try Topology(workQueueType: .classic).declare(on: connection)
            #expect(kept.map(\.queue).sorted() == ["delivery", "email", "kitchen"])
            #expect(kept.allSatisfy { $0.existing == .quorum && $0.configured == .classic })

            let retried = await eventually(timeout: .seconds(20)) {
                await pipeline.workerMetric("pizzeria_messages_retried_total", labels: ["queue": "email", "reason": "mail"]) >= 1
            }
            #expect(retried, "the blocked maildir made no email retry")
            try mail.unblock()

            let probe = try StoreProbe(pipeline)
            #expect(try await eventually(timeout: .seconds(60)) { try probe.deliveredCount() == 10 })
            #expect(try await eventually(timeout: .seconds(30)) { try probe.count("SELECT COUNT(*) FROM emails") == 30 })
            for order in orders {
                #expect(try probe.history(order.id) == fullHistory, "order \(order.id)")
                #expect(try probe.emailKinds(order.id) == threeEmails, "order \(order.id)")
                #expect(mail.files(orderId: order.id).count == 3, "order \(order.id)")
            }
            let broker = try BrokerClient(vhost: pipeline.vhost)
            for queue in ["kitchen", "delivery", "email", "email.dead"] {
                #expect(try broker.messageCount(queue) == 0, "\(queue) still holds messages")
            }
        }

        @Test("A process set to quorum keeps a classic work queue an earlier version made, reports it, and goes on using it")
        func existingClassicQueueIsKept() throws {
            let configuration = try TestEnvironment.amqp(vhost: "t30")
            let connection = try AMQPConnection(configuration: configuration)
            defer { connection.close() }
            try Topology(workQueueType: .classic).declare(on: connection)  // as every version before session 29 did

            let kept = try Topology(workQueueType: .quorum).declare(on: connection)
            #expect(kept == ["kitchen", "delivery", "email"].map { Topology.KeptQueueType(queue: $0, existing: .classic, configured: .quorum) })
            // The channel the refusals closed is open again, and the queues still take their events.
            let before = try connection.declareQueue("kitchen", durable: true, passive: true).messages
            let broker = try BrokerClient(vhost: "t30")
            try broker.publish(.placed(PartnerEvents.orderPlaced()))
            #expect(try broker.messageCount("kitchen") == before + 1)
        }
    }
}
