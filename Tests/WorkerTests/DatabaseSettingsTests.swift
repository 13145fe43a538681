import Foundation
import GRDB
import Infrastructure
import Logging
import Testing

/// The connection settings every process gets from ``PizzeriaDatabase``, read back from SQLite.
@Suite("SQLite connection settings")
struct DatabaseSettingsTests {
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pizzeria-db-settings-\(UUID().uuidString)")

    @Test("The writer commits with synchronous = FULL in WAL; writer and readers keep savepoint journals in memory")
    func connectionSettings() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try PizzeriaDatabase(path: directory.appendingPathComponent("test.sqlite").path, logger: Logger(label: "test"),
                                            readers: 2, readerCacheKiB: 256)
        let writer = try database.pool.writeWithoutTransaction { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
             try Int.fetchOne(db, sql: "PRAGMA temp_store"))
        }
        #expect(writer.0 == "wal")
        #expect(writer.1 == 2, "synchronous: 2 is FULL")
        #expect(writer.2 == 2, "temp_store: 2 is MEMORY")
        let reader = try database.pool.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA temp_store"), try Int.fetchOne(db, sql: "PRAGMA cache_size"))
        }
        #expect(reader.0 == 2, "temp_store: 2 is MEMORY")
        #expect(reader.1 == -256, "a reader's cache is the size asked for, in KiB")
    }
}
