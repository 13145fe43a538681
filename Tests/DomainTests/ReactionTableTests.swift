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
    row(.kitchen, .placed, .advance([Stage(.accepted, after: .zero), Stage(.baking, after: .seconds(3)), Stage(.ready, after: .seconds(7))])),
    row(.kitchen, .accepted, .advance([Stage(.baking, after: .seconds(3)), Stage(.ready, after: .seconds(7))])),
    row(.kitchen, .baking, .advance([Stage(.ready, after: .seconds(7))])),
    row(.kitchen, .ready, .none),
    row(.kitchen, .outForDelivery, .none),
    row(.kitchen, .delivered, .none),
    row(.kitchen, .cancelled, .none),

    row(.delivery, .placed, .none),
    row(.delivery, .accepted, .none),
    row(.delivery, .baking, .none),
    row(.delivery, .ready, .advance([Stage(.outForDelivery, after: .seconds(11)), Stage(.delivered, after: .seconds(13))])),
    row(.delivery, .outForDelivery, .advance([Stage(.delivered, after: .seconds(13))])),
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
    row(.kitchen, .placed, .advance([Stage(.accepted, after: .zero)])),
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

    @Test("zero timings make every stage immediate")
    func zeroTimings() {
        let table = ReactionTable(timings: .zero)
        #expect(table.reaction(of: .kitchen, to: .placed)
            == .advance([Stage(.accepted, after: .zero), Stage(.baking, after: .zero), Stage(.ready, after: .zero)]))
        #expect(table.reaction(of: .delivery, to: .ready) == .advance([Stage(.outForDelivery, after: .zero), Stage(.delivered, after: .zero)]))
    }

    @Test("demo timings")
    func demoTimings() {
        #expect(StageTimings.demo == StageTimings(prep: .seconds(1), bake: .seconds(2), dispatch: .seconds(1), drive: .seconds(2)))
        #expect(ReactionTable(timings: .demo).reaction(of: .kitchen, to: .baking) == .advance([Stage(.ready, after: .seconds(2))]))
    }

    @Test("every line is a chain of legal moves of the status machine, from the event's status", arguments: timedTable)
    func advancesAreLegal(_ row: ReactionCase) {
        if case .advance(let stages) = row.expected {
            var current = row.status
            for stage in stages {
                #expect(StatusMachine.decide(from: current, to: stage.status) == .apply, "\(current) → \(stage.status)")
                current = stage.status
            }
        }
    }

    @Test("bindings, written out", arguments: [
        (WorkerRole.kitchen, ["order.placed"]),
        (.delivery, ["order.ready"]),
        (.email, ["order.placed", "order.out_for_delivery", "order.delivered", "order.cancelled"]),
    ])
    func bindings(_ role: WorkerRole, _ expected: [String]) {
        #expect(Set(role.bindings) == Set(expected))
        #expect(role.bindings.count == expected.count, "no duplicate bindings")
    }

    @Test("each role reacts to every status it is bound to, in both kitchen modes", arguments: WorkerRole.allCases)
    func bindingsHaveReactions(_ role: WorkerRole) {
        for mode in KitchenMode.allCases {
            let table = ReactionTable(timings: timings, kitchenMode: mode)
            let live = Set(OrderStatus.allCases.filter { table.reaction(of: role, to: $0) != .none }.map(\.routingKey))
            #expect(Set(role.bindings).isSubset(of: live), "\(mode)")
        }
    }

    @Test("the kitchen's own accepted and baking events need no binding: the line started by placed reaches ready")
    func kitchenLineNeedsOnlyPlaced() {
        let table = ReactionTable(timings: timings)
        guard case .advance(let line) = table.reaction(of: .kitchen, to: .placed) else {
            Issue.record("the kitchen does nothing on placed")
            return
        }
        #expect(line.map(\.status) == [.accepted, .baking, .ready])
    }

    @Test("the delivery's own out_for_delivery event needs no binding: the line started by ready reaches delivered")
    func deliveryLineNeedsOnlyReady() {
        let table = ReactionTable(timings: timings)
        guard case .advance(let line) = table.reaction(of: .delivery, to: .ready) else {
            Issue.record("the delivery does nothing on ready")
            return
        }
        #expect(line.map(\.status) == [.outForDelivery, .delivered])
        #expect(!WorkerRole.delivery.bindings.contains(OrderStatus.outForDelivery.routingKey))
    }

    @Test("queue names and email kinds")
    func names() {
        #expect(WorkerRole.allCases.map(\.queue) == ["kitchen", "delivery", "email"])
        #expect(EmailKind.allCases.map(\.rawValue) == ["confirmed", "out_for_delivery", "delivered", "cancelled"])
        #expect(KitchenMode(rawValue: "manual") == .manual)
        #expect(KitchenMode(rawValue: "timed") == .timed)
    }
}
