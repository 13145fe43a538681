import Foundation
import Testing

extension IntegrationTests {
    /// Live tracking over Server-Sent Events.
    @Suite("Live events (SSE)")
    struct LiveEventsTests {
        @Test("A client that drops after two events and reconnects with Last-Event-ID gets exactly the missed ones, in order, once")
        func resume() async throws {
            try await withPipeline("sse-resume", vhost: "t9", stageSeconds: 0.4) { pipeline in
                let order = try await OrderRequests.place(pipeline.baseURL)
                let url = "\(pipeline.baseURL)/api/orders/\(order.id)/events?token=\(order.token)"
                let first = try await SSEClient.read(url) { $0.count >= 2 }
                #expect(first.status == 200)
                #expect(first.events.map(\.id) == ["1", "2"])
                #expect(first.events.map(\.event) == ["status", "status"])
                #expect(first.events.first?.data.contains("\"status\":\"placed\"") == true)

                let rest = try await SSEClient.read(url, headers: [("Last-Event-ID", "2")])
                #expect(rest.events.map(\.id) == ["3", "4", "5", "6"], "the stream ends by itself after delivered")
                let statuses = rest.events.compactMap { HTTP.json(Data($0.data.utf8))["status"] as? String }
                #expect(statuses == ["baking", "ready", "out_for_delivery", "delivered"])
            }
        }

        @Test("The event stream of an order needs its tracking token")
        func streamNeedsToken() async throws {
            try await withPipeline("sse-token", vhost: "t10", startWorkers: false) { pipeline in
                let order = try await OrderRequests.place(pipeline.baseURL)
                let (status, body) = try await HTTP.get("\(pipeline.baseURL)/api/orders/\(order.id)/events?token=wrong")
                #expect(status == 404)
                #expect(HTTP.json(body)["code"] as? String == "not_found")
            }
        }
    }
}
