import Domain
import Infrastructure

/// How a worker process runs its consumers.
public struct WorkerSettings: Sendable {
    public var amqp: AMQPConfiguration
    public var topology: Topology
    /// Unacked messages the broker may send ahead (RabbitMQ advises 100–300).
    public var prefetch: UInt16 = 100
    public var reactions: ReactionTable
    /// Most messages handled in one SQLite transaction (group commit).
    public var batchSize = 100
    /// How long the email worker keeps gathering messages after the first of a batch arrives,
    /// unless the batch fills first. A batch costs the same fixed work however small it is (a read
    /// and a write transaction, and a file-system flush), so at a few hundred orders a second,
    /// where batches would hold one to three messages, this is most of the email worker's CPU. An
    /// email goes out at most this much later. Zero: take what is there.
    public var emailGatherWindow: Duration = .milliseconds(100)
    /// Where the email worker writes messages (a maildir), when no SMTP server is configured.
    public var maildir: String

    public init(amqp: AMQPConfiguration, topology: Topology = Topology(), prefetch: UInt16 = 100, reactions: ReactionTable,
                maildir: String) {
        self.amqp = amqp
        self.topology = topology
        self.prefetch = prefetch
        self.reactions = reactions
        self.maildir = maildir
    }
}
