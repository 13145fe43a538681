import ArgumentParser
import Foundation
import Hummingbird
import Infrastructure
import Producers
import ServiceLifecycle

/// `pizzeria serve`: the web front and its outbox relay.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the web front (API, pages) and the outbox relay.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Address to listen on [env PIZZERIA_HTTP_HOST] (default 127.0.0.1)")
    var host: String?

    @Option(help: "Port to listen on [env PIZZERIA_HTTP_PORT] (default 8080)")
    var port: Int?

    @Option(name: .customLong("public-url"), help: "Base URL in tracking links [env PIZZERIA_PUBLIC_URL] (default http://HOST:PORT)")
    var publicURL: String?

    @Option(name: .customLong("staff-token"), help: "Staff token for the kitchen display and operator console [env PIZZERIA_STAFF_TOKEN]")
    var staffToken: String?

    func run() async throws {
        let logger = common.logger(label: "pizzeria.serve")
        let metrics = MetricsBootstrap.once()
        let database = try common.openDatabase(logger: logger)
        let menu = try database.menu()
        let host = Env.value(host, "PIZZERIA_HTTP_HOST", default: "127.0.0.1")
        let portText = Env.value(port.map(String.init), "PIZZERIA_HTTP_PORT", default: "8080")
        guard let port = Int(portText) else { throw ValidationError("PIZZERIA_HTTP_PORT must be a number") }
        let settings = WebFrontSettings(host: host, port: port, publicURL: Env.optional(publicURL, "PIZZERIA_PUBLIC_URL"),
                                        staffToken: Env.optional(staffToken, "PIZZERIA_STAFF_TOKEN"))
        let relay = OutboxRelay(database: database, amqp: try common.amqp(), redis: try common.redis(), topology: Topology(),
                                owner: "serve/\(WorkerIdentity.current)", logger: logger)
        let hub = NoticeHub(configuration: try common.redis(), logger: logger)
        let app = WebFront.buildApplication(database: database, menu: menu, settings: settings, relay: relay.control, hub: hub, metrics: metrics,
                                            logger: logger)
        let services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: app), .init(service: relay.service)]
            + hub.services.map { .init(service: $0) }
        let group = ServiceGroup(configuration: .init(services: services,
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info("serve.starting", metadata: ["http.url": "\(settings.publicURL)"])
        try await group.run()
    }
}
