import Testing
import Domain

/// Distinct durations, so that a stage using the wrong timing is caught.
private let timings = StageTimings(prep: .seconds(3), bake: .seconds(7), dispatch: .seconds(11), drive: .seconds(13))

struct ReactionCase: Sendable, CustomTestStringConvertible {
    let role: WorkerRole
    let status: OrderStatus
    let expected: Reaction
    var testDescription: String { "\(role.rawValue) on \(status.rawValue) → \(expected)" }
}

private func row(_ role: WorkerRole, _ status: OrderStatus, _ expected: Reaction) -> ReactionCase {
    ReactionCase(role: role, status: status, expected: expected)
}

/// Timed mode, written out for all 3 roles × 7 statuses.
private let timedTable: [ReactionCase] = [
    row(.kitchen, .placed, .advance(to: .accepted, delay: .zero)),
    row(.kitchen, .accepted, .advance(to: .baking, delay: .seconds(3))),
    row(.kitchen, .baking, .advance(to: .ready, delay: .seconds(7))),
    row(.kitchen, .ready, .none),
    row(.kitchen, .outForDelivery, .none),
    row(.kitchen, .delivered, .none),
    row(.kitchen, .cancelled, .none),

    row(.delivery, .placed, .none),
    row(.delivery, .accepted, .none),
    row(.delivery, .baking, .none),
    row(.delivery, .ready, .advance(to: .outForDelivery, delay: .seconds(11))),
    row(.delivery, .outForDelivery, .advance(to: .delivered, delay: .seconds(13))),
    row(.delivery, .delivered, .none),
    row(.delivery, .cancelled, .none),

    row(.email, .placed, .sendEmail(.confirmed)),
    row(.email, .accepted, .none),
    row(.email, .baking, .none),
    row(.email, .ready, .none),
    row(.email, .outForDelivery, .sendEmail(.outForDelivery)),
    row(.email, .delivered, .sendEmail(.delivered)),
    row(.email, .cancelled, .sendEmail(.cancelled)),
]

/// Manual kitchen mode: the crew moves accepted → baking → ready at the display.
private let manualKitchenTable: [ReactionCase] = [
    row(.kitchen, .placed, .advance(to: .accepted, delay: .zero)),
    row(.kitchen, .accepted, .none),
    row(.kitchen, .baking, .none),
    row(.kitchen, .ready, .none),
    row(.kitchen, .outForDelivery, .none),
    row(.kitchen, .delivered, .none),
    row(.kitchen, .cancelled, .none),
]

@Suite("Worker reactions")
struct ReactionTableTests {
    @Test("the tables cover every role and status")
    func tablesComplete() {
        #expect(timedTable.count == WorkerRole.allCases.count * OrderStatus.allCases.count)
        #expect(Set(timedTable.map { "\($0.role)/\($0.status)" }).count == 21)
        #expect(Set(manualKitchenTable.map(\.status)) == Set(OrderStatus.allCases))
    }

    @Test("timed mode", arguments: timedTable)
    func timed(_ row: ReactionCase) {
        #expect(ReactionTable(timings: timings).reaction(of: row.role, to: row.status) == row.expected)
        #expect(ReactionTable(timings: timings, kitchenMode: .timed).reaction(of: row.role, to: row.status) == row.expected)
    }

    @Test("manual kitchen mode", arguments: manualKitchenTable)
    func manualKitchen(_ row: ReactionCase) {
        #expect(ReactionTable(timings: timings, kitchenMode: .manual).reaction(of: row.role, to: row.status) == row.expected)
    }

    @Test("manual kitchen mode does not change delivery or email", arguments: timedTable.filter { $0.role != .kitchen })
    func manualLeavesOthers(_ row: ReactionCase) {
        #expect(ReactionTable(timings: timings, kitchenMode: .manual).reaction(of: row.role, to: row.status) == row.expected)
    }

    @Test("zero timings make every advance immediate")
    func zeroTimings() {
        let table = ReactionTable(timings: .zero)
        #expect(table.reaction(of: .kitchen, to: .accepted) == .advance(to: .baking, delay: .zero))
        #expect(table.reaction(of: .kitchen, to: .baking) == .advance(to: .ready, delay: .zero))
        #expect(table.reaction(of: .delivery, to: .ready) == .advance(to: .outForDelivery, delay: .zero))
        #expect(table.reaction(of: .delivery, to: .outForDelivery) == .advance(to: .delivered, delay: .zero))
    }

    @Test("demo timings")
    func demoTimings() {
        #expect(StageTimings.demo == StageTimings(prep: .seconds(1), bake: .seconds(2), dispatch: .seconds(1), drive: .seconds(2)))
        #expect(ReactionTable(timings: .demo).reaction(of: .kitchen, to: .baking) == .advance(to: .ready, delay: .seconds(2)))
    }

    @Test("every advance is a legal move of the status machine", arguments: timedTable)
    func advancesAreLegal(_ row: ReactionCase) {
        if case .advance(let target, _) = row.expected {
            #expect(StatusMachine.decide(from: row.status, to: target) == .apply)
        }
    }

    @Test("bindings, written out", arguments: [
        (WorkerRole.kitchen, ["order.placed", "order.accepted", "order.baking"]),
        (.delivery, ["order.ready", "order.out_for_delivery"]),
        (.email, ["order.placed", "order.out_for_delivery", "order.delivered", "order.cancelled"]),
    ])
    func bindings(_ role: WorkerRole, _ expected: [String]) {
        #expect(Set(role.bindings) == Set(expected))
        #expect(role.bindings.count == expected.count, "no duplicate bindings")
    }

    @Test("each role is bound to exactly the statuses it reacts to in timed mode", arguments: WorkerRole.allCases)
    func bindingsMatchReactions(_ role: WorkerRole) {
        let reactsTo = Set(timedTable.filter { $0.role == role && $0.expected != .none }.map(\.status.routingKey))
        #expect(Set(role.bindings) == reactsTo)
        let table = ReactionTable(timings: timings)
        let live = Set(OrderStatus.allCases.filter { table.reaction(of: role, to: $0) != .none }.map(\.routingKey))
        #expect(Set(role.bindings) == live)
    }

    @Test("queue names and email kinds")
    func names() {
        #expect(WorkerRole.allCases.map(\.queue) == ["kitchen", "delivery", "email"])
        #expect(EmailKind.allCases.map(\.rawValue) == ["confirmed", "out_for_delivery", "delivered", "cancelled"])
        #expect(KitchenMode(rawValue: "manual") == .manual)
        #expect(KitchenMode(rawValue: "timed") == .timed)
    }
}
