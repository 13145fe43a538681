import Foundation
import Testing

extension IntegrationTests {
    /// `pizzeria load` against the real pipeline: what it reports is what the database holds.
    @Suite("Load command")
    struct LoadCommandTests {
        @Test("pizzeria load places 200 orders, sees each delivered on Redis and reports sane percentiles")
        func twoHundredOrders() async throws {
            try await withPipeline("load", vhost: "t16", stageSeconds: 0) { pipeline in
                // The harness' environment carries PIZZERIA_REDIS_URL, so the subprocess watches the test Redis.
                let (status, output) = try pipeline.cli(["load", "--orders", "200", "--concurrency", "16", "--json",
                                                         "--base-url", pipeline.baseURL])
                #expect(status == 0, "pizzeria load failed: \(output)")
                let report = HTTP.json(Data(output.utf8))
                #expect(report["ok"] as? Bool == true)
                #expect(report["created"] as? Int == 200)
                #expect(report["delivered"] as? Int == 200)
                #expect((Self.number(report["endToEndOrdersPerSecond"]) ?? 0) > 0)
                #expect((report["failedPosts"] as? [Any])?.isEmpty == true)
                #expect((report["undelivered"] as? [Any])?.isEmpty == true)
                #expect((report["repeated"] as? [Any])?.isEmpty == true)

                let latencies = report["latencyMs"] as? [String: Any] ?? [:]
                for stage in ["created", "accepted", "delivered"] {
                    let summary = latencies[stage] as? [String: Any] ?? [:]
                    let p50 = Self.number(summary["p50"]) ?? -1
                    let p90 = Self.number(summary["p90"]) ?? -1
                    let p99 = Self.number(summary["p99"]) ?? -1
                    let max = Self.number(summary["max"]) ?? -1
                    #expect(summary["count"] as? Int == 200, "\(stage)")
                    #expect(p50 >= 0, "\(stage)")
                    #expect(p50 <= p90 && p90 <= p99 && p99 <= max, "\(stage): \(summary)")
                }

                let probe = try StoreProbe(pipeline)
                #expect(try probe.deliveredCount() == 200)
                #expect(try probe.count("SELECT COUNT(*) FROM orders") == 200)
            }
        }

        /// A JSON number, whether it was written with a fraction or not.
        static func number(_ value: Any?) -> Double? {
            switch value {
            case let double as Double: double
            case let int as Int: Double(int)
            default: nil
            }
        }
    }
}
