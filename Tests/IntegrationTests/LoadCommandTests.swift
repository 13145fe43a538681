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
                let timeline = FileManager.default.temporaryDirectory.appendingPathComponent("pizzeria-timeline-\(UUID().uuidString).jsonl")
                defer { try? FileManager.default.removeItem(at: timeline) }
                let (status, output) = try pipeline.cli(["load", "--orders", "200", "--concurrency", "16", "--json",
                                                         "--base-url", pipeline.baseURL, "--timeline", timeline.path])
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
                // The way to accepted in two parts, from the stamps (either can be a little below zero:
                // stamps are to the millisecond, and the watcher may see `placed` after the kitchen stamped).
                for part in ["placedToKitchen", "kitchenToAccepted"] {
                    let summary = latencies[part] as? [String: Any] ?? [:]
                    #expect(summary["count"] as? Int == 200, "\(part)")
                    let values = ["p50", "p90", "p99", "max"].map { Self.number(summary[$0]) ?? .nan }
                    #expect(values[0] <= values[1] && values[1] <= values[2] && values[2] <= values[3], "\(part): \(summary)")
                }

                // The timeline holds every order once, with the latencies the report summarised, and
                // the machine's samples; the steal split counts every accepted order once.
                let lines = try String(contentsOf: timeline, encoding: .utf8).split(separator: "\n").map { HTTP.json(Data($0.utf8)) }
                let orderLines = lines.filter { $0["order"] != nil }
                #expect(Set(orderLines.compactMap { $0["order"] as? Int }) == Set(0..<200))
                let accepted = orderLines.compactMap { Self.number($0["acceptedMs"]) }
                #expect(accepted.count == 200)
                let acceptedSummary = latencies["accepted"] as? [String: Any] ?? [:]
                #expect(accepted.max() == Self.number(acceptedSummary["max"]))
                #expect(orderLines.allSatisfy { (Self.number($0["sent"]) ?? -1) >= 0 })
                // The stamps of the web front and the kitchen (to the millisecond) fall in order
                // between the POST and the moment `accepted` was seen.
                for line in orderLines {
                    let placedStamp = Self.number(line["placedStampMs"]) ?? -99
                    let acceptedStamp = Self.number(line["acceptedStampMs"]) ?? -99
                    let acceptedSeen = Self.number(line["acceptedMs"]) ?? -99
                    #expect(placedStamp >= -1 && placedStamp <= acceptedStamp + 1 && acceptedStamp <= acceptedSeen + 1, "\(line)")
                }
                #expect(lines.contains { $0["sample"] != nil }, "CPU samples of the machine follow the orders")
                let started = try #require(lines.first.flatMap { Self.number($0["started"]) }, "the first line says when the run started")
                #expect(abs(started - Date().timeIntervalSince1970) < 600)
                let host = report["host"] as? [String: Any] ?? [:]
                let quiet = (host["quiet"] as? [String: Any])?["count"] as? Int ?? 0
                let stolen = (host["stolen"] as? [String: Any])?["count"] as? Int ?? 0
                #expect(quiet + stolen == 200, "\(host)")

                // The web front timed every one of its SQLite writes on /metrics, in three parts.
                var metrics = try await Self.metrics(of: pipeline)
                for _ in 0..<10 {  // the relay's last deletes may still be landing
                    try await Task.sleep(for: .milliseconds(300))
                    let again = try await Self.metrics(of: pipeline)
                    if again == metrics { break }
                    metrics = again
                }
                let writes = metrics["pizzeria_sqlite_write_seconds_count"] ?? 0
                #expect(writes >= metrics["pizzeria_order_commits_total"] ?? .infinity, "\(metrics)")
                #expect(metrics["pizzeria_sqlite_lock_wait_seconds_count"] == writes)
                #expect(metrics["pizzeria_sqlite_flush_seconds_count"] == writes)
                #expect(metrics["pizzeria_sqlite_write_seconds_bucket{le=\"0.0005\"}"] != nil, "buckets start at 0.5 ms")

                let probe = try StoreProbe(pipeline)
                #expect(try probe.deliveredCount() == 200)
                #expect(try probe.count("SELECT COUNT(*) FROM orders") == 200)
            }
        }

        /// The web front's `/metrics`, one value per series (name with its labels).
        static func metrics(of pipeline: PipelineHarness) async throws -> [String: Double] {
            let (_, body) = try await HTTP.get("\(pipeline.baseURL)/metrics")
            var values: [String: Double] = [:]
            for line in String(decoding: body, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
                guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
                values[String(line[..<space])] = value
            }
            return values
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
