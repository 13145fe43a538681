import Foundation
import Testing

extension IntegrationTests {
    /// The JSON API as a client sees it: validation errors, idempotency keys, token-protected reads.
    @Suite("HTTP API")
    struct HTTPAPITests {
        @Test("Bad input gets a 4xx with a stable code and a message; nothing is stored")
        func validation() async throws {
            try await withPipeline("http-validation", vhost: "t6", startWorkers: false) { pipeline in
                let url = "\(pipeline.baseURL)/api/orders"
                func expectError(_ body: Data, status: Int, code: String, field: String? = nil,
                                 sourceLocation: SourceLocation = #_sourceLocation) async throws {
                    let (got, data) = try await HTTP.post(url, body: body)
                    let json = HTTP.json(data)
                    #expect(got == status, sourceLocation: sourceLocation)
                    #expect(json["code"] as? String == code, sourceLocation: sourceLocation)
                    #expect((json["message"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
                    if let field { #expect(json["field"] as? String == field, sourceLocation: sourceLocation) }
                }
                try await expectError(Data("not json".utf8), status: 400, code: "invalid_json")
                try await expectError(Data("{}".utf8), status: 422, code: "missing_field", field: "customer")
                try await expectError(OrderRequests.body(items: []), status: 422, code: "empty_cart", field: "items")
                try await expectError(OrderRequests.body(email: "not-an-email"), status: 422, code: "invalid_field", field: "customer.email")
                try await expectError(OrderRequests.body(items: [["pizzaId": "hawaiian", "size": "large", "quantity": 1]]),
                                      status: 422, code: "unknown_pizza", field: "items[0].pizzaId")
                try await expectError(OrderRequests.body(items: [["pizzaId": "margherita", "size": "medium", "quantity": 0]]),
                                      status: 422, code: "invalid_field", field: "items[0].quantity")
                try await expectError(OrderRequests.body(items: Array(repeating: ["pizzaId": "margherita", "size": "small", "quantity": 1], count: 21)),
                                      status: 422, code: "too_many_items", field: "items")
                try await expectError(Data(#"{"customer":{"name":"A","email":"a@b.co","phone":"12345","address":"x"},"items":[{"pizzaId":"margherita","size":"medium","quantity":"two"}]}"#.utf8),
                                      status: 422, code: "invalid_field", field: "items[0].quantity")
                let huge = Data(repeating: UInt8(ascii: "a"), count: 200 * 1024)
                try await expectError(huge, status: 413, code: "payload_too_large")

                let (missing, body) = try await HTTP.get("\(pipeline.baseURL)/api/nothing-here")
                #expect(missing == 404)
                #expect(HTTP.json(body)["code"] as? String == "not_found")
                #expect(try StoreProbe(pipeline).count("SELECT COUNT(*) FROM orders") == 0)
            }
        }

        @Test("A repeated Idempotency-Key returns the first order; a different body with it is refused")
        func idempotencyKey() async throws {
            try await withPipeline("http-idempotency", vhost: "t7", startWorkers: false) { pipeline in
                let url = "\(pipeline.baseURL)/api/orders"
                let headers = [("content-type", "application/json"), ("Idempotency-Key", "checkout-42")]
                let (firstStatus, first) = try await HTTP.post(url, body: OrderRequests.body(), headers: headers)
                let (secondStatus, second) = try await HTTP.post(url, body: OrderRequests.body(), headers: headers)
                #expect(firstStatus == 201)
                #expect(secondStatus == 201)
                #expect(HTTP.json(first)["id"] as? String != nil)
                #expect(HTTP.json(first)["id"] as? String == HTTP.json(second)["id"] as? String)
                #expect(HTTP.json(first)["trackingToken"] as? String == HTTP.json(second)["trackingToken"] as? String)
                let (conflict, body) = try await HTTP.post(url, body: OrderRequests.body(name: "Someone Else"), headers: headers)
                #expect(conflict == 409)
                #expect(HTTP.json(body)["code"] as? String == "idempotency_key_reused")
                let probe = try StoreProbe(pipeline)
                #expect(try probe.count("SELECT COUNT(*) FROM orders") == 1)
                #expect(try probe.count("SELECT COUNT(*) FROM outbox") + (try probe.count("SELECT COUNT(*) FROM order_events")) >= 1)
            }
        }

        @Test("An order is visible only with its tracking token; a wrong or missing token is a plain 404")
        func trackingToken() async throws {
            try await withPipeline("http-token", vhost: "t8", startWorkers: false) { pipeline in
                let order = try await OrderRequests.place(pipeline.baseURL)
                let base = "\(pipeline.baseURL)/api/orders/\(order.id)"
                let (ok, body) = try await HTTP.get(base, headers: [("X-Tracking-Token", order.token)])
                #expect(ok == 200)
                #expect(HTTP.json(body)["id"] as? String == order.id)
                #expect(HTTP.json(body)["status"] as? String == "placed")
                let (viaQuery, _) = try await HTTP.get("\(base)?token=\(order.token)")
                #expect(viaQuery == 200)
                let wrongToken = String(order.token.reversed())
                let (wrong, wrongBody) = try await HTTP.get(base, headers: [("X-Tracking-Token", wrongToken)])
                let (none, noneBody) = try await HTTP.get(base)
                let (unknown, unknownBody) = try await HTTP.get("\(pipeline.baseURL)/api/orders/00000000-0000-0000-0000-000000000000",
                                                                headers: [("X-Tracking-Token", order.token)])
                let statuses: [Int] = [wrong, none, unknown]
                #expect(statuses == [404, 404, 404])
                // The three answers are identical: nothing tells that the order exists.
                #expect(wrongBody == noneBody)
                #expect(noneBody == unknownBody)
                #expect(try StoreProbe(pipeline).count("SELECT COUNT(*) FROM orders WHERE tracking_token_hash = ?", [order.token]) == 0,
                        "the token is stored hashed, never in clear")
            }
        }
    }
}
