import Foundation
import GRDB
@testable import Infrastructure
import Logging
import Testing

/// The connection settings every process gets from ``PizzeriaDatabase``, read back from SQLite.
@Suite("SQLite connection settings")
struct DatabaseSettingsTests {
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pizzeria-db-settings-\(UUID().uuidString)")

    @Test("The writer commits in WAL with synchronous = NORMAL and a WAL flush after each commit; savepoint journals in memory")
    func connectionSettings() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try PizzeriaDatabase(path: directory.appendingPathComponent("test.sqlite").path, logger: Logger(label: "test"),
                                            readers: 2, readerCacheKiB: 256)
        let writer = try database.pool.writeWithoutTransaction { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
             try Int.fetchOne(db, sql: "PRAGMA temp_store"))
        }
        #expect(writer.0 == "wal")
        #expect(writer.1 == 1, "synchronous: 1 is NORMAL; the flush runs after the commit, outside the write lock")
        #expect(database.walFlusher != nil, "the default durability flushes the WAL before a commit is acknowledged")
        #expect(writer.2 == 2, "temp_store: 2 is MEMORY")
        let reader = try database.pool.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA temp_store"), try Int.fetchOne(db, sql: "PRAGMA cache_size"))
        }
        #expect(reader.0 == 2, "temp_store: 2 is MEMORY")
        #expect(reader.1 == -256, "a reader's cache is the size asked for, in KiB")
    }

    @Test("A writer cache size, when asked for, applies to the write connection only; without it SQLite's default stays")
    func writerCache() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let sized = try PizzeriaDatabase(path: directory.appendingPathComponent("sized.sqlite").path, logger: Logger(label: "test"),
                                         readers: 2, readerCacheKiB: 256, writerCacheKiB: 512)
        #expect(try sized.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") } == -512)
        #expect(try sized.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") } == -256)
        let plain = try PizzeriaDatabase(path: directory.appendingPathComponent("plain.sqlite").path, logger: Logger(label: "test"))
        let defaults = try plain.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA default_cache_size") }
        #expect(try plain.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") } == defaults)
        #expect(try plain.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") } == defaults)
    }

    @Test("With durability normal there is no flush after commits")
    func normalDurability() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try PizzeriaDatabase(path: directory.appendingPathComponent("test.sqlite").path, durability: .normal,
                                            logger: Logger(label: "test"))
        let synchronous = try database.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(synchronous == 1)
        #expect(database.walFlusher == nil)
    }
}
