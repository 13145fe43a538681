import ArgumentParser
import Foundation
import Hummingbird
import Domain
import Infrastructure
import Producers
import ServiceLifecycle

/// `pizzeria serve`: the web front and its outbox relay; with `--workers`, queue workers in the same process.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the web front (API, pages) and the outbox relay.")

    @OptionGroup var common: CommonOptions

    @Option(help: """
        Also run these queue workers in this process: kitchen, delivery, email, a comma-separated list, or all \
        [env PIZZERIA_SERVE_WORKERS] (default none: run them with `pizzeria work`)
        """)
    var workers: String?

    @OptionGroup(title: "Options of the workers run with --workers") var workerOptions: WorkerOptions

    @Option(help: "Address to listen on [env PIZZERIA_HTTP_HOST] (default 127.0.0.1)")
    var host: String?

    @Option(help: "Port to listen on [env PIZZERIA_HTTP_PORT] (default 8080)")
    var port: Int?

    @Option(name: .customLong("public-url"), help: "Base URL in tracking links [env PIZZERIA_PUBLIC_URL] (default http://HOST:PORT)")
    var publicURL: String?

    @Option(name: .customLong("staff-token"), help: "Staff token for the kitchen display and operator console [env PIZZERIA_STAFF_TOKEN]")
    var staffToken: String?

    @Option(name: .customLong("kitchen-mode"), help: "timed (default) or manual, as the kitchen worker runs [env PIZZERIA_KITCHEN_MODE]")
    var kitchenMode: String?

    @Option(name: .customLong("recall-seconds"), help: "How long a kitchen bump can be recalled [env PIZZERIA_RECALL_SECONDS] (default 8)")
    var recallSeconds: Double?

    @Option(name: .customLong("amber-seconds"), help: "Ticket age that turns amber [env PIZZERIA_AMBER_SECONDS] (default 600)")
    var amberSeconds: Double?

    @Option(name: .customLong("red-seconds"), help: "Ticket age that turns red [env PIZZERIA_RED_SECONDS] (default 900)")
    var redSeconds: Double?

    func run() async throws {
        ProcessMemory.limitMallocArenas(to: 2)
        let logger = common.logger(label: "pizzeria.serve")
        let metrics = MetricsBootstrap.once()
        let database = try common.openDatabase(logger: logger)
        let menu = try database.menu()
        let host = Env.value(host, "PIZZERIA_HTTP_HOST", default: "127.0.0.1")
        let portText = Env.value(port.map(String.init), "PIZZERIA_HTTP_PORT", default: "8080")
        guard let port = Int(portText) else { throw ValidationError("PIZZERIA_HTTP_PORT must be a number") }
        let settings = WebFrontSettings(host: host, port: port, publicURL: Env.optional(publicURL, "PIZZERIA_PUBLIC_URL"),
                                        staffToken: Env.optional(staffToken, "PIZZERIA_STAFF_TOKEN"))
        let amqp = try common.amqp()
        let redis = try common.redis()
        let topology = try workerOptions.topology()
        let relay = OutboxRelay(database: database, amqp: amqp, redis: redis, topology: topology,
                                owner: "serve/\(WorkerIdentity.current)", logger: logger)
        let hub = NoticeHub(configuration: redis, logger: logger)
        let modeText = Env.value(kitchenMode, "PIZZERIA_KITCHEN_MODE", default: "timed")
        guard let mode = KitchenMode(rawValue: modeText) else { throw ValidationError("kitchen mode must be timed or manual") }
        let kitchen = KitchenSettings(recallWindow: try Env.seconds(recallSeconds, "PIZZERIA_RECALL_SECONDS", default: 8),
                                      amberAfterSeconds: Int(try Env.seconds(amberSeconds, "PIZZERIA_AMBER_SECONDS", default: 600).components.seconds),
                                      redAfterSeconds: Int(try Env.seconds(redSeconds, "PIZZERIA_RED_SECONDS", default: 900).components.seconds),
                                      mode: mode)
        let bumps = KitchenBumpApplier(database: database, logger: logger)
        let committer = PlacementCommitter(database: database, settings: settings, logger: logger,
                                           gatherWindow: try Env.seconds(nil, "PIZZERIA_ORDER_GATHER_SECONDS", default: 0.0015))
        let web = WebFrontContext(database: database, menu: menu, settings: settings, kitchen: kitchen, hub: hub,
                                  deadLetters: DeadLetterOperator(configuration: amqp, logger: logger), metrics: metrics,
                                  committer: committer)
        let app = try WebFront.buildApplication(web, logger: logger)
        let workerText = Env.value(workers, "PIZZERIA_SERVE_WORKERS", default: "none")
        let roles = workerText == "none" ? [] : try WorkerOptions.roles(workerText)
        // Without workers, their options (prefetch, batch, stage times, mail) are not read at all.
        let queueWorkers = roles.isEmpty ? [] : try workerOptions.services(roles: roles, database: database, menu: menu, amqp: amqp,
                                                                           topology: topology, kitchenMode: mode, logger: logger)
        // Graceful shutdown runs in reverse order: live views and bumps, then HTTP (in-flight requests
        // finish), then the queue workers (each finishes its batch), then the order writer, then the
        // relay flushes the outbox.
        let services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: relay.service), .init(service: committer.service)]
            + queueWorkers + [.init(service: app), .init(service: bumps.service)] + hub.services.map { .init(service: $0) }
        let group = ServiceGroup(configuration: .init(services: services,
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info("serve.starting", metadata: ["http.url": "\(settings.publicURL)", "roles": "\(roles.map(\.rawValue))"])
        try await group.run()
    }
}
