import ArgumentParser
import Infrastructure

/// `pizzeria migrate`: creates or upgrades the SQLite schema.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the SQLite schema.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let logger = common.logger(label: "pizzeria.migrate")
        let database = try common.openDatabase(logger: logger)
        let applied = try database.appliedMigrations()
        print("Database \(database.path) is at \(applied.last ?? "nothing") (\(applied.count) migrations).")
    }
}
