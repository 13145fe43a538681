import Domain
import Foundation

extension Topology {
    /// The topology as a RabbitMQ definitions document (`rabbitmqctl import_definitions`), so
    /// operators can create it ahead of time. `ops/rabbitmq/definitions.json` is this output; a
    /// test keeps the two equal.
    public func definitions(vhost: String = "/") -> String {
        var queues: [[String: Any]] = []
        var bindings: [[String: Any]] = []
        for role in WorkerRole.allCases {
            queues.append(queue(role.queue, vhost: vhost, arguments: workQueueType.definitionArguments))
            for key in role.bindings {
                bindings.append(["source": Self.exchange, "vhost": vhost, "destination": role.queue, "destination_type": "queue",
                                 "routing_key": key, "arguments": [String: Any]()])
            }
            queues.append(queue(Self.deadLetterQueue(of: role.queue), vhost: vhost))
            for delay in retryDelays.sorted() {
                let millis = delay.wholeMilliseconds
                queues.append(queue(Self.retryQueue(of: role.queue, delay: delay), vhost: vhost, arguments: [
                    "x-message-ttl": millis, "x-dead-letter-exchange": "", "x-dead-letter-routing-key": role.queue,
                ]))
            }
        }
        let document: [String: Any] = [
            "exchanges": [["name": Self.exchange, "vhost": vhost, "type": "topic", "durable": true, "auto_delete": false,
                           "internal": false, "arguments": [String: Any]()]],
            "queues": queues,
            "bindings": bindings,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private func queue(_ name: String, vhost: String, arguments: [String: Any] = [:]) -> [String: Any] {
        ["name": name, "vhost": vhost, "durable": true, "auto_delete": false, "arguments": arguments]
    }
}
