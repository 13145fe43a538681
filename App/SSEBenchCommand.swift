import ArgumentParser
import Foundation
import Producers

/// `pizzeria sse-bench`: how many live views one web process holds, and how late events reach them.
struct SSEBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sse-bench",
        abstract: "Open many Server-Sent Events streams against a running pipeline and measure commit→client delay.",
        discussion: "Run the workers with stage times of a second or two, so events happen while the streams are open.")

    @Option(help: "Concurrent SSE clients") var clients = 1000
    @Option(help: "Orders the clients are spread over") var orders = 20
    @Option(name: .customLong("base-url"), help: "The web front [env PIZZERIA_PUBLIC_URL] (default http://127.0.0.1:8080)")
    var baseURL: String?
    @Option(help: "Give up after this many seconds") var timeout = 120
    @Option(name: .customLong("serve-pid"), help: "PID of `pizzeria serve`, to report its memory") var servePID: Int32?
    @Flag(help: "JSON output") var json = false

    func run() async throws {
        let base = Env.value(baseURL, "PIZZERIA_PUBLIC_URL", default: "http://127.0.0.1:8080")
        let report = try await SSECapacityBench(baseURL: base, clients: clients, orders: orders, timeout: .seconds(timeout)).run()
        let rss = servePID.flatMap(Self.memory)
        if json {
            var object = (try JSONSerialization.jsonObject(with: try JSONEncoder().encode(report)) as? [String: Any]) ?? [:]
            if let rss { object["serveRSSMiB"] = rss.current; object["servePeakRSSMiB"] = rss.peak }
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            return
        }
        print("SSE clients connected   \(report.clientsConnected) of \(report.clientsRequested) (all open after \(String(format: "%.1f", report.connectSeconds)) s)")
        print("events received         \(report.eventsReceived); clients that saw delivered: \(report.clientsThatSawDelivered)")
        print(String(format: "commit → client delay   p50 %.1f ms   p90 %.1f ms   p99 %.1f ms   max %.1f ms",
                     report.p50Millis, report.p90Millis, report.p99Millis, report.maxMillis))
        if let rss { print(String(format: "serve RSS               %.1f MiB (peak %.1f MiB)", rss.current, rss.peak)) }
        if report.clientsConnected < report.clientsRequested { throw ExitCode(1) }
    }

    /// Current and peak resident memory of a process, in MiB.
    static func memory(_ pid: Int32) -> (current: Double, peak: Double)? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func field(_ name: String) -> Double? {
            status.split(separator: "\n").first { $0.hasPrefix(name) }
                .flatMap { Double($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") }
                .map { $0 / 1024 }
        }
        guard let current = field("VmRSS:"), let peak = field("VmHWM:") else { return nil }
        return (current, peak)
    }
}
