import Domain
import Foundation
import Infrastructure

/// The email worker's work: one message per customer-facing step, at most once per order and kind.
///
/// Order of work: skip when the `emails` table says it went out; send; then record the email and
/// the message id in one transaction. A crash between send and record sends again on redelivery;
/// the maildir transport then overwrites the same file and the Message-ID is fixed, so the
/// customer still sees one message.
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

    public func handle(_ event: OrderEvent, _ reaction: Reaction) throws(HandlingFailure) -> HandlingResult {
        guard case .sendEmail(let kind) = reaction else { return .unchanged("no email for \(event.status.rawValue)") }
        if case .placed(let placed) = event { try MenuCheck.check(placed, against: menu) }
        do {
            if try database.emailSent(orderId: event.orderId, kind: kind) {
                try database.markProcessed(consumer: Self.consumer, messageId: event.eventId)
                return .unchanged("\(kind.rawValue) email already sent")
            }
        } catch {
            throw .transient("database: \(error)")
        }
        let customer: Customer, lines: [OrderLine], total: Int
        switch event {
        case .placed(let placed):
            (customer, lines, total) = (placed.customer, placed.items, placed.totalCents)
        case .statusChanged:
            let record: OrderRecord?
            do { record = try database.order(id: event.orderId) } catch { throw .transient("database: \(error)") }
            guard let record else { throw .poison("unknown order \(event.orderId)") }
            (customer, lines, total) = (record.customer, record.lines, record.totalCents)
        }
        let message = composer.compose(kind, orderId: event.orderId, customer: customer, lines: lines, totalCents: total, now: Date())
        do {
            try transport.send(message, fileName: "\(event.orderId).\(kind.rawValue).eml")
        } catch {
            throw .transient("mail: \(error)")
        }
        do {
            _ = try database.recordEmail(consumer: Self.consumer, messageId: event.eventId, event: event, kind: kind,
                                         emailMessageId: message.messageId, recipient: customer.email)
        } catch {
            throw .transient("database: \(error)")
        }
        return .changed
    }
}
