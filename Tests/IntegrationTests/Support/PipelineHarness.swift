import Foundation
import Glibc
import GRDB
import Infrastructure
import Logging

/// Runs the real `pizzeria serve` and `pizzeria work all` processes against the test servers, in
/// a RabbitMQ vhost of the test's own, with a fresh SQLite file and maildir.
///
/// `@unchecked Sendable`: one test task drives an instance; processes are only touched from it.
final class PipelineHarness: @unchecked Sendable {
    let name: String
    let vhost: String
    let directory: URL
    let httpPort: Int
    let stageSeconds: Double
    let metricsPort: Int
    /// Environment set on top of the defaults (retry delays, maildir, Redis URL, ...).
    var overrides: [String: String] = [:]
    private var serve: Process?
    private var work: Process?
    private var workRuns = 0

    var databasePath: String { directory.appendingPathComponent("pizzeria.sqlite").path }
    var maildir: URL { directory.appendingPathComponent("mail") }
    var baseURL: String { "http://127.0.0.1:\(httpPort)" }

    init(name: String, vhost: String, stageSeconds: Double = 0.05) throws {
        self.name = name
        self.vhost = vhost
        self.directory = try TestEnvironment.outputDirectory(name)
        self.httpPort = try TestEnvironment.freePort()
        self.stageSeconds = stageSeconds
        self.metricsPort = try TestEnvironment.freePort()
    }

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["PIZZERIA_AMQP_URL"] = "\(TestEnvironment.amqpURLPrefix)/\(vhost)"
        env["PIZZERIA_REDIS_URL"] = "redis://127.0.0.1:\(TestEnvironment.environment["PIZZERIA_TEST_REDIS_PORT"] ?? "0")"
        env["PIZZERIA_DB"] = databasePath
        env["PIZZERIA_MAILDIR"] = maildir.path
        env["PIZZERIA_HTTP_PORT"] = String(httpPort)
        env["PIZZERIA_STAFF_TOKEN"] = "staff-token-for-tests"
        env["PIZZERIA_LOG_LEVEL"] = "debug"
        for name in ["PREP", "BAKE", "DISPATCH", "DRIVE"] { env["PIZZERIA_\(name)_SECONDS"] = String(stageSeconds) }
        env["PIZZERIA_RETRY_DELAYS"] = "0.2,0.4"
        env["PIZZERIA_METRICS_PORT"] = String(metricsPort)
        env.merge(overrides) { _, new in new }
        return env
    }

    /// Migrates, then starts the web front and waits until it answers `/ready`.
    func startServe() async throws {
        try run(["migrate"], log: "migrate.log")
        serve = try launch(["serve"], log: "serve.log")
        let ready = await eventually(timeout: .seconds(30)) { await self.isReady() }
        guard ready else { throw TestSetupError("serve did not become ready; see \(directory.path)/serve.log") }
    }

    /// Starts the workers (all three roles in one process).
    func startWorkers() throws {
        workRuns += 1
        work = try launch(["work", "all"], log: "work-\(workRuns).log")
    }

    func start() async throws {
        try await startServe()
        try startWorkers()
    }

    /// Kills the worker process with `signal` (SIGKILL: no chance to finish anything) and waits for it.
    func killWorkers(signal: Int32 = SIGKILL) {
        guard let work else { return }
        kill(work.processIdentifier, signal)
        work.waitUntilExit()
        self.work = nil
    }

    /// Stops everything politely (SIGTERM), killing what does not exit within 15 s.
    func stop() {
        for process in [work, serve].compactMap({ $0 }) where process.isRunning {
            process.terminate()
        }
        for process in [work, serve].compactMap({ $0 }) {
            let deadline = Date().addingTimeInterval(15)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        work = nil
        serve = nil
    }

    /// Runs `pizzeria <arguments>` to completion, with `extra` added to the pipeline's environment;
    /// returns its exit status and standard output (standard error goes to `cli.log`).
    func cli(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try TestEnvironment.pizzeriaBinary()
        process.arguments = arguments
        process.environment = environment.merging(extra) { $1 }
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        let logURL = directory.appendingPathComponent("cli.log")
        if !FileManager.default.fileExists(atPath: logURL.path) { FileManager.default.createFile(atPath: logURL.path, contents: nil) }
        let log = try FileHandle(forWritingTo: logURL)
        log.seekToEndOfFile()
        process.standardError = log
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// The value of a worker metric (summed over label sets that contain every `labels` pair).
    func workerMetric(_ name: String, labels: [String: String] = [:]) async -> Double {
        guard let (status, body) = try? await HTTP.get("http://127.0.0.1:\(metricsPort)/metrics"), status == 200 else { return 0 }
        var total = 0.0
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n") where line.hasPrefix(name) && !line.hasPrefix("#") {
            let wanted = labels.allSatisfy { line.contains("\($0.key)=\"\($0.value)\"") }
            if wanted, let value = line.split(separator: " ").last.flatMap({ Double($0) }) { total += value }
        }
        return total
    }

    /// The last lines of one of the pipeline's logs that contain `text` (case-insensitive), to
    /// explain a failed expectation.
    func logTail(_ log: String, matching text: String, lines: Int = 8) -> String {
        let url = directory.appendingPathComponent(log)
        guard let contents = try? String(contentsOf: url, encoding: .utf8) else { return "(no \(log))" }
        let hits = contents.split(separator: "\n").filter { $0.localizedCaseInsensitiveContains(text) }
        return hits.suffix(lines).joined(separator: "\n")
    }

    /// Opens the pipeline's database for assertions.
    func database() throws -> DatabaseQueue {
        try DatabaseQueue(path: databasePath)
    }

    private func isReady() async -> Bool {
        guard let (status, _) = try? await HTTP.get("\(baseURL)/ready") else { return false }
        return status == 200
    }

    private func launch(_ arguments: [String], log: String) throws -> Process {
        let process = Process()
        process.executableURL = try TestEnvironment.pizzeriaBinary()
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        let logURL = directory.appendingPathComponent(log)
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logURL)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    private func run(_ arguments: [String], log: String) throws {
        let process = try launch(arguments, log: log)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSetupError("pizzeria \(arguments.joined(separator: " ")) failed; see \(directory.path)/\(log)")
        }
    }
}

/// Runs `body` with a started pipeline and always stops it afterwards.
func withPipeline(_ name: String, vhost: String, stageSeconds: Double = 0.05, startWorkers: Bool = true,
                  overrides: [String: String] = [:], _ body: (PipelineHarness) async throws -> Void) async throws {
    let pipeline = try PipelineHarness(name: name, vhost: vhost, stageSeconds: stageSeconds)
    pipeline.overrides = overrides
    defer { pipeline.stop() }
    try await pipeline.startServe()
    if startWorkers { try pipeline.startWorkers() }
    try await body(pipeline)
}
