import Foundation
import Glibc
import Testing

extension IntegrationTests {
    /// The email worker talking to a real SMTP server.
    @Suite("SMTP")
    struct SMTPTests {
        @Test("With an SMTP server configured, each order sends three RFC 5322 messages to it")
        func emailsOverSMTP() async throws {
            let port = try TestEnvironment.freePort()
            let pipeline = try PipelineHarness(name: "smtp", vhost: "t20")
            let inbox = pipeline.directory.appendingPathComponent("smtp-inbox")
            let sink = Process()
            sink.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            sink.arguments = [CLITests.repositoryRoot.appendingPathComponent("Tests/Support/smtp_sink.py").path, String(port), inbox.path]
            sink.standardOutput = FileHandle.nullDevice
            try sink.run()
            defer { kill(sink.processIdentifier, SIGKILL); sink.waitUntilExit() }
            // The sink must listen before the first email goes out: the test's retry budget is short.
            let listening = await eventually(timeout: .seconds(20), every: .milliseconds(50)) {
                sink.isRunning && TestEnvironment.isListening(port: port)
            }
            guard listening else { throw TestSetupError("the SMTP sink did not listen on 127.0.0.1:\(port)") }
            pipeline.overrides = ["PIZZERIA_SMTP_URL": "smtp://127.0.0.1:\(port)"]
            defer { pipeline.stop() }
            try await pipeline.start()

            let order = try await OrderRequests.place(pipeline.baseURL, name: "Zoë O'Brien")
            let probe = try StoreProbe(pipeline)
            let sent = try await eventually(timeout: .seconds(30)) { try probe.emailKinds(order.id) == threeEmails }
            #expect(sent, "worker log: \(pipeline.logTail("work-1.log", matching: "smtp"))")
            let files = try FileManager.default.contentsOfDirectory(atPath: inbox.path).filter { $0.hasSuffix(".eml") }.sorted()
            #expect(files.count == 3)
            let messages = try files.map { try String(contentsOf: inbox.appendingPathComponent($0), encoding: .utf8) }
            #expect(messages.allSatisfy { $0.contains("X-Envelope-To: ada@example.com") })
            #expect(messages.allSatisfy { $0.contains("Message-ID: <\(order.id).") })
            #expect(messages.contains { $0.contains("Subject: Your Pizzeria order #") })
            #expect(messages.contains { $0.contains("=?utf-8?B?") }, "the non-ASCII name is an encoded word")
            #expect(pipeline.mailFiles(orderId: order.id).isEmpty, "nothing went to the maildir")
        }
    }
}
