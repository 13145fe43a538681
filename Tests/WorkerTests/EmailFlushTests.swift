import Domain
import Foundation
import Infrastructure
import Logging
import Testing
import Workers

/// The error of a failed flush.
private struct DiskGone: Error, CustomStringConvertible {
    var description: String { "disk gone" }
}

/// A transport that keeps what it was given, and whose flush can be made to fail.
private final class RecordingTransport: EmailTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var sentNames: [String] = []
    private var flushes = 0
    private var failing = false

    func send(_ message: EmailMessage, fileName: String) throws {
        lock.withLock { sentNames.append(fileName) }
    }

    func flush() throws {
        try lock.withLock {
            flushes += 1
            if failing { throw DiskGone() }
        }
    }

    func failFlushes(_ fail: Bool) { lock.withLock { failing = fail } }
    var sent: [String] { lock.withLock { sentNames } }
    var flushCount: Int { lock.withLock { flushes } }
}

/// The email worker records a batch as sent only once its transport said the batch is durable.
@Suite("Email worker: flush before record")
struct EmailFlushTests {
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pizzeria-email-flush-\(UUID().uuidString)")

    private func handler(_ transport: RecordingTransport,
                         yieldInterval: Duration? = EmailHandler.defaultYieldInterval) throws -> (EmailHandler, PizzeriaDatabase) {
        let database = try PizzeriaDatabase(path: directory.appendingPathComponent("test.sqlite").path, logger: Logger(label: "test"))
        let menu = try database.menu()
        let composer = EmailComposer(sender: Mailbox(name: "Pizzeria", address: "orders@pizzeria.test"), menu: menu, domain: "pizzeria.test")
        return (EmailHandler(database: database, menu: menu, composer: composer, transport: transport, yieldInterval: yieldInterval),
                database)
    }

    private func placed(_ orderId: String) -> (OrderEvent, Reaction) {
        let event = OrderPlaced(eventId: OrderID.make(), orderId: orderId, occurredAt: Date(),
                                customer: Customer(name: "Ada", email: "ada@example.com", phone: "+44 20 7946 0000", address: "1 Test St"),
                                items: [OrderLine(pizzaId: "margherita", size: .medium, quantity: 2, unitPriceCents: 950)], totalCents: 1900)
        return (.placed(event), .sendEmail(.confirmed))
    }

    @Test("A batch is flushed once, after its sends; a redelivered message is skipped without a send or a flush")
    func flushOncePerBatch() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let transport = RecordingTransport()
        let (handler, _) = try handler(transport)
        let batch = [placed(OrderID.make()), placed(OrderID.make())]
        let results = handler.handle(batch)
        #expect(results.allSatisfy { (try? $0.get()) == .changed(at: nil) })
        #expect(transport.sent.count == 2)
        #expect(transport.flushCount == 1)

        let again = handler.handle([batch[0]])
        guard case .success(.unchanged(let why, _)) = try #require(again.first) else {
            Issue.record("expected the redelivered message to be skipped, got \(again)")
            return
        }
        #expect(why.contains("already sent"))
        #expect(transport.sent.count == 2)
        #expect(transport.flushCount == 1)
    }

    @Test("Yielding the core after every email, or never, sends and records a batch the same: each email once, one flush")
    func yieldingChangesNothingButTiming() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        for interval in [Duration.zero, nil] {
            let transport = RecordingTransport()
            let (handler, _) = try handler(transport, yieldInterval: interval)
            let batch = (0..<20).map { _ in placed(OrderID.make()) }
            let results = handler.handle(batch + [batch[3]])
            #expect(results.prefix(20).allSatisfy { (try? $0.get()) == .changed(at: nil) }, "yield interval \(String(describing: interval))")
            guard case .success(.unchanged(let why, _)) = try #require(results.last) else {
                Issue.record("expected the duplicate in the batch to be skipped, got \(String(describing: results.last))")
                continue
            }
            #expect(why.contains("already sent"))
            #expect(Set(transport.sent).count == 20)
            #expect(transport.sent.count == 20)
            #expect(transport.flushCount == 1)
            #expect(handler.handle([batch[0]]).allSatisfy { if case .success(.unchanged) = $0 { true } else { false } })
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test("When the flush fails, the batch's emails are not recorded: they fail for a retry, which sends them again")
    func failedFlushIsNotRecorded() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let transport = RecordingTransport()
        let (handler, _) = try handler(transport)
        let message = placed(OrderID.make())
        transport.failFlushes(true)
        let failed = handler.handle([message])
        #expect(failed.first == .failure(.transient("mail: disk gone")))

        transport.failFlushes(false)
        let retried = handler.handle([message])
        #expect(retried.first == .success(.changed(at: nil)))
        #expect(transport.sent.count == 2, "the retry must send again: the first send was never known to be durable")
        #expect(transport.flushCount == 2)
    }
}
