import Domain
import Foundation
import GRDB
@testable import Infrastructure
import Logging
import Synchronization
import Testing

/// What an operator reads when SQLite writes are slow: a warning that says where the time went
/// (another process' lock, the transaction, the WAL flush), at most once a second.
@Suite("Slow writes")
struct SlowWriteTests {
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pizzeria-slow-\(UUID().uuidString)")

    @Test("A write that waits for another process' lock is logged with that wait; the next within a second is counted, not logged",
          .timeLimit(.minutes(1)))
    func slowWriteIsLoggedWithItsLockWait() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let records = LogRecords()
        let logger = Logger(label: "test") { _ in CapturingLogHandler(records: records) }
        let path = directory.appendingPathComponent("test.sqlite").path
        let database = try PizzeriaDatabase(path: path, logger: logger)
        let otherProcess = try DatabaseQueue(path: path)

        try database.write { db in try db.execute(sql: "CREATE TABLE scratch (x INTEGER)") }
        #expect(records.slowWrites.isEmpty, "a quick write logs nothing")

        func writeWhileLockedFor(_ hold: Duration) throws {
            try Self.write(database, whileLockedBy: otherProcess, for: hold)
        }

        try writeWhileLockedFor(.milliseconds(300))
        let first = try #require(records.slowWrites.first)
        #expect(records.slowWrites.count == 1)
        let lockWait = try #require(first["sqlite.lock_wait_ms"].flatMap { Double("\($0)") })
        let total = try #require(first["sqlite.write_ms"].flatMap { Double("\($0)") })
        #expect(lockWait >= 200, "\(first)")
        #expect(total >= lockWait, "\(first)")
        #expect(first["sqlite.path"].map { "\($0)" } == path)

        try writeWhileLockedFor(.milliseconds(150))
        #expect(records.slowWrites.count == 1, "a second slow write within a second is not logged")
        Thread.sleep(forTimeInterval: 1.1)
        try writeWhileLockedFor(.milliseconds(150))
        #expect(records.slowWrites.count == 2)
        #expect(records.slowWrites.last?["sqlite.slow_writes_not_logged"].map { "\($0)" } == "1")
        #expect(records.slowWrites.last?["sqlite.slow_threshold_ms"].map { "\($0)" } == "100.0")
    }

    @Test("The operator's threshold decides which writes are slow; zero logs none", .timeLimit(.minutes(1)))
    func thresholdIsTheOperators() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        func database(_ name: String, slowWrite: Duration?) throws -> (PizzeriaDatabase, DatabaseQueue, LogRecords) {
            let records = LogRecords()
            let logger = Logger(label: "test") { _ in CapturingLogHandler(records: records) }
            let path = directory.appendingPathComponent(name).path
            let database = try slowWrite.map { try PizzeriaDatabase(path: path, logger: logger, slowWrite: $0) }
                ?? PizzeriaDatabase(path: path, logger: logger)
            try database.write { db in try db.execute(sql: "CREATE TABLE scratch (x INTEGER)") }
            return (database, try DatabaseQueue(path: path), records)
        }

        let (strict, strictOther, strictRecords) = try database("strict.sqlite", slowWrite: .milliseconds(20))
        let (standard, standardOther, standardRecords) = try database("standard.sqlite", slowWrite: nil)
        let (silent, silentOther, silentRecords) = try database("silent.sqlite", slowWrite: .zero)
        try Self.write(strict, whileLockedBy: strictOther, for: .milliseconds(60))
        try Self.write(standard, whileLockedBy: standardOther, for: .milliseconds(30))
        try Self.write(silent, whileLockedBy: silentOther, for: .milliseconds(150))

        #expect(strictRecords.slowWrites.count == 1, "a 60 ms write is slow against 20 ms")
        #expect(strictRecords.slowWrites.first?["sqlite.slow_threshold_ms"].map { "\($0)" } == "20.0")
        #expect(standardRecords.slowWrites.isEmpty, "a 30 ms write is not slow against the default 100 ms")
        #expect(silentRecords.slowWrites.isEmpty, "a threshold of zero logs no write")
    }

    /// Another connection (standing in for another process) holds the write lock for `hold` while
    /// `database` writes one row.
    private static func write(_ database: PizzeriaDatabase, whileLockedBy otherProcess: DatabaseQueue, for hold: Duration) throws {
        let locked = DispatchSemaphore(value: 0)
        let released = DispatchSemaphore(value: 0)
        Thread {
            try? otherProcess.inTransaction(.immediate) { _ in
                locked.signal()
                Thread.sleep(forTimeInterval: hold.seconds)
                return .rollback
            }
            released.signal()
        }.start()
        locked.wait()
        try database.write { db in try db.execute(sql: "INSERT INTO scratch (x) VALUES (1)") }
        released.wait()
    }
}

/// Log lines kept for a test to read.
final class LogRecords: Sendable {
    private let lines = Mutex<[(message: String, metadata: Logger.Metadata)]>([])

    func append(_ message: String, _ metadata: Logger.Metadata) {
        lines.withLock { $0.append((message, metadata)) }
    }

    /// The metadata of each `sqlite.write.slow` warning, oldest first.
    var slowWrites: [Logger.Metadata] {
        lines.withLock { $0.filter { $0.message == "sqlite.write.slow" }.map(\.metadata) }
    }
}

/// A log handler that keeps every line, with the logger's metadata merged in.
struct CapturingLogHandler: LogHandler {
    let records: LogRecords
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        records.append(message.description, self.metadata.merging(metadata ?? [:]) { $1 })
    }
}
