import Testing
import Domain

/// One row of the expected-decision table: a move and what the state machine must answer.
struct TransitionCase: Sendable, CustomTestStringConvertible {
    let from: OrderStatus
    let to: OrderStatus
    let expected: TransitionDecision
    var testDescription: String { "\(from.rawValue) → \(to.rawValue) = \(expected)" }
}

// Shorthands for the table below.
private let A = TransitionDecision.apply
private let R = TransitionDecision.alreadyReached
private let C = TransitionDecision.orderClosed
private let I = TransitionDecision.illegal

/// All 49 (from, to) pairs, written out by hand from DESIGN.md "Order status":
/// legal moves apply; the same or an earlier main-line status is already reached; a closed
/// order (cancelled, or delivered asked to cancel) takes nothing; skips and late cancels are illegal.
/// `cancelled → cancelled` is a duplicate of the cancel event, so it counts as already reached.
private let transitionTable: [TransitionCase] = {
    let p = OrderStatus.placed, a = OrderStatus.accepted, b = OrderStatus.baking, r = OrderStatus.ready
    let o = OrderStatus.outForDelivery, d = OrderStatus.delivered, c = OrderStatus.cancelled
    let columns = [p, a, b, r, o, d, c]
    let rows: [(OrderStatus, [TransitionDecision])] = [
        //            to: placed accepted baking ready  out    delivered cancelled
        (p, /* placed    */ [R, A, I, I, I, I, A]),
        (a, /* accepted  */ [R, R, A, I, I, I, A]),
        (b, /* baking    */ [R, R, R, A, I, I, I]),
        (r, /* ready     */ [R, R, R, R, A, I, I]),
        (o, /* out f. d. */ [R, R, R, R, R, A, I]),
        (d, /* delivered */ [R, R, R, R, R, R, C]),
        (c, /* cancelled */ [C, C, C, C, C, C, R]),
    ]
    return rows.flatMap { from, decisions in
        zip(columns, decisions).map { TransitionCase(from: from, to: $0, expected: $1) }
    }
}()

@Suite("Status machine")
struct StatusMachineTests {
    @Test("the expected table covers every pair exactly once")
    func tableIsComplete() {
        #expect(transitionTable.count == 49)
        let pairs = Set(transitionTable.map { "\($0.from.rawValue)>\($0.to.rawValue)" })
        #expect(pairs.count == 49)
        #expect(OrderStatus.allCases.count == 7)
    }

    @Test("decide(from:to:)", arguments: transitionTable)
    func decide(_ row: TransitionCase) {
        #expect(StatusMachine.decide(from: row.from, to: row.to) == row.expected)
    }

    @Test("the seven legal moves, and only they, apply")
    func legalMoves() {
        let applied = Set(OrderStatus.allCases.flatMap { from in
            OrderStatus.allCases.filter { StatusMachine.decide(from: from, to: $0) == .apply }
                .map { "\(from.rawValue)>\($0.rawValue)" }
        })
        #expect(applied == [
            "placed>accepted", "placed>cancelled", "accepted>baking", "accepted>cancelled",
            "baking>ready", "ready>out_for_delivery", "out_for_delivery>delivered",
        ])
    }

    @Test("walking the main line applies every step and reaches delivered")
    func happyPath() {
        let line: [OrderStatus] = [.placed, .accepted, .baking, .ready, .outForDelivery, .delivered]
        for (current, next) in zip(line, line.dropFirst()) {
            #expect(StatusMachine.decide(from: current, to: next) == .apply, "\(current) → \(next)")
        }
    }

    @Test("successors(of:)", arguments: [
        (OrderStatus.placed, [OrderStatus.accepted, .cancelled]),
        (.accepted, [.baking, .cancelled]),
        (.baking, [.ready]),
        (.ready, [.outForDelivery]),
        (.outForDelivery, [.delivered]),
        (.delivered, []),
        (.cancelled, []),
    ])
    func successors(_ status: OrderStatus, _ expected: [OrderStatus]) {
        #expect(StatusMachine.successors(of: status) == expected)
    }

    @Test("a successor is exactly a move that applies", arguments: OrderStatus.allCases)
    func successorsAgreeWithDecide(_ from: OrderStatus) {
        for to in OrderStatus.allCases {
            let isSuccessor = StatusMachine.successors(of: from).contains(to)
            #expect(isSuccessor == (StatusMachine.decide(from: from, to: to) == .apply), "\(from) → \(to)")
        }
    }

    @Test("stage", arguments: [
        (OrderStatus.placed, 1 as Int?), (.accepted, 2), (.baking, 3), (.ready, 4),
        (.outForDelivery, 5), (.delivered, 6), (.cancelled, nil),
    ])
    func stage(_ status: OrderStatus, _ expected: Int?) {
        #expect(status.stage == expected)
    }

    @Test("isFinal only for delivered and cancelled", arguments: [
        (OrderStatus.placed, false), (.accepted, false), (.baking, false), (.ready, false),
        (.outForDelivery, false), (.delivered, true), (.cancelled, true),
    ])
    func isFinal(_ status: OrderStatus, _ expected: Bool) {
        #expect(status.isFinal == expected)
    }

    @Test("wire spelling and routing keys", arguments: [
        (OrderStatus.placed, "placed", "order.placed"),
        (.accepted, "accepted", "order.accepted"),
        (.baking, "baking", "order.baking"),
        (.ready, "ready", "order.ready"),
        (.outForDelivery, "out_for_delivery", "order.out_for_delivery"),
        (.delivered, "delivered", "order.delivered"),
        (.cancelled, "cancelled", "order.cancelled"),
    ])
    func routingKey(_ status: OrderStatus, _ raw: String, _ key: String) {
        #expect(status.rawValue == raw)
        #expect(OrderStatus(rawValue: raw) == status)
        #expect(status.routingKey == key)
    }

    @Test("unknown spellings are not statuses", arguments: ["outForDelivery", "Placed", "canceled", ""])
    func unknownRawValue(_ raw: String) {
        #expect(OrderStatus(rawValue: raw) == nil)
    }

    @Test("labels for people")
    func labels() {
        #expect(OrderStatus.outForDelivery.label == "Out for delivery")
        #expect(OrderStatus.placed.label == "Placed")
        #expect(Set(OrderStatus.allCases.map(\.label)).count == 7)
    }
}
