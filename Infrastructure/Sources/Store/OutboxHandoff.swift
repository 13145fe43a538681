import Domain
import Foundation
import Glibc
import GRDB
import Logging
import Synchronization

/// Hands the outbox entries this process commits straight to its own relay.
///
/// Without it, each commit rings the relay, which then needs a write transaction of its own to
/// lease the new entries (and another fsync) before it can publish. With it, the committing
/// transaction itself, as its last statements, deletes the entries the relay saw confirmed since,
/// and leases the unsent entries to the relay; once the commit returns, they are handed over in
/// memory and the relay publishes them at once. Leases keep their meaning: if this process dies,
/// they run out and any relay takes the entries again.
///
/// The claim runs outside every savepoint, so it leases only rows that exist; entries are handed
/// over only after the commit succeeded (the caller does that, see
/// ``PizzeriaDatabase/writeHandingOff(now:_:)``). When no relay is attached, or it is not connected
/// to the broker, nothing is claimed and the relay's own polling pass finds the entries.
public final class OutboxHandoff: Sendable {
    /// Where claimed entries go.
    struct Relay: Sendable {
        var owner: String
        var lease: Duration
        var limit: Int
        var wake: @Sendable () -> Void
        /// When set, the committing thread publishes the status notices of what it hands over
        /// (on a Redis connection of its own), so they do not wait for the relay to finish the
        /// previous batch's confirms; the relay then publishes only the events.
        var notices: RedisConfiguration?
    }

    private struct State {
        var relay: Relay?
        var connected = false
        var handed: [OutboxEntry] = []
        var confirmed: [Int64] = []
    }

    private let state = Mutex(State())
    /// One Redis connection per committing thread (hiredis connections are not shared).
    private let noticePublishers = Mutex<[UInt: NoticePublisherBox]>([:])
    private let logger = Logger(label: "pizzeria.outbox.handoff")

    init() {}

    /// Attaches this process' relay: from now on, commits lease their entries to `owner`. With
    /// `notices`, committing threads publish the entries' status notices themselves.
    public func attach(owner: String, lease: Duration, limit: Int, notices: RedisConfiguration? = nil,
                       wake: @escaping @Sendable () -> Void) {
        state.withLock { $0.relay = Relay(owner: owner, lease: lease, limit: limit, wake: wake, notices: notices) }
    }

    /// Whether the relay can publish now; while it cannot, commits leave their entries unleased.
    public func setConnected(_ connected: Bool) {
        state.withLock { $0.connected = connected }
    }

    /// The entries handed over since the last call, oldest first.
    public func takeHanded() -> [OutboxEntry] {
        state.withLock { state in
            defer { state.handed.removeAll(keepingCapacity: true) }
            return state.handed
        }
    }

    /// Entries the broker confirmed: the next commit (or the relay's own pass) deletes them.
    public func confirmed(_ ids: [Int64]) {
        guard !ids.isEmpty else { return }
        state.withLock { $0.confirmed += ids }
    }

    /// The confirmed entries not deleted yet (the relay's own pass deletes them).
    public func takeConfirmed() -> [Int64] {
        state.withLock { state in
            defer { state.confirmed.removeAll() }
            return state.confirmed
        }
    }

    /// What a transaction claimed, to hand over after its commit (or give back after a rollback).
    struct Claim {
        var entries: [OutboxEntry] = []
        var deleted: [Int64] = []
        var wake: (@Sendable () -> Void)?
        var notices: RedisConfiguration?
    }

    /// The last statements of a write transaction: deletes confirmed entries and leases unsent ones
    /// to the relay.
    func claim(_ db: Database, now: Date, recorded: [Int64: OutboxEntry] = [:]) throws -> Claim {
        let (relay, deleted) = state.withLock { state -> (Relay?, [Int64]) in
            guard let relay = state.relay, state.connected else { return (nil, []) }
            defer { state.confirmed.removeAll() }
            return (relay, state.confirmed)
        }
        guard let relay else { return Claim() }
        try PizzeriaDatabase.delete(db, ids: deleted)
        let entries = try PizzeriaDatabase.lease(db, owner: relay.owner, lease: relay.lease, limit: relay.limit, now: now,
                                                 recorded: recorded)
        return Claim(entries: entries, deleted: deleted, wake: relay.wake, notices: relay.notices)
    }

    /// After the commit (and its flush): the notices go out from this thread when the relay asked
    /// for that, then the relay gets the entries. The notice of a step thus always reaches Redis
    /// before its event can reach a consumer.
    func handOver(_ claim: Claim) {
        guard !claim.entries.isEmpty else { return }
        if let redis = claim.notices {
            let publisher = noticePublisher(redis)
            if !publisher.publish(claim.entries.map(\.notice)) { PipelineMetrics.noticesDropped(claim.entries.count) }
        }
        state.withLock { $0.handed += claim.entries }
        claim.wake?()
    }

    /// This thread's Redis publisher, made at its first use.
    private func noticePublisher(_ redis: RedisConfiguration) -> StatusNoticePublisher {
        let thread = UInt(pthread_self())
        return noticePublishers.withLock { publishers in
            if let box = publishers[thread] { return box.publisher }
            let publisher = StatusNoticePublisher(configuration: redis, logger: logger)
            publishers[thread] = NoticePublisherBox(publisher: publisher)
            return publisher
        }
    }

    /// After a rollback: the deletes did not happen; keep them for the next transaction.
    func giveBack(_ claim: Claim) {
        confirmed(claim.deleted)
    }
}

extension PizzeriaDatabase {
    /// A write transaction whose body may put events in the outbox (it returns whether it did):
    /// then the transaction ends with the relay's claim, and the claimed entries are handed to the
    /// relay once the commit has returned.
    func writeHandingOff<T>(now: Date, _ body: (Database) throws -> (T, enqueued: Bool)) throws -> T {
        var claim = OutboxHandoff.Claim()
        let recorder = OutboxRecorder()
        do {
            // `write` returns once the commit is durable: the relay must not publish an event whose
            // commit a power cut could undo.
            let value = try OutboxRecorder.$current.withValue(recorder) {
                try write { db -> T in
                    let (value, enqueued) = try body(db)
                    if enqueued { claim = try outboxHandoff.claim(db, now: now, recorded: recorder.entries) }
                    return value
                }
            }
            outboxHandoff.handOver(claim)
            return value
        } catch {
            outboxHandoff.giveBack(claim)
            throw error
        }
    }
}

/// The outbox entries a write transaction inserted, kept as they were inserted, so that its claim
/// leases them without reading their rows back (``PizzeriaDatabase/lease(_:owner:lease:limit:now:recorded:)``).
///
/// Bound for the transaction with `withValue` and used only by the thread running it. An entry
/// whose savepoint was rolled back is not in the table, so the lease never returns its id; a later
/// insert that reuses the id replaces it here.
final class OutboxRecorder: @unchecked Sendable {
    @TaskLocal static var current: OutboxRecorder?
    var entries: [Int64: OutboxEntry] = [:]
}

/// A thread's notice publisher in the hand-over's table; only that thread uses it.
private struct NoticePublisherBox: @unchecked Sendable {
    var publisher: StatusNoticePublisher
}
