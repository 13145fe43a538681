import Foundation
@testable import Infrastructure
import Synchronization
import Testing

/// The group commit of the WAL flush: a commit is acknowledged only after a flush that began
/// after it, and commits of the same moment share one flush.
@Suite("WAL flush after commit")
struct WALFlusherTests {
    private func value(_ atomic: borrowing Atomic<Int>) -> Int { atomic.load(ordering: .sequentiallyConsistent) }

    /// A flush that counts its calls and, when asked, blocks until released.
    final class ScriptedFlush: Sendable {
        let calls = Atomic<Int>(0)
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let blocking = Atomic<Bool>(false)
        let failWith = Mutex<Int32?>(nil)

        func run() -> Result<Void, WALFlushError> {
            calls.add(1, ordering: .sequentiallyConsistent)
            if blocking.load(ordering: .sequentiallyConsistent) {
                started.signal()
                release.wait()
            }
            if let code = failWith.withLock({ $0 }) { return .failure(WALFlushError(path: "test-wal", operation: "fdatasync", code: code)) }
            return .success(())
        }
    }

    @Test("Commits made before a flush began share it; a commit already covered needs no flush")
    func commitsShareOneFlush() throws {
        let script = ScriptedFlush()
        let flusher = WALFlusher { script.run() }
        let tickets = (0..<5).map { _ in flusher.committedOne() }
        try flusher.waitDurable(tickets[4])
        let callsNow = value(script.calls)
        #expect(callsNow == 1)
        try flusher.waitDurable(tickets[1])
        let callsLater = value(script.calls)
        #expect(callsLater == 1, "ticket 2 was covered by the flush for ticket 5")
    }

    @Test("A commit made while a flush runs waits for a flush of its own")
    func commitDuringFlushWaitsForTheNextOne() throws {
        let script = ScriptedFlush()
        let flusher = WALFlusher { script.run() }
        script.blocking.store(true, ordering: .sequentiallyConsistent)
        let first = flusher.committedOne()
        let firstDone = DispatchSemaphore(value: 0)
        Thread { try? flusher.waitDurable(first); firstDone.signal() }.start()
        script.started.wait()  // flush 1 runs, covering ticket 1 only

        let second = flusher.committedOne()
        let secondFinished = DispatchSemaphore(value: 0)
        Thread { try? flusher.waitDurable(second); secondFinished.signal() }.start()
        script.blocking.store(false, ordering: .sequentiallyConsistent)
        script.release.signal()  // flush 1 ends
        firstDone.wait()
        secondFinished.wait()
        let callsNow = value(script.calls)
        #expect(callsNow == 2, "flush 1 began before commit 2, so commit 2 needed flush 2")
    }

    @Test("After a failed fdatasync nothing more is acknowledged")
    func failedFlushIsFinal() throws {
        let script = ScriptedFlush()
        let flusher = WALFlusher { script.run() }
        script.failWith.withLock { $0 = EIO }
        #expect(throws: WALFlushError.self) { try flusher.waitDurable(flusher.committedOne()) }
        #expect(flusher.failed?.code == EIO, "readiness sees the failure")
        script.failWith.withLock { $0 = nil }
        #expect(throws: WALFlushError.self) { try flusher.waitDurable(flusher.committedOne()) }
        let callsNow = value(script.calls)
        #expect(callsNow == 1, "no flush after the failure: the pages may be gone")
    }

    @Test("Many threads committing at once are all acknowledged, with fewer flushes than commits")
    func concurrentCommits() throws {
        let script = ScriptedFlush()
        let flusher = WALFlusher { usleep(500); return script.run() }
        let group = DispatchGroup()
        let failures = Atomic<Int>(0)
        for _ in 0..<8 {
            group.enter()
            Thread {
                for _ in 0..<50 {
                    do { try flusher.waitDurable(flusher.committedOne()) } catch { failures.add(1, ordering: .sequentiallyConsistent) }
                }
                group.leave()
            }.start()
        }
        group.wait()
        let failuresNow = value(failures)
        #expect(failuresNow == 0)
        let callsNow = value(script.calls)
        #expect(callsNow < 400)
    }
}
