import Domain
import Foundation
import Glibc
import Infrastructure
import Testing

extension IntegrationTests {
    /// The pipeline, end to end, on real RabbitMQ, Redis and SQLite, through the real executables.
    @Suite("End to end")
    struct EndToEndTests {
        @Test("50 orders placed over HTTP all reach delivered, with their history, live notices, emails and worker metrics")
        func fiftyOrders() async throws {
            try await withPipeline("fifty-orders", vhost: "t1") { pipeline in
                let recorder = try RedisRecorder()
                defer { recorder.stop() }
                let orders = try await OrderRequests.placeConcurrently(pipeline.baseURL, count: 50)
                #expect(Set(orders.map(\.id)).count == 50)

                let probe = try StoreProbe(pipeline)
                let allDelivered = try await eventually(timeout: .seconds(90)) { try probe.deliveredCount() == 50 }
                #expect(allDelivered, "not all 50 orders were delivered")
                let allMailed = try await eventually(timeout: .seconds(30)) { try probe.count("SELECT COUNT(*) FROM emails") == 150 }
                #expect(allMailed)

                for order in orders {
                    #expect(try probe.history(order.id) == fullHistory, "order \(order.id)")
                    #expect(try probe.seqs(order.id) == [1, 2, 3, 4, 5, 6])
                    #expect(try probe.emailKinds(order.id) == threeEmails)
                    #expect(pipeline.mailFiles(orderId: order.id).count == 3)
                }
                #expect(pipeline.allMailFiles().count == 150)

                // Live notices: each order's channel saw its six steps, in order, once.
                let channelsComplete = await eventually(timeout: .seconds(10)) {
                    orders.allSatisfy { recorder.notices(on: "order:\($0.id)").count >= 6 }
                }
                #expect(channelsComplete)
                for order in orders {
                    let notices = recorder.notices(on: "order:\(order.id)")
                    #expect(notices.map(\.status) == fullHistory, "order \(order.id)")
                    #expect(notices.map(\.seq) == [1, 2, 3, 4, 5, 6])
                }
                #expect(recorder.notices(on: "kitchen").count >= 300)

                // The customer sees the same history through the API.
                let first = orders[0]
                let (status, body) = try await HTTP.get("\(pipeline.baseURL)/api/orders/\(first.id)", headers: [("X-Tracking-Token", first.token)])
                #expect(status == 200)
                let json = HTTP.json(body)
                #expect(json["status"] as? String == "delivered")
                #expect((json["history"] as? [[String: Any]])?.compactMap { $0["status"] as? String } == fullHistory.map(\.rawValue))

                // The worker process' own /metrics counted every message its queues handled (each order:
                // one kitchen ticket, two delivery steps, three emails), and its small server answers
                // an operator's other requests with JSON, not an empty page.
                #expect(await pipeline.workerMetric("pizzeria_messages_handled_total", labels: ["queue": "kitchen"]) >= 50)
                #expect(await pipeline.workerMetric("pizzeria_messages_handled_total", labels: ["queue": "email"]) >= 150)
                let metricsBase = "http://127.0.0.1:\(pipeline.metricsPort)"
                let (healthStatus, healthBody) = try await HTTP.get("\(metricsBase)/health")
                #expect(healthStatus == 200)
                #expect(HTTP.json(healthBody)["status"] as? String == "ok")
                let (missingStatus, missingBody) = try await HTTP.get("\(metricsBase)/api/orders")
                #expect(missingStatus == 404)
                #expect(HTTP.json(missingBody)["code"] as? String == "not_found")
                let (postStatus, postBody) = try await HTTP.post("\(metricsBase)/metrics", body: Data("{}".utf8))
                #expect(postStatus == 405)
                #expect(HTTP.json(postBody)["code"] as? String == "method_not_allowed")
            }
        }

        @Test("A worker killed with SIGKILL mid-stream and restarted loses nothing and repeats nothing")
        func workerKilledMidStream() async throws {
            try await withPipeline("worker-killed", vhost: "t2", stageSeconds: 0.3) { pipeline in
                let probe = try StoreProbe(pipeline)
                var orders: [String] = []
                for index in 0..<30 {
                    orders.append(try await OrderRequests.place(pipeline.baseURL, name: "Kill test \(index)").id)
                }
                // Let some orders get part of the way, then pull the plug.
                let progressed = try await eventually(timeout: .seconds(30)) {
                    try probe.count("SELECT COUNT(*) FROM order_events WHERE status = 'baking'") >= 5
                }
                #expect(progressed)
                pipeline.killWorkers(signal: SIGKILL)
                let deliveredAtKill = try probe.deliveredCount()
                #expect(deliveredAtKill < 30, "the kill came too late to test anything")
                try pipeline.startWorkers()

                let allDelivered = try await eventually(timeout: .seconds(90)) { try probe.deliveredCount() == 30 }
                #expect(allDelivered, "not all 30 orders were delivered after the restart")
                _ = try await eventually(timeout: .seconds(30)) { try probe.count("SELECT COUNT(*) FROM emails") == 90 }
                for id in orders {
                    #expect(try probe.history(id) == fullHistory, "order \(id)")
                    #expect(try probe.emailKinds(id) == threeEmails, "order \(id)")
                    #expect(pipeline.mailFiles(orderId: id).count == 3)
                }
            }
        }
    }
}
