import ArgumentParser
import Foundation
import Infrastructure

/// `pizzeria topology`: prints the broker topology as a RabbitMQ definitions file.
struct TopologyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "Print the exchange, queues and bindings as a RabbitMQ definitions file (for rabbitmqctl import_definitions).")

    @Option(help: "The vhost to put in the definitions (default /)") var vhost = "/"
    @Option(name: .customLong("retry-delays"), help: "Seconds before each retry, comma-separated (default 1,5,30)")
    var retryDelays = "1,5,30"
    @Option(name: .customLong("queue-type"), help: "Type of the work queues: classic or quorum (default quorum)")
    var queueType = "quorum"

    func run() async throws {
        let delays = try RetryDelays.parse(retryDelays)
        print(Topology(retryDelays: delays, workQueueType: try WorkerOptions.queueType(queueType)).definitions(vhost: vhost), terminator: "")
    }
}
