import Foundation
import Testing

extension IntegrationTests {
    /// The email worker's gather window, against the broker's prefetch.
    @Suite("Email batches")
    struct EmailBatchTests {
        @Test("A batch that holds every message the broker may send goes out at once, without waiting out the gather window")
        func fullBatchDoesNotWait() async throws {
            // The broker sends at most 4 unacked messages; the gather window is a minute. 4 orders make
            // 12 emails: three batches of 4, each full as soon as it arrives.
            try await withPipeline("email-batch", vhost: "t25",
                                   overrides: ["PIZZERIA_PREFETCH": "4", "PIZZERIA_EMAIL_GATHER_SECONDS": "60"]) { pipeline in
                let orders = try await OrderRequests.placeConcurrently(pipeline.baseURL, count: 4)
                let probe = try StoreProbe(pipeline)
                let mailed = try await eventually(timeout: .seconds(20)) { try probe.count("SELECT COUNT(*) FROM emails") == 12 }
                let sent = try probe.count("SELECT COUNT(*) FROM emails")
                #expect(mailed, "emails sent: \(sent) of 12")
                for order in orders { #expect(pipeline.mailFiles(orderId: order.id).count == 3, "order \(order.id)") }
            }
        }
    }
}
