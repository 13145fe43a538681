import Foundation
import Glibc
import Testing

extension IntegrationTests {
    /// The customer's pages and the kitchen display in a real headless Chromium.
    @Suite("Browser")
    struct BrowserTests {
        @Test("Order two pizzas, track the order live, bump it on the kitchen display, see it delivered; hostile names shown as text")
        func customerAndKitchenJourney() async throws {
            let overrides = ["PIZZERIA_KITCHEN_MODE": "manual", "PIZZERIA_RECALL_SECONDS": "1"]
            try await withPipeline("browser", vhost: "t17", stageSeconds: 0.5, overrides: overrides) { pipeline in
                let output = pipeline.directory.appendingPathComponent("screenshots")
                let script = CLITests.repositoryRoot.appendingPathComponent("Tests/Browser/customer_journey.py")
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
                process.arguments = [script.path, "--base-url", pipeline.baseURL, "--staff-token", "staff-token-for-tests",
                                     "--out", output.path]
                let log = pipeline.directory.appendingPathComponent("browser.log")
                FileManager.default.createFile(atPath: log.path, contents: nil)
                let handle = try FileHandle(forWritingTo: log)
                process.standardOutput = handle
                process.standardError = handle
                try process.run()
                let finished = await eventually(timeout: .seconds(180), every: .milliseconds(250)) { !process.isRunning }
                if !finished { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                let transcript = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                #expect(process.terminationStatus == 0, "browser journey failed:\n\(transcript)")
                for name in ["tracking-accepted.png", "kitchen-tickets.png", "tracking-delivered.png"] {
                    #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(name).path), "missing \(name)")
                }
            }
        }
    }
}
