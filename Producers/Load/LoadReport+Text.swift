import Foundation
import Infrastructure

extension LoadReport {
    /// The report as people read it: throughput, latency percentiles, then any problem.
    public func text() -> String {
        let limit = rate.map { "at most \(Self.number($0)) orders/s" } ?? "no rate limit"
        var lines = ["\(orders) orders, concurrency \(concurrency), \(limit): \(created) placed, \(delivered) delivered", ""]
        lines.append(TextTable.render(header: ["THROUGHPUT", "ORDERS/S", "SECONDS"], rows: [
            ["end to end (first POST sent → last delivered seen)", Self.number(endToEndOrdersPerSecond), Self.number(endToEndSeconds)],
            ["HTTP placement (201s)", Self.number(placementOrdersPerSecond), Self.number(placementSeconds)],
        ]))
        lines.append("")
        let stages: [(String, LatencySummary?)] = [
            ("POST sent → 201", latencyMs.created), ("POST sent → placed", latencyMs.placed),
            ("POST sent → accepted", latencyMs.accepted),
            ("  of it: placed seen → kitchen's stamp", latencyMs.placedToKitchen),
            ("  of it: kitchen's stamp → accepted seen", latencyMs.kitchenToAccepted),
            ("POST sent → delivered", latencyMs.delivered),
        ]
        lines.append(TextTable.render(header: ["LATENCY (ms)", "COUNT", "P50", "P90", "P99", "MAX"], rows: stages.map(Self.latencyRow)))
        lines.append("")
        lines.append("load generator CPU: \(Self.number(cpuSeconds)) s")
        if let host {
            lines.append("")
            lines.append("host steal on this machine: \(Self.number(host.stealPercent)) % of its CPU time during the run")
            let ways: [(String, LatencySummary?)] = [
                ("POST sent → accepted, way met < \(Self.number(host.quietBelowPercent)) % steal", host.quiet),
                ("POST sent → accepted, way met more", host.stolen),
            ]
            lines.append(TextTable.render(header: ["BY STEAL ON THE WAY (ms)", "COUNT", "P50", "P90", "P99", "MAX"], rows: ways.map(Self.latencyRow)))
            lines.append("orders accepted later than \(Self.number(host.slowAboveMs)) ms: \(host.slow), of which \(host.slowWithSteal) met steal on the way")
        }
        let problems = self.problems
        if !problems.isEmpty {
            lines.append("")
            lines += problems
        }
        return lines.joined(separator: "\n")
    }

    /// One line per kind of failure, naming the orders (or requests) concerned.
    public var problems: [String] {
        var lines: [String] = []
        if !failedPosts.isEmpty {
            lines.append("FAILED: \(failedPosts.count) POST /api/orders did not answer 201:")
            lines += failedPosts.prefix(20).map { "  order #\($0.index): \($0.status.map { "HTTP \($0)" } ?? "no answer") \($0.message)" }
            if failedPosts.count > 20 { lines.append("  … and \(failedPosts.count - 20) more") }
        }
        if !undelivered.isEmpty {
            lines.append("FAILED: \(undelivered.count) orders not seen delivered within \(Self.number(timeoutSeconds)) s:")
            lines.append("  " + undelivered.joined(separator: " "))
        }
        if !repeated.isEmpty {
            lines.append("FAILED: \(repeated.count) orders saw a status twice on their channel:")
            lines += repeated.map { "  \($0.orderId): \($0.statuses.joined(separator: ", "))" }
        }
        if let noticesLost {
            lines.append("FAILED: the Redis subscription ended early (notices missed): \(noticesLost)")
        }
        return lines
    }

    /// A row of a latency table: name, count and percentiles (dashes when nothing was measured).
    static func latencyRow(_ name: String, _ summary: LatencySummary?) -> [String] {
        guard let s = summary else { return [name, "0", "-", "-", "-", "-"] }
        return [name, String(s.count), number(s.p50), number(s.p90), number(s.p99), number(s.max)]
    }

    /// `412`, `41.2`, `4.12`: three significant figures or whole numbers.
    static func number(_ value: Double) -> String {
        if value >= 100 { return String(format: "%.0f", value) }
        if value >= 10 { return String(format: "%.1f", value) }
        return String(format: "%.2f", value)
    }
}
