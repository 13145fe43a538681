import Foundation

/// Runs one piece of blocking work (librabbitmq, hiredis, GRDB's synchronous API) on a thread of
/// its own and awaits its result, so the awaiting task never ties up Swift's cooperative pool.
///
/// For one-off work: a loop that lives as long as a process runs belongs in a ``ThreadService``.
///
/// ```swift
/// let published = try await BlockingCall.run(name: "probe") { try RedisProbe(configuration: redis).publishOneByOne(count: 1000) }
/// ```
public enum BlockingCall {
    public static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.name = name
            thread.stackSize = 1 << 20
            thread.start()
        }
    }
}
