import Foundation
import Glibc
import GRDB
import Logging

/// How hard SQLite works to keep a committed transaction through a power cut.
public enum SQLiteDurability: String, Sendable, CaseIterable {
    /// A commit is on disk before anything acts on it (an ack, a `201`, a publish). The default: a
    /// message is acked only after its commit, so a commit that could vanish would lose an acked
    /// message. SQLite commits with `synchronous = NORMAL` and the WAL is flushed right after the
    /// commit, outside the write lock, by one `fdatasync` shared by the commits of that moment
    /// (``WALFlusher``).
    case full
    /// `synchronous = NORMAL` (WAL) and no flush after commits: a power cut may drop the last
    /// commits, acknowledged ones included (never corrupts).
    case normal
}

/// The one SQLite database file (WAL, busy timeout, foreign keys), shared by every process on a machine.
public final class PizzeriaDatabase: Sendable {
    public let pool: DatabasePool
    public let path: String
    /// Hands what this process commits to the outbox straight to its relay (when one is attached).
    public let outboxHandoff = OutboxHandoff()
    /// Flushes the WAL after commits when the durability is `.full`.
    let walFlusher: WALFlusher?
    /// What the busy handler has waited for other processes' locks; with ``slowWrites``, where each
    /// write's time goes (`/metrics`, and a warning for a slow one).
    let lockWait = LockWaitClock()
    let slowWrites: SlowWriteLog
    /// A write at least this long is logged as slow unless the operator sets another threshold
    /// (`PIZZERIA_SLOW_WRITE_SECONDS`).
    public static let defaultSlowWrite = Duration.milliseconds(100)

    /// Opens (creating if needed) and migrates the database.
    ///
    /// - Parameters:
    ///   - readers: at most this many read connections at once (GRDB's default is 5).
    ///   - readerCacheKiB: each read connection's page cache, when smaller than SQLite's default
    ///     2,000 KiB is wanted (a worker reads little: its memory goes to what it writes).
    ///   - writerCacheKiB: the write connection's page cache, likewise.
    ///   - slowWrite: a write that takes at least this long, lock wait and flush included, is logged
    ///     as the warning `sqlite.write.slow` (at most once a second); zero logs none.
    public init(path: String, durability: SQLiteDurability = .full, logger: Logger, readers: Int = 5,
                readerCacheKiB: Int? = nil, writerCacheKiB: Int? = nil,
                slowWrite: Duration = PizzeriaDatabase.defaultSlowWrite) throws {
        self.path = path
        walFlusher = durability == .full ? WALFlusher(walPath: path + "-wal") : nil
        var writesLogger = logger
        writesLogger[metadataKey: "sqlite.path"] = "\(path)"
        slowWrites = SlowWriteLog(logger: writesLogger, threshold: slowWrite)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        // Processes share the file, so writers wait for each other's locks. SQLite's own timeout
        // handler sleeps in growing steps (up to 100 ms), which showed up as tens of milliseconds
        // of latency under load; retrying every 200 µs (for up to 10 s) keeps waits short.
        let lockWait = self.lockWait
        configuration.busyMode = .callback { attempts in
            guard attempts < 50_000 else { return false }
            let asleep = ContinuousClock.now
            usleep(200)
            lockWait.add(.now - asleep)
            return true
        }
        configuration.maximumReaderCount = max(1, readers)
        configuration.prepareDatabase { db in
            // Savepoints (one per message or placement in a group commit) keep the pages they change
            // in a sub-journal, and SQLite spills a sub-journal above 64 KiB to a temporary file: one
            // 4-byte and one 4,096-byte pwrite per page, ten times the WAL's own writes. In memory
            // it costs a copy; it is never needed after the transaction (the WAL holds the commit).
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            if let cacheKiB = db.configuration.readonly ? readerCacheKiB : writerCacheKiB {
                try db.execute(sql: "PRAGMA cache_size = -\(max(64, cacheKiB))")
            }
        }
        configuration.foreignKeysEnabled = true
        configuration.label = "pizzeria"
        // Opening a fresh file switches it to WAL, which needs an exclusive lock; SQLite answers
        // SQLITE_BUSY to that at once, without the busy handler, when another process opens the
        // same fresh file at the same moment (services starting together). Retry the open.
        pool = try Self.retrying(attempts: 20, pause: 0.01, when: Self.isLocked) {
            try DatabasePool(path: path, configuration: configuration)
        }
        // Both levels commit with NORMAL (DatabasePool's own choice, stated here because durability
        // rests on it); with `.full` the WAL is then flushed outside the write lock (``write(_:)``).
        let applied = try pool.writeWithoutTransaction { db -> Int in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            return try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
        }
        try migrate()
        try makeDurable()
        logger.debug("sqlite.opened", metadata: ["sqlite.path": "\(path)", "sqlite.synchronous": "\(applied)"])
    }

    /// A write transaction that is durable when it returns (see ``SQLiteDurability``). Every write
    /// of the pipeline goes through here, so nothing acts on a commit that a power cut could undo.
    ///
    /// Each write's time is recorded in three parts (``WriteTiming``): the busy handler's wait for
    /// another process' lock, the transaction up to its commit, and the WAL flush.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        let started = ContinuousClock.now
        let waitedBefore = lockWait.total
        let value = try pool.write(body)
        let committed = ContinuousClock.now
        try makeDurable()
        let timing = WriteTiming(lockWaitNanoseconds: lockWait.total - waitedBefore,
                                 transactionNanoseconds: (committed - started).nanoseconds,
                                 flushNanoseconds: (ContinuousClock.now - committed).nanoseconds)
        timing.record()
        slowWrites.note(timing)
        return value
    }

    /// Throws when commits can no longer be made durable (a failed `fdatasync`: see ``WALFlusher``);
    /// the web front's `/ready` reports it, so that the process is restarted.
    public func checkDurability() throws {
        if let failure = walFlusher?.failed { throw failure }
    }

    /// Waits until every commit this process has made so far is on disk (with `.full`).
    func makeDurable() throws {
        guard let walFlusher else { return }
        try walFlusher.waitDurable(walFlusher.committedOne())
    }

    /// Applies the migrations that are not applied yet.
    ///
    /// Several processes may start at once on a fresh file: each migration runs in its own
    /// transaction, so a process that loses the race fails that transaction cleanly, and on the
    /// next attempt finds the migration applied by the winner.
    public func migrate() throws {
        try Self.retrying(attempts: 5, pause: 0.05) { try Migrations.migrator().migrate(pool) }
    }

    /// Runs `body` up to `attempts` times, pausing `pause` × the attempt number in seconds between
    /// them, while it fails with an error `shouldRetry` accepts; then throws the last error.
    static func retrying<T>(attempts: Int, pause: Double, when shouldRetry: (any Error) -> Bool = { _ in true },
                            _ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                return try body()
            } catch {
                attempt += 1
                if attempt >= attempts || !shouldRetry(error) { throw error }
                Thread.sleep(forTimeInterval: pause * Double(attempt))
            }
        }
    }

    /// Whether another process holds a lock SQLite would not wait for.
    static func isLocked(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }

    /// The names of the applied migrations, oldest first.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Migrations.migrator().appliedMigrations(db) }
    }
}
