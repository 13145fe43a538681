import Domain
import Foundation
@testable import Infrastructure
import Logging
@testable import Producers
import Testing

/// The web front's order writer: a commit that would carry few placements waits a moment for more
/// while orders come steadily, and an order that comes alone is written at once.
@Suite("Order writer gathers small commits")
struct PlacementGatherTests {
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pizzeria-gather-\(UUID().uuidString)")

    private static func placement(_ name: String) -> PizzeriaDatabase.Placement {
        let order = NewOrder(customer: Customer(name: name, email: "\(name.lowercased())@example.com", phone: "+41 79 000 00 00", address: "Bahnhofstrasse 1"),
                             lines: [OrderLine(pizzaId: "margherita", size: .medium, quantity: 1, unitPriceCents: 950)], notes: nil)
        return PizzeriaDatabase.Placement(order: order, idempotencyKey: nil, requestHash: name)
    }

    /// Runs `body` with a committer whose writer thread is running, then stops it.
    private func withCommitter(gatherWindow: Duration, busyWithin: Duration,
                               _ body: (PlacementCommitter) async throws -> Void) async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try PizzeriaDatabase(path: directory.appendingPathComponent("test.sqlite").path, logger: Logger(label: "test"))
        let committer = PlacementCommitter(database: database, settings: WebFrontSettings(), logger: Logger(label: "test"),
                                           gatherWindow: gatherWindow, gatherBelow: 4, busyWithin: busyWithin)
        let writer = Task { try await committer.service.run() }
        defer {
            committer.control.stop()
            writer.cancel()
        }
        try await body(committer)
    }

    private static func isCreated(_ result: PlaceOrderResult) -> Bool {
        if case .created = result { return true }
        return false
    }

    @Test("While orders come steadily, two placements a moment apart share one commit, and each gets its own order")
    func steadyOrdersShareACommit() async throws {
        try await withCommitter(gatherWindow: .milliseconds(800), busyWithin: .seconds(30)) { committer in
            // The first order finds no recent commit: written at once, alone.
            #expect(Self.isCreated(try await committer.place(Self.placement("Ada"))))
            #expect(committer.commits == 1)
            // The next comes within `busyWithin`: its commit waits for the one that follows it.
            async let second = committer.place(Self.placement("Grace"))
            try await Task.sleep(for: .milliseconds(100))
            async let third = committer.place(Self.placement("Edsger"))
            let results = try await [second, third]
            #expect(results.allSatisfy(Self.isCreated), "\(results)")
            #expect(committer.commits == 2, "the second and third placements went in one transaction")
            guard case .created(let a) = results[0], case .created(let b) = results[1] else { return }
            #expect(a.id != b.id)
        }
    }

    @Test("An order that comes alone is not held for the window")
    func loneOrderIsWrittenAtOnce() async throws {
        try await withCommitter(gatherWindow: .seconds(20), busyWithin: .milliseconds(50)) { committer in
            #expect(Self.isCreated(try await committer.place(Self.placement("Ada"))))
            try await Task.sleep(for: .milliseconds(300))
            let started = ContinuousClock.now
            #expect(Self.isCreated(try await committer.place(Self.placement("Grace"))))
            // Held, it would take the whole 20 s window (no third order comes).
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(committer.commits == 2)
        }
    }
}
