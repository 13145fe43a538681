import Domain
import Foundation
import Infrastructure

/// The email worker's work: one message per customer-facing step, at most once per order and kind.
///
/// Order of work: skip when the `emails` table says it went out; send; then record the emails and
/// the message ids of a batch in one transaction. A crash between send and record sends again on
/// redelivery; the maildir transport then overwrites the same file and the Message-ID is fixed,
/// so the customer still sees one message.
public struct EmailHandler: Sendable {
    private let database: PizzeriaDatabase
    private let menu: Menu
    private let composer: EmailComposer
    private let transport: any EmailTransport
    public static let consumer = WorkerRole.email.rawValue

    public init(database: PizzeriaDatabase, menu: Menu, composer: EmailComposer, transport: any EmailTransport) {
        self.database = database
        self.menu = menu
        self.composer = composer
        self.transport = transport
    }

    public func handle(_ batch: [(OrderEvent, Reaction)]) -> [Result<HandlingResult, HandlingFailure>] {
        var results: [Result<HandlingResult, HandlingFailure>] = []
        var sent: [PizzeriaDatabase.SentEmail] = []
        var sentPositions: [Int] = []
        var skipped: [String] = []
        var seen: Set<String> = []
        for (index, (event, reaction)) in batch.enumerated() {
            let result = handleOne(event, reaction, seen: &seen)
            switch result {
            case .success(.changed(let email)):
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
        do {
            try database.recordEmails(sent)
            try database.markProcessed(consumer: Self.consumer, messageIds: skipped)
        } catch {
            for position in sentPositions { results[position] = .failure(.transient("database: \(error)")) }
        }
        return results
    }

    private enum OneResult {
        case changed(PizzeriaDatabase.SentEmail)
        case skipped(String)
    }

    private func handleOne(_ event: OrderEvent, _ reaction: Reaction, seen: inout Set<String>) -> Result<OneResult, HandlingFailure> {
        guard case .sendEmail(let kind) = reaction else { return .success(.skipped("no email for \(event.status.rawValue)")) }
        if case .placed(let placed) = event, let problem = MenuCheck.problem(placed, against: menu) { return .failure(problem) }
        let key = "\(event.orderId)/\(kind.rawValue)"
        guard !seen.contains(key) else { return .success(.skipped("\(kind.rawValue) email already sent")) }
        do {
            if try database.emailSent(orderId: event.orderId, kind: kind) { return .success(.skipped("\(kind.rawValue) email already sent")) }
        } catch {
            return .failure(.transient("database: \(error)"))
        }
        let customer: Customer, lines: [OrderLine], total: Int
        switch event {
        case .placed(let placed):
            (customer, lines, total) = (placed.customer, placed.items, placed.totalCents)
        case .statusChanged:
            let record: OrderRecord?
            do { record = try database.order(id: event.orderId) } catch { return .failure(.transient("database: \(error)")) }
            guard let record else { return .failure(.poison("unknown order \(event.orderId)")) }
            (customer, lines, total) = (record.customer, record.lines, record.totalCents)
        }
        let message = composer.compose(kind, orderId: event.orderId, customer: customer, lines: lines, totalCents: total, now: Date())
        do {
            try transport.send(message, fileName: "\(event.orderId).\(kind.rawValue).eml")
        } catch {
            return .failure(.transient("mail: \(error)"))
        }
        seen.insert(key)
        return .success(.changed(.init(consumer: Self.consumer, messageId: event.eventId, event: event, kind: kind,
                                       emailMessageId: message.messageId, recipient: customer.email)))
    }
}
