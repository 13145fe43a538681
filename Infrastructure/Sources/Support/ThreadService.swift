import CGlibcExtras
import Foundation
import Glibc
import ServiceLifecycle

/// Runs a blocking loop on a thread of its own, as a swift-service-lifecycle `Service`.
///
/// The C libraries (librabbitmq, hiredis) and GRDB's synchronous API block their caller, so the
/// loops that use them never run on Swift's cooperative pool. Graceful shutdown or cancellation
/// calls ``LoopControl/stop()``; `run()` returns when the loop has finished its current work.
public struct ThreadService: Service {
    public let name: String
    public let control: LoopControl
    private let body: @Sendable (LoopControl) -> Void

    public init(name: String, control: LoopControl = LoopControl(), body: @escaping @Sendable (LoopControl) -> Void) {
        self.name = name
        self.control = control
        self.body = body
    }

    public func run() async throws {
        let control = self.control
        let body = self.body
        let name = self.name
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let thread = Thread {
                        // The kernel's name for the thread (15 bytes), so that `top -H`, `ps -L` and
                        // profilers show "worker-kitchen" rather than the name of the thread that made it.
                        _ = pthread_setname_np(pthread_self(), String(decoding: name.utf8.prefix(15), as: UTF8.self))
                        body(control)
                        continuation.resume()
                    }
                    thread.name = name
                    thread.stackSize = 1 << 20
                    thread.start()
                }
            } onGracefulShutdown: {
                control.stop()
            }
        } onCancel: {
            control.stop()
        }
    }
}
