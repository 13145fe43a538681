import Foundation
import Testing

extension IntegrationTests {
    /// The executable's operator commands that need no running pipeline.
    @Suite("CLI")
    struct CLITests {
        static var repositoryRoot: URL {
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        }

        @Test("ops/rabbitmq/definitions.json is exactly what `pizzeria topology` prints")
        func shippedDefinitionsMatchTheCode() throws {
            let pipeline = try PipelineHarness(name: "topology", vhost: "t15")
            let printed = try pipeline.cli(["topology"])
            #expect(printed.status == 0)
            let shipped = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("ops/rabbitmq/definitions.json"), encoding: .utf8)
            #expect(printed.output == shipped, "regenerate with: pizzeria topology > ops/rabbitmq/definitions.json")
            let json = HTTP.json(Data(printed.output.utf8))
            let queues = (json["queues"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            #expect(Set(queues).isSuperset(of: ["kitchen", "delivery", "email", "kitchen.dead", "email.retry.5s"]))
        }

        @Test("Several processes migrating a fresh database at once all succeed (services may start together)")
        func concurrentMigrations() async throws {
            let pipeline = try PipelineHarness(name: "migrate-race", vhost: "t15")
            let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
                for _ in 0..<4 { group.addTask { try pipeline.cli(["migrate"]).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == [0, 0, 0, 0])
            let probe = try StoreProbe(pipeline)
            #expect(try probe.count("SELECT COUNT(*) FROM pizzas") == 6)
        }

        @Test("`pizzeria probe wakeup` passes every byte both ways and reports each placement of the threads")
        func wakeupProbe() throws {
            let pipeline = try PipelineHarness(name: "probe-wakeup", vhost: "t15")
            let run = try pipeline.cli(["probe", "wakeup", "--count", "300", "--json"])
            #expect(run.status == 0)
            let results = HTTP.json(Data(run.output.utf8))["results"] as? [[String: Any]] ?? []
            let names = results.compactMap { $0["name"] as? String }
            // Two placements on a machine of two CPUs or more (two CPUs, then one), one otherwise.
            let expected = ProcessInfo.processInfo.activeProcessorCount > 1 ? 2 : 1
            #expect(results.count == expected)
            #expect(names.last?.contains("both threads on CPU") == true, "\(names)")
            if expected == 2 { #expect(names.first?.contains("threads on CPUs") == true, "\(names)") }
            for result in results {
                #expect(result["operations"] as? Int == 600, "\(result)")
                #expect((result["opsPerSecond"] as? Double ?? 0) > 0, "\(result)")
                #expect(result["cpuMicrosecondsPerOperation"] is Double, "\(result)")
            }
        }

        @Test("Unknown roles and bad options are refused with a message, not a crash")
        func badArguments() throws {
            let pipeline = try PipelineHarness(name: "bad-args", vhost: "t15")
            let role = try pipeline.cli(["work", "bakery"])
            #expect(role.status != 0)
            let delays = try pipeline.cli(["topology", "--retry-delays", "1,-5"])
            #expect(delays.status != 0)
            // A prefetch of 0 would tell the broker "no limit".
            let prefetch = try pipeline.cli(["work", "kitchen", "--prefetch", "0"])
            #expect(prefetch.status != 0)
        }

        @Test("A bad PIZZERIA_EMAIL_PREFETCH stops the workers with a message naming it")
        func badEmailPrefetch() throws {
            let pipeline = try PipelineHarness(name: "bad-email-prefetch", vhost: "t15")
            for (index, value) in ["0", "lots", "70000"].enumerated() {
                let run = try pipeline.cli(["work", "email"], environment: ["PIZZERIA_EMAIL_PREFETCH": value])
                #expect(run.status != 0, "PIZZERIA_EMAIL_PREFETCH=\(value)")
                // One more refusal in the log for each run (cli.log collects every run's standard error).
                let refusals = pipeline.logTail("cli.log", matching: "PIZZERIA_EMAIL_PREFETCH must be 1-65535", lines: 10)
                    .split(separator: "\n").count
                #expect(refusals == index + 1, "PIZZERIA_EMAIL_PREFETCH=\(value)")
            }
        }
    }
}
