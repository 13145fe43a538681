import Domain
import Foundation

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
    /// It changed something (a status, an email): the outbox may hold new events. `at` says where
    /// the order stands now, when the handler moves orders (the worker schedules what follows).
    case changed(at: OrderPosition?)
    /// Nothing needed doing (a duplicate, a stale event); the reason is for the logs.
    case unchanged(String, at: OrderPosition?)

    /// Where the order stands, if the handler said.
    public var position: OrderPosition? {
        switch self {
        case .changed(let at), .unchanged(_, let at): at
        }
    }
}

/// An order's status and when it reached it.
public struct OrderPosition: Sendable, Equatable {
    public var status: OrderStatus
    public var since: Date
    public init(status: OrderStatus, since: Date) {
        self.status = status
        self.since = since
    }
}
