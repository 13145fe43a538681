import Domain
import Foundation
import Infrastructure
import Testing

extension IntegrationTests {
    /// Retries with backoff, dead letters with their reason, and replay by the operator's CLI.
    @Suite("Retries and dead letters")
    struct FailureTests {
        /// A maildir that cannot be created while `blocker` is a plain file: the email worker's
        /// transport fails the way a full disk or a down mail server would.
        struct BlockedMaildir {
            let blocker: URL
            var maildir: URL { blocker.appendingPathComponent("mail") }

            init(in directory: URL) throws {
                blocker = directory.appendingPathComponent("blocked")
                try Data("not a directory".utf8).write(to: blocker)
            }

            func unblock() throws { try FileManager.default.removeItem(at: blocker) }

            func files(orderId: String) -> [String] {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: maildir.appendingPathComponent("new").path)) ?? []
                return names.filter { $0.hasPrefix(orderId + ".") }
            }
        }

        @Test("A handler failing transiently, then recovering: the order completes, with the retries counted and no dead letter")
        func transientThenSuccess() async throws {
            let pipeline = try PipelineHarness(name: "transient", vhost: "t11")
            let mail = try BlockedMaildir(in: pipeline.directory)
            pipeline.overrides = ["PIZZERIA_MAILDIR": mail.maildir.path, "PIZZERIA_RETRY_DELAYS": "1,1,1"]
            defer { pipeline.stop() }
            try await pipeline.start()
            let order = try await OrderRequests.place(pipeline.baseURL)
            let retried = await eventually(timeout: .seconds(20)) {
                await pipeline.workerMetric("pizzeria_messages_retried_total", labels: ["queue": "email", "reason": "mail"]) >= 1
            }
            #expect(retried)
            try mail.unblock()  // the mail server is back
            let probe = try StoreProbe(pipeline)
            #expect(try await eventually(timeout: .seconds(30)) { try probe.emailKinds(order.id) == threeEmails })
            #expect(try probe.history(order.id) == fullHistory)
            #expect(mail.files(orderId: order.id).count == 3)
            let retries = await pipeline.workerMetric("pizzeria_messages_retried_total", labels: ["queue": "email"])
            #expect(retries >= 1)
            #expect(await pipeline.workerMetric("pizzeria_messages_dead_lettered_total") == 0)
            #expect(try BrokerClient(vhost: pipeline.vhost).messageCount("email.dead") == 0)
        }

        @Test("A handler always failing: dead after the configured attempts, with backoff between them; the operator replays after the fix")
        func alwaysFailingThenReplay() async throws {
            let pipeline = try PipelineHarness(name: "always-failing", vhost: "t12")
            let mail = try BlockedMaildir(in: pipeline.directory)
            pipeline.overrides = ["PIZZERIA_MAILDIR": mail.maildir.path, "PIZZERIA_RETRY_DELAYS": "0.3,0.6"]
            defer { pipeline.stop() }
            try await pipeline.start()
            let placedAt = Date()
            let order = try await OrderRequests.place(pipeline.baseURL)
            let broker = try BrokerClient(vhost: pipeline.vhost)
            let probe = try StoreProbe(pipeline)

            // The kitchen and delivery do not wait for the email worker.
            #expect(try await eventually(timeout: .seconds(30)) { try probe.history(order.id) == fullHistory })
            #expect(try await eventually(timeout: .seconds(30)) { try broker.messageCount("email.dead") == 3 })
            let dead = try broker.peek("email.dead")
            for letter in dead {
                let headers = letter.properties.headers
                #expect(headers[FailureHeaders.attempts]?.intValue == 3, "1 attempt + 2 retries")
                #expect(headers[FailureHeaders.error]?.stringValue?.hasPrefix("mail:") == true)
                #expect(headers[FailureHeaders.queue]?.stringValue == "email")
                #expect(headers[FailureHeaders.kind]?.stringValue == "exhausted")
                #expect(letter.properties.correlationId == order.id)
            }
            // Backoff: the confirmation email died no sooner than 80 % (jitter) of 0.3 s + 0.6 s after the order.
            let confirmation = try #require(dead.first { $0.properties.type == "OrderPlaced" })
            let failedAt = try #require(confirmation.properties.headers[FailureHeaders.failedAt]?.stringValue.flatMap(Timestamp.parse))
            #expect(failedAt.timeIntervalSince(placedAt) >= 0.72)
            #expect(failedAt.timeIntervalSince(placedAt) < 20)
            #expect(try probe.emailKinds(order.id).isEmpty)

            // The operator looks.
            let listing = try pipeline.cli(["dead-letters", "list", "--json"])
            #expect(listing.status == 0)
            let rows = listing.output.split(separator: "\n").map { HTTP.json(Data($0.utf8)) }
            #expect(rows.count == 3)
            #expect(rows.allSatisfy { ($0["reason"] as? String)?.hasPrefix("mail:") == true && $0["queue"] as? String == "email" })
            let groups = try pipeline.cli(["dead-letters", "list", "--group"])
            #expect(groups.output.contains("3      email"))
            let ids = rows.compactMap { $0["id"] as? String }
            let shown = try pipeline.cli(["dead-letters", "show", ids[0]])
            #expect(shown.status == 0)
            #expect(shown.output.contains("\"orderId\" : \"\(order.id)\""))

            // A dry run changes nothing.
            let dry = try pipeline.cli(["dead-letters", "replay", "--all", "--queue", "email", "--dry-run"])
            #expect(dry.output.contains("would replay 3 dead letters"))
            #expect(try broker.messageCount("email.dead") == 3)
            #expect(try probe.emailKinds(order.id).isEmpty)

            // Fix, replay, and the emails go out, once each.
            try mail.unblock()
            let replay = try pipeline.cli(["dead-letters", "replay", "--all", "--queue", "email", "--rate", "50"])
            #expect(replay.status == 0)
            #expect(replay.output.contains("replayed 3 of 3"))
            #expect(try await eventually(timeout: .seconds(20)) { try probe.emailKinds(order.id) == threeEmails })
            #expect(try broker.messageCount("email.dead") == 0)
            #expect(mail.files(orderId: order.id).count == 3)

            // Replaying the same messages again (a copy kept from before) changes nothing more.
            for letter in dead {
                try broker.publish(letter.republished(exchange: "", routingKey: "email.dead", headers: letter.properties.headers))
            }
            let again = try pipeline.cli(["dead-letters", "replay", "--all"])
            #expect(again.output.contains("replayed 3 of 3"))
            try await Task.sleep(for: .seconds(1))
            #expect(try broker.messageCount("email.dead") == 0)
            #expect(try probe.emailKinds(order.id) == threeEmails)
            #expect(mail.files(orderId: order.id).count == 3)
            #expect(try probe.count("SELECT COUNT(*) FROM emails") == 3)
            // The ids of the first listing are gone now.
            let stale = try pipeline.cli(["dead-letters", "replay", ids[0]])
            #expect(stale.output.contains("not found"))
        }
    }
}
