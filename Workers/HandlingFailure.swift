/// Why a handler could not finish a message.
public enum HandlingFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message can never succeed (bad body, unknown pizza, impossible transition): dead letter at once.
    case poison(String)
    /// Something outside was not ready (database busy, mail server down): retry later.
    case transient(String)

    public var description: String {
        switch self {
        case .poison(let reason): reason
        case .transient(let reason): reason
        }
    }
}

/// What a handler did with a message it finished.
public enum HandlingResult: Sendable, Equatable {
    /// It changed something (a status, an email): the outbox may hold new events.
    case changed
    /// Nothing needed doing (a duplicate, a stale event); the reason is for the logs.
    case unchanged(String)
}
