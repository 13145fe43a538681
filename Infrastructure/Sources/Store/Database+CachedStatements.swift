import GRDB

extension Database {
    /// Runs one statement through the connection's statement cache: SQLite parses it once per
    /// connection, not once per message. For the fixed SQL of the hot paths only (no interpolation).
    func executeCached(sql: String, arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
