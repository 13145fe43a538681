import Foundation
import Glibc
import Infrastructure

/// What one thread waking another costs on this machine: two threads pass a byte back and forth
/// through two pipes, so every pass blocks one thread and wakes the other. That is the hop the
/// pipeline makes at every step of an order (an HTTP request reaching the web front, a commit
/// handed to the relay, a delivery reaching a worker, a notice reaching a watcher), and at low
/// rates, where nothing else shares the wake-up, each order pays for dozens of them.
///
/// It runs twice: with the two threads pinned to two different CPUs (where the scheduler puts a
/// woken thread whenever the other CPU is idle, as it mostly is below full load), and with both on
/// one CPU. On a virtual machine the first includes the inter-processor interrupt and the halted
/// vCPU's trip through the host; the second shows what the same hop costs without them. The CPUs
/// are the first two the process may use; with only one, only the second runs.
///
/// Both sides run on threads of their own, so the caller's thread is never pinned. Blocks until
/// done: call it from a thread of its own (``BlockingCall``).
public struct WakeupProbe: Sendable {
    public init() {}

    /// `count` round trips (two wake-ups each) for each way of placing the threads.
    public func run(count: Int) throws -> [ProbeResult] {
        let cpus = ThreadAffinity.allowedCPUs()
        guard let first = cpus.first else { throw ProbeError("wake-up probe: the kernel did not say which CPUs this process may use") }
        var results: [ProbeResult] = []
        if cpus.count > 1 {
            results.append(try measure(count: count, cpus: (first, cpus[1]),
                                       name: "thread wake-ups (pipe ping-pong), threads on CPUs \(first) and \(cpus[1])"))
        }
        results.append(try measure(count: count, cpus: (first, first), name: "thread wake-ups (pipe ping-pong), both threads on CPU \(first)"))
        return results
    }

    private func measure(count: Int, cpus: (ping: Int, pong: Int), name: String) throws -> ProbeResult {
        let there = try BytePipe(), back = try BytePipe()
        defer { there.close(); back.close() }
        let finished = DispatchSemaphore(value: 0)
        let outcome = PingOutcome()
        // Each side closes its write end when it stops, so that the other side's read ends (end of
        // file) instead of waiting forever; nobody closes a read end while the other side may write.
        let pong = Thread {
            defer { back.closeWriteEnd(); finished.signal() }
            guard ThreadAffinity.pinCurrentThread(toCPU: cpus.pong) else {
                outcome.refusePin(cpus.pong)
                return
            }
            for _ in 0..<count {
                guard there.readByte(), back.writeByte() else { return }
            }
        }
        let ping = Thread {
            defer { there.closeWriteEnd(); finished.signal() }
            guard ThreadAffinity.pinCurrentThread(toCPU: cpus.ping) else {
                outcome.refusePin(cpus.ping)
                return
            }
            let cpuBefore = ProcessCPU.seconds()
            let started = ContinuousClock.now
            var completed = 0
            while completed < count, there.writeByte(), back.readByte() { completed += 1 }
            outcome.record(completed: completed, elapsed: .now - started, cpuSeconds: ProcessCPU.seconds() - cpuBefore)
        }
        pong.name = "probe-wakeup-pong"
        ping.name = "probe-wakeup-ping"
        pong.start()
        ping.start()
        finished.wait()
        finished.wait()
        let (completed, elapsed, cpuSeconds) = outcome.value
        if let cpu = outcome.refusedCPU { throw ProbeError("wake-up probe: the kernel refused to keep a thread on CPU \(cpu)") }
        guard completed == count else {
            throw ProbeError("wake-up probe: a pipe failed after \(completed) of \(count) round trips")
        }
        var result = ProbeResult(name: name, operations: 2 * count, elapsed: elapsed)
        result.cpuMicrosecondsPerOperation = cpuSeconds * 1e6 / Double(2 * count)
        return result
    }
}

/// The two ends of a `pipe(2)`, a byte at a time.
private final class BytePipe: @unchecked Sendable {
    private let readEnd: Int32
    private let writeEnd: Int32
    private let lock = NSLock()
    private var writeOpen = true
    private var readOpen = true

    init() throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw ProbeError("wake-up probe: pipe() failed (errno \(errno))") }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    func writeByte() -> Bool {
        var byte: UInt8 = 1
        return write(writeEnd, &byte, 1) == 1
    }

    func readByte() -> Bool {
        var byte: UInt8 = 0
        return read(readEnd, &byte, 1) == 1
    }

    /// Closes the write end (a reader then gets end of file); once.
    func closeWriteEnd() {
        lock.withLock {
            if writeOpen { _ = Glibc.close(writeEnd) }
            writeOpen = false
        }
    }

    /// Closes the read end; once.
    private func closeReadEnd() {
        lock.withLock {
            if readOpen { _ = Glibc.close(readEnd) }
            readOpen = false
        }
    }

    /// Closes what is still open.
    func close() {
        closeWriteEnd()
        closeReadEnd()
    }
}

/// What the pinging thread measured (and a CPU the kernel would not pin a thread to), read after
/// both threads have finished.
private final class PingOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: (completed: Int, elapsed: Duration, cpuSeconds: Double) = (0, .zero, 0)
    private var refused: Int?

    func refusePin(_ cpu: Int) { lock.withLock { refused = cpu } }
    var refusedCPU: Int? { lock.withLock { refused } }

    func record(completed: Int, elapsed: Duration, cpuSeconds: Double) {
        lock.withLock { recorded = (completed, elapsed, cpuSeconds) }
    }

    var value: (completed: Int, elapsed: Duration, cpuSeconds: Double) { lock.withLock { recorded } }
}
