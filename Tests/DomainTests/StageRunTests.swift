import Foundation
import Testing
import Domain

/// Distinct durations, so that a stage timed from the wrong one is caught.
private let line = [Stage(.accepted, after: .zero), Stage(.baking, after: .seconds(3)), Stage(.ready, after: .seconds(7))]
private let start = Date(timeIntervalSince1970: 1_800_000_000)

@Suite("Stage lines")
struct StageRunTests {
    @Test("a fresh order: accept at once, at the time it was placed")
    func fresh() {
        #expect(StageRun.next(line, current: .placed, reachedAt: start) == .apply([.accepted], due: start))
    }

    @Test("the next stage counts from the time the order reached the status before it")
    func timedFromThePreviousStatus() {
        #expect(StageRun.next(line, current: .accepted, reachedAt: start) == .apply([.baking], due: start.addingTimeInterval(3)))
        #expect(StageRun.next(line, current: .baking, reachedAt: start) == .apply([.ready], due: start.addingTimeInterval(7)))
    }

    @Test("stages that take no time are applied together with the one before them")
    func zeroTimeStagesChain() {
        let instant = [Stage(.accepted, after: .zero), Stage(.baking, after: .zero), Stage(.ready, after: .zero)]
        #expect(StageRun.next(instant, current: .placed, reachedAt: start) == .apply([.accepted, .baking, .ready], due: start))
        let mixed = [Stage(.accepted, after: .zero), Stage(.baking, after: .zero), Stage(.ready, after: .seconds(7))]
        #expect(StageRun.next(mixed, current: .placed, reachedAt: start) == .apply([.accepted, .baking], due: start))
        #expect(StageRun.next(mixed, current: .baking, reachedAt: start) == .apply([.ready], due: start.addingTimeInterval(7)))
    }

    @Test("an order at the end of the line, past it, or closed, finishes the line", arguments: [
        OrderStatus.ready, .outForDelivery, .delivered, .cancelled,
    ])
    func finished(_ status: OrderStatus) {
        #expect(StageRun.next(line, current: status, reachedAt: start) == .finished)
        #expect(StageRun.remaining(line, after: status).isEmpty)
    }

    @Test("a redelivered message resumes where the order is, not where the event was")
    func resumes() {
        #expect(StageRun.remaining(line, after: .placed).map(\.status) == [.accepted, .baking, .ready])
        #expect(StageRun.remaining(line, after: .baking).map(\.status) == [.ready])
        let delivery = ReactionTable(timings: StageTimings(prep: .zero, bake: .zero, dispatch: .seconds(11), drive: .seconds(13))).deliveryLine
        #expect(StageRun.next(delivery, current: .ready, reachedAt: start) == .apply([.outForDelivery], due: start.addingTimeInterval(11)))
        #expect(StageRun.next(delivery, current: .outForDelivery, reachedAt: start) == .apply([.delivered], due: start.addingTimeInterval(13)))
    }
}
