import Domain
import Infrastructure

/// How a worker process runs its consumers.
public struct WorkerSettings: Sendable {
    public var amqp: AMQPConfiguration
    public var topology: Topology
    /// Unacked messages the broker may send ahead (RabbitMQ advises 100–300).
    public var prefetch: UInt16 = 200
    public var reactions: ReactionTable
    /// Most messages handled in one SQLite transaction (group commit).
    public var batchSize = 100
    /// Where the email worker writes messages (a maildir), when no SMTP server is configured.
    public var maildir: String

    public init(amqp: AMQPConfiguration, topology: Topology = Topology(), prefetch: UInt16 = 200, reactions: ReactionTable,
                maildir: String) {
        self.amqp = amqp
        self.topology = topology
        self.prefetch = prefetch
        self.reactions = reactions
        self.maildir = maildir
    }
}
