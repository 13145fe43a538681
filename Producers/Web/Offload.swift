import NIOPosix

/// Runs blocking work (GRDB's synchronous reads and writes, librabbitmq calls) on NIO's thread
/// pool, so request handlers never block an event loop or Swift's cooperative pool.
enum Offload {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(work)
    }
}
