import Domain
import Foundation
import Infrastructure

/// The kitchen's and the delivery's work: move the order to the next status, once per message.
public struct StageHandler: Sendable {
    public let role: WorkerRole
    private let database: PizzeriaDatabase
    private let menu: Menu

    public init(role: WorkerRole, database: PizzeriaDatabase, menu: Menu) {
        self.role = role
        self.database = database
        self.menu = menu
    }

    public func handle(_ event: OrderEvent, _ reaction: Reaction) throws(HandlingFailure) -> HandlingResult {
        guard case .advance(let target, _) = reaction else { return .unchanged("nothing to do for \(event.status.rawValue)") }
        if case .placed(let placed) = event { try MenuCheck.check(placed, against: menu) }
        let outcome: AdvanceOutcome
        do {
            outcome = try database.advance(consumer: role.rawValue, messageId: event.eventId, event: event, to: target)
        } catch {
            throw .transient("database: \(error)")
        }
        switch outcome {
        case .applied: return .changed
        case .duplicate: return .unchanged("duplicate message")
        case .alreadyReached(let current): return .unchanged("order already \(current.rawValue)")
        case .orderClosed(let current): return .unchanged("order is \(current.rawValue)")
        case .illegal(let current, let target):
            throw .poison("impossible transition from \(current.rawValue) to \(target.rawValue)")
        case .unknownOrder:
            throw .poison("unknown order \(event.orderId)")
        }
    }
}

/// Checks that an `OrderPlaced` from any producer names pizzas and sizes on our menu.
enum MenuCheck {
    static func check(_ placed: OrderPlaced, against menu: Menu) throws(HandlingFailure) {
        for (index, line) in placed.items.enumerated() {
            guard let pizza = menu.pizza(id: line.pizzaId) else {
                throw .poison(EventDecodingError.unknownPizza(line.pizzaId).description)
            }
            guard pizza.prices[line.size] != nil else {
                throw .poison(EventDecodingError.invalidField("items[\(index)].size", "\(pizza.name) does not come in \(line.size.rawValue)").description)
            }
        }
    }
}
