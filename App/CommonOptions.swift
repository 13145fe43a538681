import ArgumentParser
import Domain
import Foundation
import Infrastructure
import Logging

/// Options every command shares: where the broker, Redis and the database are, and logging.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("amqp-url"), help: "RabbitMQ URL [env PIZZERIA_AMQP_URL] (default amqp://guest:guest@127.0.0.1:5673/%2F)")
    var amqpURL: String?

    @Option(name: .customLong("redis-url"), help: "Redis URL [env PIZZERIA_REDIS_URL] (default redis://127.0.0.1:6380)")
    var redisURL: String?

    @Option(name: .customLong("db"), help: "SQLite database file [env PIZZERIA_DB] (default .run/pizzeria.sqlite)")
    var database: String?

    @Option(name: .customLong("sqlite-durability"), help: "full (default) or normal [env PIZZERIA_SQLITE_DURABILITY]")
    var durability: String?

    @Option(name: .customLong("slow-write-seconds"),
            help: "A SQLite write at least this long is logged as sqlite.write.slow; 0: never [env PIZZERIA_SLOW_WRITE_SECONDS] (default 0.1)")
    var slowWriteSeconds: Double?

    @Option(name: .customLong("log-level"), help: "trace, debug, info (default), notice, warning, error [env PIZZERIA_LOG_LEVEL]")
    var logLevel: String?

    func amqp() throws -> AMQPConfiguration {
        var configuration = try AMQPConfiguration(url: Env.value(amqpURL, "PIZZERIA_AMQP_URL", default: "amqp://guest:guest@127.0.0.1:5673/%2F"))
        if let text = Env.optional(nil, "PIZZERIA_AMQP_HEARTBEAT_SECONDS") {
            guard let seconds = Int(text), seconds >= 0 else {
                throw ValidationError("PIZZERIA_AMQP_HEARTBEAT_SECONDS must be a whole number of seconds, not \(text)")
            }
            configuration.heartbeatSeconds = seconds
        }
        return configuration
    }

    func redis() throws -> RedisConfiguration {
        try RedisConfiguration(url: Env.value(redisURL, "PIZZERIA_REDIS_URL", default: "redis://127.0.0.1:6380"))
    }

    func sqliteDurability() throws -> SQLiteDurability {
        let raw = Env.value(durability, "PIZZERIA_SQLITE_DURABILITY", default: "full")
        guard let level = SQLiteDurability(rawValue: raw) else {
            throw ValidationError("--sqlite-durability must be full or normal, not \(raw)")
        }
        return level
    }

    /// Opens the database; the connections and caches as in ``PizzeriaDatabase/init(path:durability:logger:readers:readerCacheKiB:writerCacheKiB:slowWrite:)``.
    func openDatabase(logger: Logger, readers: Int = 5, readerCacheKiB: Int? = nil, writerCacheKiB: Int? = nil) throws -> PizzeriaDatabase {
        try PizzeriaDatabase(path: Env.value(database, "PIZZERIA_DB", default: ".run/pizzeria.sqlite"), durability: try sqliteDurability(),
                             logger: logger, readers: readers, readerCacheKiB: readerCacheKiB, writerCacheKiB: writerCacheKiB,
                             slowWrite: try Env.seconds(slowWriteSeconds, "PIZZERIA_SLOW_WRITE_SECONDS",
                                                        default: PizzeriaDatabase.defaultSlowWrite.seconds))
    }

    /// Sets up logging (stderr, with metadata) and returns the root logger.
    func logger(label: String) -> Logger {
        let level = Logger.Level(rawValue: Env.value(logLevel, "PIZZERIA_LOG_LEVEL", default: "info")) ?? .info
        LoggingBootstrap.once(level: level)
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}

/// Flag, then environment variable, then default.
enum Env {
    static func value(_ flag: String?, _ name: String, default fallback: String) -> String {
        if let flag { return flag }
        if let value = ProcessInfo.processInfo.environment[name], !value.isEmpty { return value }
        return fallback
    }

    static func optional(_ flag: String?, _ name: String) -> String? {
        if let flag { return flag }
        if let value = ProcessInfo.processInfo.environment[name], !value.isEmpty { return value }
        return nil
    }

    static func seconds(_ flag: Double?, _ name: String, default fallback: Double) throws -> Duration {
        let value = try flag ?? optional(nil, name).map { text in
            guard let number = Double(text), number >= 0 else { throw ValidationError("\(name) must be a number of seconds, not \(text)") }
            return number
        } ?? fallback
        return .microseconds(Int64((value * 1_000_000).rounded()))
    }
}

/// Logging goes to stderr with metadata; bootstrapped once per process.
enum LoggingBootstrap {
    nonisolated(unsafe) private static var done = false
    static func once(level: Logger.Level) {
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// `1,5,30` → the retry delays.
enum RetryDelays {
    static func parse(_ text: String) throws -> [Duration] {
        try text.split(separator: ",").map { part in
            guard let seconds = Double(part.trimmingCharacters(in: .whitespaces)), seconds > 0 else {
                throw ValidationError("retry delays must be positive seconds, comma-separated: \(text)")
            }
            return .milliseconds(Int64(seconds * 1000))
        }
    }
}
