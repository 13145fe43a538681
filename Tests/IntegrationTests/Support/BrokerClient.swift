import Domain
import Foundation
import Infrastructure
import Logging

/// A plain AMQP client for tests: publishes events straight to the exchange (as a partner system
/// would), and reads queues. Not the web front, and not the workers' code path.
final class BrokerClient {
    let configuration: AMQPConfiguration
    private let publisher: ConfirmingPublisher

    init(vhost: String) throws {
        configuration = try TestEnvironment.amqp(vhost: vhost)
        publisher = ConfirmingPublisher(configuration: configuration, topology: Topology(), logger: Logger(label: "test.broker"))
    }

    deinit { publisher.close() }

    /// Publishes a message and waits for the broker's confirm.
    func publish(_ message: AMQPOutgoingMessage) throws {
        let outcome = try publisher.publish([message])
        guard outcome.confirmed == [0] else { throw TestSetupError("broker did not confirm \(message.routingKey)") }
    }

    func publish(_ event: OrderEvent) throws {
        try publish(EventProperties.message(for: event))
    }

    /// How many messages wait in a queue.
    func messageCount(_ queue: String) throws -> Int {
        let connection = try AMQPConnection(configuration: configuration)
        defer { connection.close() }
        return try connection.declareQueue(queue, durable: true, passive: true).messages
    }

    /// Reads every message of a queue without removing any (all are requeued when the connection closes).
    func peek(_ queue: String) throws -> [AMQPDelivery] {
        let connection = try AMQPConnection(configuration: configuration)
        defer { connection.close() }
        var out: [AMQPDelivery] = []
        while let delivery = try connection.get(queue: queue) { out.append(delivery) }
        return out
    }
}

/// Events as a partner would build them.
enum PartnerEvents {
    static func orderPlaced(orderId: String = "pos-\(UUID().uuidString.prefix(8).lowercased())", eventId: String = UUID().uuidString,
                            pizzaId: String = "diavola") -> OrderPlaced {
        OrderPlaced(eventId: eventId, orderId: orderId, occurredAt: Date(),
                    customer: Customer(name: "Phone Desk Customer", email: "desk@example.com", phone: "020 7946 0001", address: "2 High St"),
                    items: [OrderLine(pizzaId: pizzaId, size: .large, quantity: 2, unitPriceCents: 1400)], totalCents: 2800)
    }
}
