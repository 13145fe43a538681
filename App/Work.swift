import ArgumentParser
import Domain
import Foundation
import Infrastructure
import Logging
import Producers
import ServiceLifecycle
import Workers

/// `pizzeria work kitchen|delivery|email|all`: the queue workers, with this process' outbox relay.
struct Work: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run queue workers.")

    @Argument(help: "kitchen, delivery, email, a comma-separated list of them, or all")
    var role: String

    @OptionGroup var common: CommonOptions

    @OptionGroup var workers: WorkerOptions

    @Option(name: .customLong("kitchen-mode"), help: "timed (default) or manual (the crew bumps tickets) [env PIZZERIA_KITCHEN_MODE]")
    var kitchenMode: String?

    @Option(name: .customLong("metrics-port"), help: "Port for /metrics and /health on 127.0.0.1, 0 for none [env PIZZERIA_METRICS_PORT] (default 9101)")
    var metricsPort: Int?

    func run() async throws {
        let roles = try WorkerOptions.roles(role)
        ProcessMemory.limitMallocArenas(to: 2)
        let logger = common.logger(label: "pizzeria.work")
        let metrics = MetricsBootstrap.once()
        // A worker reads little (the email worker's lookups, the relay's backlog): two small readers.
        // Its writer's cache is 1 MiB instead of SQLite's 2,000 KiB: every commit of another process
        // empties it anyway (WAL), so it only has to hold one batch's pages; at 10,000 orders this
        // took 0.8-2.6 MiB off each worker's peak RSS for the same system calls (512 KiB took more
        // off, but read pages back: 10 more read calls per order).
        let database = try common.openDatabase(logger: logger, readers: 2, readerCacheKiB: 512, writerCacheKiB: 1024)
        let menu = try database.menu()
        let amqp = try common.amqp()
        let topology = try workers.topology()
        let modeText = Env.value(kitchenMode, "PIZZERIA_KITCHEN_MODE", default: "timed")
        guard let mode = KitchenMode(rawValue: modeText) else { throw ValidationError("kitchen mode must be timed or manual") }
        let relay = OutboxRelay(database: database, amqp: amqp, redis: try common.redis(), topology: topology,
                                owner: "work/\(WorkerIdentity.current)", logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: relay.service)]
        services += try workers.services(roles: roles, database: database, menu: menu, amqp: amqp, topology: topology,
                                         kitchenMode: mode, logger: logger)
        let metricsPortValue = try metricsPort ?? Int(Env.value(nil, "PIZZERIA_METRICS_PORT", default: "9101"))
            .orThrow(ValidationError("PIZZERIA_METRICS_PORT must be a number"))
        if metricsPortValue > 0 {
            services.append(.init(service: MetricsServer(host: "127.0.0.1", port: metricsPortValue, registry: metrics, logger: logger)))
        }
        logger.info("work.starting", metadata: ["roles": "\(roles.map(\.rawValue))", "amqp.broker": "\(amqp)"])
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
