import ArgumentParser
import Foundation
import Infrastructure
import Producers
import Workers

/// `pizzeria probe`: the machine's ceilings, measured with Pizzeria's own adapters, to set the
/// pipeline's figures against (`ops/bench` prints them side by side).
struct Probe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the ceilings of RabbitMQ, Redis and SQLite on this machine, in operations per second.",
        discussion: """
            amqp-publish   persistent ~300-byte messages, confirmed per batch of 100 (temporary queue pizzeria.probe)
            amqp-consume   fill pizzeria.probe, then consume with prefetch 200 and ack each
            redis-publish  PUBLISH one at a time, then pipelined 100 at a time
            sqlite-tx      one processed_messages insert + one order update per transaction, temporary database file
            maildir        confirmation emails written as the email worker writes them (one new file each), in a
                           temporary maildir beside PIZZERIA_MAILDIR
            wakeup         two threads passing a byte through pipes (each pass wakes the other thread), on two
                           CPUs, then both on one (the first the process may use): wake-ups per second, CPU-µs each
            """)

    /// What to measure.
    enum Kind: String, ExpressibleByArgument, CaseIterable, Sendable {
        case amqpPublish = "amqp-publish"
        case amqpConsume = "amqp-consume"
        case redisPublish = "redis-publish"
        case sqliteTx = "sqlite-tx"
        case maildir
        case wakeup

        var defaultCount: Int {
            switch self {
            case .amqpPublish, .amqpConsume: 10_000
            case .redisPublish: 20_000
            case .sqliteTx, .maildir: 2_000
            case .wakeup: 20_000
            }
        }
    }

    /// The `--json` line.
    private struct Output: Encodable {
        var probe: String
        var results: [ProbeResult]
    }

    @Argument(help: "amqp-publish, amqp-consume, redis-publish, sqlite-tx, maildir or wakeup")
    var kind: Kind

    @OptionGroup var common: CommonOptions

    @Option(help: "Operations to time (default: 10000 for AMQP, 20000 for Redis and wake-up round trips, 2000 for SQLite)")
    var count: Int?

    @Option(help: "Maildir whose folder the maildir probe writes beside [env PIZZERIA_MAILDIR] (default .run/mail)")
    var maildir: String?

    @Option(help: "Folder the maildir probe writes into (default: a new probe-maildir-<uuid> folder beside the maildir)")
    var folder: String?

    @Flag(help: """
        Leave the maildir probe's files in place instead of deleting them at the end. On ext4 without \
        a journal, files deleted in the last ~30 s make every new file slower to create, so a probe \
        that deletes thousands of files just before a load run would slow that run down.
        """)
    var keepFiles = false

    @Flag(help: "Print the results as one JSON object")
    var json = false

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        let logger = common.logger(label: "pizzeria.probe")
        let count = self.count ?? kind.defaultCount
        let kind = self.kind
        let amqp = try common.amqp()
        let redis = try common.redis()
        let durability = try common.sqliteDurability()
        let keepFiles = self.keepFiles
        let probeFolder = folder.map { URL(fileURLWithPath: $0) }
            ?? MaildirProbe.folder(beside: Env.value(maildir, "PIZZERIA_MAILDIR", default: ".run/mail"))
        let results = try await BlockingCall.run(name: "probe-\(kind.rawValue)") { () throws -> [ProbeResult] in
            switch kind {
            case .amqpPublish: [try AMQPProbe(configuration: amqp, logger: logger).publish(count: count)]
            case .amqpConsume: [try AMQPProbe(configuration: amqp, logger: logger).consume(count: count)]
            case .redisPublish: try RedisProbe(configuration: redis).publish(count: count)
            case .sqliteTx: [try SQLiteProbe(durability: durability, logger: logger).transactions(count: count)]
            case .maildir:
                [ProbeResult(name: "maildir files (one email each, open + write + rename)", operations: count,
                             elapsed: try MaildirProbe(directory: probeFolder, keepFiles: keepFiles).write(count: count))]
            case .wakeup: try WakeupProbe().run(count: count)
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(Output(probe: kind.rawValue, results: results)), as: UTF8.self))
        } else {
            for result in results { print(result.text) }
        }
    }
}
