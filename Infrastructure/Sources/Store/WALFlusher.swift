import Foundation
import Glibc

/// Makes commits durable after they leave SQLite's write lock: group commit of the WAL flush.
///
/// With `synchronous = FULL`, every commit calls `fdatasync` on the WAL while it still holds the
/// database's only write lock, so every other writer of the process waits for the disk too. Here
/// the writer commits with `synchronous = NORMAL` (SQLite still syncs the WAL before each
/// checkpoint and the database file after it, so the file never gets ahead of the WAL), and then,
/// outside the lock and before anything acts on the commit (an ack, a `201`, a publish), waits in
/// ``waitDurable(_:)`` until a flush that began after its commit has finished. One `fdatasync`
/// covers every commit made before it began, so commits that finish together share one flush.
///
/// An `fdatasync` error is final (the kernel may have dropped the pages it could not write): the
/// flusher refuses every later wait, so that nothing more is acknowledged, and the process must be
/// restarted (SQLite then recovers from the WAL as it is on disk).
final class WALFlusher: @unchecked Sendable {
    /// Makes everything written to the WAL so far durable.
    typealias Flush = @Sendable () -> Result<Void, WALFlushError>

    private let flush: Flush
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var committed: UInt64 = 0
    private var durable: UInt64 = 0
    private var flushing = false
    private var failure: WALFlushError?

    /// Flushes `walPath`, the database's `-wal` file, with `fdatasync`.
    convenience init(walPath: String) {
        let file = WALFile(path: walPath)
        self.init { file.sync() }
    }

    init(flush: @escaping Flush) {
        self.flush = flush
    }

    /// The `fdatasync` failure that stopped all acknowledgements, if one happened.
    var failed: WALFlushError? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    /// Records a commit that has just returned; the ticket to wait for.
    func committedOne() -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        committed += 1
        return committed
    }

    /// Returns once the commit of `ticket` is on disk: at once if a flush that began after it has
    /// finished, else after the flush in progress (when that one began after it) or one of its own.
    func waitDurable(_ ticket: UInt64) throws(WALFlushError) {
        condition.lock()
        defer { condition.unlock() }
        while durable < ticket {
            if let failure { throw failure }
            if flushing {
                condition.wait()
                continue
            }
            flushing = true
            let target = committed
            condition.unlock()
            let result = flush()
            condition.lock()
            flushing = false
            switch result {
            case .success: durable = max(durable, target)
            case .failure(let error):
                // After a failed fdatasync the kernel may have dropped the pages: nothing is safe to acknowledge.
                if error.operation == "fdatasync" { failure = error }
                condition.broadcast()
                throw error
            }
            condition.broadcast()
        }
    }
}

/// The `-wal` file, opened at the first sync and kept open: it exists once a commit has been made
/// and stays the same file while this process holds a connection to the database.
private final class WALFile: @unchecked Sendable {
    private let path: String
    // Used by one flushing thread at a time (``WALFlusher`` runs one flush at a time).
    private var descriptor: Int32 = -1

    init(path: String) {
        self.path = path
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    func sync() -> Result<Void, WALFlushError> {
        if descriptor < 0 {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            if descriptor < 0 {
                // No WAL yet: no commit has gone into one, so there is nothing to flush.
                if errno == ENOENT { return .success(()) }
                return .failure(WALFlushError(path: path, operation: "open", code: errno))
            }
        }
        while fdatasync(descriptor) != 0 {
            if errno == EINTR { continue }
            return .failure(WALFlushError(path: path, operation: "fdatasync", code: errno))
        }
        return .success(())
    }
}

/// The WAL could not be made durable: nothing committed since may be acknowledged.
public struct WALFlushError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var code: Int32

    public var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
}
