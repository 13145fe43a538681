import ArgumentParser
import Foundation
import Producers

/// `pizzeria load`: places orders over HTTP and times them until Redis shows them delivered.
struct Load: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Place orders over HTTP as a browser does and time each until it is delivered (issue 5's benchmark).",
        discussion: """
            Subscribes to Redis (PSUBSCRIBE order:*) before the first order, then measures from each POST to each status \
            notice. Exits non-zero, naming the orders, when a POST fails, an order is not delivered within the timeout, \
            or an order sees a status twice.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: "How many orders to place")
    var orders: Int

    @Option(help: "At most this many POSTs in flight")
    var concurrency: Int = 16

    @Option(help: "At most this many orders per second (default: as fast as the concurrency allows)")
    var rate: Double?

    @Option(name: .customLong("base-url"), help: "The web front, plain http:// [env PIZZERIA_PUBLIC_URL] (default http://127.0.0.1:8080)")
    var baseURL: String?

    @Option(help: "Seconds each order has, from its POST, to be delivered")
    var timeout: Double = 120

    @Flag(help: "Print the report as one JSON object")
    var json = false

    @Option(help: ArgumentHelp("Also write every order's timings and the machine's CPU samples to this file (JSON lines)",
                               valueName: "path"))
    var timeline: String?

    func validate() throws {
        guard orders > 0 else { throw ValidationError("--orders must be at least 1") }
        guard concurrency > 0 else { throw ValidationError("--concurrency must be at least 1") }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be a positive number of orders per second") }
        guard timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    func run() async throws {
        let logger = common.logger(label: "pizzeria.load")
        let settings = LoadSettings(orders: orders, concurrency: concurrency, ratePerSecond: rate,
                                    baseURL: Env.value(baseURL, "PIZZERIA_PUBLIC_URL", default: "http://127.0.0.1:8080"),
                                    redis: try common.redis(), timeout: .milliseconds(Int64(timeout * 1000)), timelinePath: timeline)
        let bar = ProgressBar(total: orders, label: "delivered", stream: .standardError)
        let report = try await LoadGenerator(settings: settings, logger: logger).run { progress in
            bar.update(progress.delivered, detail: "answered \(progress.answered)")
        }
        bar.finish()
        print(json ? report.json() : report.text())
        if !report.ok {
            // With --json the ids are in the object; say it on stderr too, for whoever reads the terminal.
            if json { FileHandle.standardError.write(Data((report.problems.joined(separator: "\n") + "\n").utf8)) }
            throw ExitCode.failure
        }
    }
}
