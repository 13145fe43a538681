import Domain
import Foundation
import Infrastructure

/// The kitchen's and the delivery's work: move orders to the statuses that are due, and say where
/// each order stands afterwards (the worker schedules the next stage from that). A batch of
/// messages is recorded in one SQLite transaction (group commit).
public struct StageHandler: Sendable {
    public let role: WorkerRole
    private let database: PizzeriaDatabase
    private let menu: Menu

    public init(role: WorkerRole, database: PizzeriaDatabase, menu: Menu) {
        self.role = role
        self.database = database
        self.menu = menu
    }

    public func handle(_ batch: [(OrderEvent, Reaction)]) -> [Result<HandlingResult, HandlingFailure>] {
        var results = [Result<HandlingResult, HandlingFailure>?](repeating: nil, count: batch.count)
        var requests: [PizzeriaDatabase.AdvanceRequest] = []
        var positions: [Int] = []
        for (index, (event, reaction)) in batch.enumerated() {
            guard case .advance(let stages) = reaction, !stages.isEmpty else {
                results[index] = .success(.unchanged("nothing to do for \(event.status.rawValue)", at: nil))
                continue
            }
            if case .placed(let placed) = event, let problem = MenuCheck.problem(placed, against: menu) {
                results[index] = .failure(problem)
                continue
            }
            requests.append(.init(consumer: role.rawValue, messageId: event.eventId, event: event, targets: stages.map(\.status)))
            positions.append(index)
        }
        do {
            for (position, outcome) in zip(positions, try database.advance(requests)) {
                results[position] = Self.result(outcome, orderId: batch[position].0.orderId)
            }
        } catch {
            for position in positions { results[position] = .failure(.transient("database: \(error)")) }
        }
        return results.map { $0 ?? .failure(.transient("not handled")) }
    }

    static func result(_ outcome: AdvanceOutcome, orderId: String) -> Result<HandlingResult, HandlingFailure> {
        switch outcome {
        case .applied(let events):
            .success(.changed(at: events.last.map { OrderPosition(status: $0.status, since: $0.occurredAt) }))
        case .alreadyReached(let current, let since):
            .success(.unchanged("order already \(current.rawValue)", at: OrderPosition(status: current, since: since)))
        case .orderClosed(let current): .success(.unchanged("order is \(current.rawValue)", at: nil))
        case .illegal(let current, let target): .failure(.poison("impossible transition from \(current.rawValue) to \(target.rawValue)"))
        case .unknownOrder: .failure(.poison("unknown order \(orderId)"))
        }
    }
}

/// Checks that an `OrderPlaced` from any producer names pizzas and sizes on our menu.
enum MenuCheck {
    static func problem(_ placed: OrderPlaced, against menu: Menu) -> HandlingFailure? {
        for (index, line) in placed.items.enumerated() {
            guard let pizza = menu.pizza(id: line.pizzaId) else {
                return .poison(EventDecodingError.unknownPizza(line.pizzaId).description)
            }
            guard pizza.prices[line.size] != nil else {
                return .poison(EventDecodingError.invalidField("items[\(index)].size", "\(pizza.name) does not come in \(line.size.rawValue)").description)
            }
        }
        return nil
    }
}
