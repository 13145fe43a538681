/// A failure at the AMQP boundary, with the operation, the librabbitmq or broker code, and its text.
public struct AMQPError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; callers switch on it to decide whether to reconnect.
    public enum Kind: String, Sendable {
        /// TCP connect or login failed: the broker is down or refused us.
        case connect
        /// The connection or the channel was closed (by the broker, the network, or a protocol error).
        case closed
        /// The broker refused an operation on a channel (for instance a queue declared with other arguments).
        case refused
        /// A confirm, a reply or a frame did not come in time.
        case timeout
        /// The broker answered a publish with `basic.nack`.
        case nacked
        /// Any other library error.
        case library
    }

    public var kind: Kind
    public var operation: String
    /// The librabbitmq status or the AMQP reply code, when there is one.
    public var code: Int32?
    public var message: String

    public init(_ kind: Kind, operation: String, code: Int32? = nil, message: String) {
        self.kind = kind
        self.operation = operation
        self.code = code
        self.message = message
    }

    public var description: String {
        "AMQP \(operation) failed (\(kind.rawValue)\(code.map { ", code \($0)" } ?? "")): \(message)"
    }

    /// True when the connection cannot be used any more and must be opened again.
    public var connectionIsLost: Bool {
        switch kind {
        case .connect, .closed, .timeout, .library: true
        case .refused, .nacked: false
        }
    }
}
