import Domain
import Infrastructure

/// How a worker process runs its consumers.
public struct WorkerSettings: Sendable {
    public var amqp: AMQPConfiguration
    public var topology: Topology
    /// Unacked messages the broker may send ahead. RabbitMQ advises 100–300 for throughput; 50
    /// keeps a busy worker process's peak memory about 4 MiB lower at the same rate (see README,
    /// "Benchmark"). A batch never holds more than this.
    public var prefetch: UInt16 = 50
    public var reactions: ReactionTable
    /// Most messages handled in one SQLite transaction (group commit).
    public var batchSize = 100
    /// How long a role's worker keeps gathering messages after the first of a batch arrives,
    /// unless the batch fills first; a role not listed takes what the broker has at once. The
    /// email worker gathers: a batch costs it the same fixed work however small it is (a read and a
    /// write transaction, and a file-system flush), so at a few hundred orders a second, where
    /// batches would hold one to three messages, that is most of its CPU, and an email may go out
    /// a moment later. The delivery worker gathers for 50 ms: a courier leaves minutes after the
    /// order is ready, so 50 ms is nothing to a customer, while the cores it frees at a thousand
    /// orders a second shorten the kitchen's wait, which is what a customer sees first. The kitchen
    /// gathers for 2 ms only, since its acceptance is the first thing a customer waits for: at
    /// half its maximum rate a batch would otherwise hold one order, and each batch costs a commit,
    /// a WAL flush and an ack; two or three orders per batch spent about 7 % less worker CPU per
    /// order, and the wait for a core that this freed was more than the 2 ms (README, "Benchmark").
    public var gatherWindows: [WorkerRole: Duration] = [.email: .milliseconds(100), .delivery: .milliseconds(50),
                                                        .kitchen: .milliseconds(2)]
    /// A role's own prefetch where it differs from `prefetch`; that role's batches may then hold
    /// as many messages (``batchSize(for:)``). The email worker takes 250: each of its batches
    /// ends with one flush of the maildir's file system (`syncfs`), which also writes out whatever
    /// the other processes on that file system have written and flushes the disk's cache, and that
    /// delayed the kitchen's and the web front's own commits. With 50, a batch filled in 15 ms at a
    /// thousand orders a second (three emails each); with 250 it takes the whole gather window
    /// (see README, "Benchmark").
    public var rolePrefetch: [WorkerRole: UInt16] = [.email: 250]
    /// Where the email worker writes messages (a maildir), when no SMTP server is configured.
    public var maildir: String

    /// Unacked messages the broker may send `role`'s consumer ahead.
    public func prefetch(for role: WorkerRole) -> UInt16 { rolePrefetch[role] ?? prefetch }

    /// Most messages in one of `role`'s batches: `batchSize`, or the role's own prefetch when larger.
    public func batchSize(for role: WorkerRole) -> Int { max(batchSize, rolePrefetch[role].map(Int.init) ?? 0) }

    public init(amqp: AMQPConfiguration, topology: Topology = Topology(), prefetch: UInt16 = 50, reactions: ReactionTable,
                maildir: String) {
        self.amqp = amqp
        self.topology = topology
        self.prefetch = prefetch
        self.reactions = reactions
        self.maildir = maildir
    }
}
