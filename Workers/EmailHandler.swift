import Domain
import Foundation
import Infrastructure

/// The email worker's work: one message per customer-facing step, at most once per order and kind.
///
/// Order of work: skip when the `emails` table says it went out; send; flush the transport (the
/// batch's messages are durable); then record the emails and the message ids of a batch in one
/// transaction. A crash between send and record sends again on redelivery; the maildir transport
/// then overwrites the same file and the Message-ID is fixed, so the customer still sees one message.
public struct EmailHandler: Sendable {
    private let database: PizzeriaDatabase
    private let menu: Menu
    private let composer: EmailComposer
    private let transport: any EmailTransport
    private let yieldInterval: Duration?
    public static let consumer = WorkerRole.email.rawValue
    /// How much of a batch's work runs between two yields of the core, unless told otherwise.
    public static let defaultYieldInterval: Duration = .microseconds(500)

    /// `yieldInterval`: between the emails of a batch, let another thread ready to run on this CPU
    /// have it once this much work has run since the last time (``CoreYield``), so that a batch of a
    /// few hundred emails (10–45 ms of CPU in session 23's traces) does not hold a core that the way
    /// to `accepted` is waiting for; nil never yields. The yields come between the batch's read
    /// transaction and its write transaction, so the worker never gives up its core while it holds
    /// SQLite's write lock.
    public init(database: PizzeriaDatabase, menu: Menu, composer: EmailComposer, transport: any EmailTransport,
                yieldInterval: Duration? = defaultYieldInterval) {
        self.database = database
        self.menu = menu
        self.composer = composer
        self.transport = transport
        self.yieldInterval = yieldInterval
    }

    /// Handles a batch with one read transaction (which emails went out, the orders' contacts),
    /// the sends, and one write transaction (what went out, and the messages that needed nothing).
    public func handle(_ batch: [(OrderEvent, Reaction)]) -> [Result<HandlingResult, HandlingFailure>] {
        var keys: [PizzeriaDatabase.EmailKey] = []
        var orderIds: [String] = []
        for (event, reaction) in batch {
            guard case .sendEmail(let kind) = reaction else { continue }
            keys.append(.init(orderId: event.orderId, kind: kind))
            if case .statusChanged = event { orderIds.append(event.orderId) }
        }
        let facts: (sent: Set<PizzeriaDatabase.EmailKey>, orders: [String: PizzeriaDatabase.OrderContact])
        do {
            facts = try database.emailFacts(keys: keys, orderIds: orderIds)
        } catch {
            return batch.map { _ in .failure(.transient("database: \(error)")) }
        }
        var results: [Result<HandlingResult, HandlingFailure>] = []
        var sent: [PizzeriaDatabase.SentEmail] = []
        var sentPositions: [Int] = []
        var skipped: [String] = []
        var done = facts.sent
        var pacer = yieldInterval.map { CoreYield(every: $0) }
        for (index, (event, reaction)) in batch.enumerated() {
            switch handleOne(event, reaction, done: &done, orders: facts.orders) {
            case .success(.changed(let email)):
                pacer?.pace()
                sent.append(email)
                sentPositions.append(index)
                results.append(.success(.changed(at: nil)))
            case .success(.skipped(let why)):
                skipped.append(event.eventId)
                results.append(.success(.unchanged(why, at: nil)))
            case .failure(let failure):
                results.append(.failure(failure))
            }
        }
        if !sent.isEmpty {
            do {
                try transport.flush()
            } catch {
                // Not known to be durable: not recorded, so the messages come back and are sent again.
                for position in sentPositions { results[position] = .failure(.transient("mail: \(error)")) }
                sent = []
                sentPositions = []
            }
        }
        do {
            try database.recordEmails(sent, skipped: skipped, consumer: Self.consumer)
        } catch {
            for position in sentPositions { results[position] = .failure(.transient("database: \(error)")) }
        }
        return results
    }

    private enum OneResult {
        case changed(PizzeriaDatabase.SentEmail)
        case skipped(String)
    }

    /// One message: its email, unless it went out already (in the database or earlier in this batch).
    private func handleOne(_ event: OrderEvent, _ reaction: Reaction, done: inout Set<PizzeriaDatabase.EmailKey>,
                           orders: [String: PizzeriaDatabase.OrderContact]) -> Result<OneResult, HandlingFailure> {
        guard case .sendEmail(let kind) = reaction else { return .success(.skipped("no email for \(event.status.rawValue)")) }
        if case .placed(let placed) = event, let problem = MenuCheck.problem(placed, against: menu) { return .failure(problem) }
        let key = PizzeriaDatabase.EmailKey(orderId: event.orderId, kind: kind)
        guard !done.contains(key) else { return .success(.skipped("\(kind.rawValue) email already sent")) }
        let customer: Customer, lines: [OrderLine], total: Int
        switch event {
        case .placed(let placed):
            (customer, lines, total) = (placed.customer, placed.items, placed.totalCents)
        case .statusChanged:
            guard let order = orders[event.orderId] else { return .failure(.poison("unknown order \(event.orderId)")) }
            (customer, lines, total) = (order.customer, order.lines, order.totalCents)
        }
        let message = composer.compose(kind, orderId: event.orderId, customer: customer, lines: lines, totalCents: total, now: Date())
        do {
            try transport.send(message, fileName: "\(event.orderId).\(kind.rawValue).eml")
        } catch {
            return .failure(.transient("mail: \(error)"))
        }
        done.insert(key)
        return .success(.changed(.init(consumer: Self.consumer, messageId: event.eventId, event: event, kind: kind,
                                       emailMessageId: message.messageId, recipient: customer.email)))
    }
}
