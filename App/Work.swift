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

    @Argument(help: "kitchen, delivery, email or all")
    var role: String

    @OptionGroup var common: CommonOptions

    @Option(help: "Unacked messages per consumer [env PIZZERIA_PREFETCH] (default 100)")
    var prefetch: UInt16?

    @Option(help: "Most messages per SQLite transaction (group commit) [env PIZZERIA_BATCH] (default 100)")
    var batch: Int?

    @Option(name: .customLong("prep-seconds"), help: "accepted → baking [env PIZZERIA_PREP_SECONDS] (default 1)")
    var prep: Double?
    @Option(name: .customLong("bake-seconds"), help: "baking → ready [env PIZZERIA_BAKE_SECONDS] (default 2)")
    var bake: Double?
    @Option(name: .customLong("dispatch-seconds"), help: "ready → out for delivery [env PIZZERIA_DISPATCH_SECONDS] (default 1)")
    var dispatch: Double?
    @Option(name: .customLong("drive-seconds"), help: "out for delivery → delivered [env PIZZERIA_DRIVE_SECONDS] (default 2)")
    var drive: Double?

    @Option(name: .customLong("kitchen-mode"), help: "timed (default) or manual (the crew bumps tickets) [env PIZZERIA_KITCHEN_MODE]")
    var kitchenMode: String?

    @Option(help: "Maildir the email worker writes to [env PIZZERIA_MAILDIR] (default .run/mail)")
    var maildir: String?

    @Option(name: .customLong("smtp-url"), help: "Send email to this SMTP server (smtp://host:port) instead of the maildir [env PIZZERIA_SMTP_URL]")
    var smtpURL: String?

    @Option(name: .customLong("mail-from"), help: "Sender address [env PIZZERIA_MAIL_FROM] (default orders@pizzeria.local)")
    var mailFrom: String?

    @Option(name: .customLong("metrics-port"), help: "Port for /metrics and /health on 127.0.0.1, 0 for none [env PIZZERIA_METRICS_PORT] (default 9101)")
    var metricsPort: Int?

    @Option(name: .customLong("retry-delays"), help: "Seconds before each retry, comma-separated [env PIZZERIA_RETRY_DELAYS] (default 1,5,30)")
    var retryDelays: String?

    func run() async throws {
        let roles: [WorkerRole]
        if role == "all" {
            roles = WorkerRole.allCases
        } else if let one = WorkerRole(rawValue: role) {
            roles = [one]
        } else {
            throw ValidationError("role must be kitchen, delivery, email or all, not \(role)")
        }
        ProcessMemory.limitMallocArenas(to: 2)
        let logger = common.logger(label: "pizzeria.work")
        let metrics = MetricsBootstrap.once()
        // A worker reads little (the email worker's lookups, the relay's backlog): two small readers.
        let database = try common.openDatabase(logger: logger, readers: 2, readerCacheKiB: 512)
        let menu = try database.menu()
        let amqp = try common.amqp()
        let topology = Topology(retryDelays: try parseDelays())
        let modeText = Env.value(kitchenMode, "PIZZERIA_KITCHEN_MODE", default: "timed")
        guard let mode = KitchenMode(rawValue: modeText) else { throw ValidationError("kitchen mode must be timed or manual") }
        let timings = StageTimings(prep: try Env.seconds(prep, "PIZZERIA_PREP_SECONDS", default: 1),
                                   bake: try Env.seconds(bake, "PIZZERIA_BAKE_SECONDS", default: 2),
                                   dispatch: try Env.seconds(dispatch, "PIZZERIA_DISPATCH_SECONDS", default: 1),
                                   drive: try Env.seconds(drive, "PIZZERIA_DRIVE_SECONDS", default: 2))
        let prefetchValue = try prefetch ?? UInt16(Env.value(nil, "PIZZERIA_PREFETCH", default: "100"))
            .orThrow(ValidationError("PIZZERIA_PREFETCH must be 1-65535"))
        var settings = WorkerSettings(amqp: amqp, topology: topology, prefetch: prefetchValue,
                                      reactions: ReactionTable(timings: timings, kitchenMode: mode),
                                      maildir: Env.value(maildir, "PIZZERIA_MAILDIR", default: ".run/mail"))
        settings.batchSize = try batch ?? Int(Env.value(nil, "PIZZERIA_BATCH", default: "100")).orThrow(ValidationError("PIZZERIA_BATCH must be a number"))
        guard settings.batchSize >= 1 else { throw ValidationError("the batch size must be at least 1") }
        settings.gatherWindows[.email] = try Env.seconds(nil, "PIZZERIA_EMAIL_GATHER_SECONDS", default: 0.1)
        let relay = OutboxRelay(database: database, amqp: amqp, redis: try common.redis(), topology: topology,
                                owner: "work/\(WorkerIdentity.current)", logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: relay.service)]
        for role in roles {
            let worker = QueueWorker(role: role, settings: settings, logger: logger,
                                     handler: try handler(for: role, database: database, menu: menu, settings: settings))
            services.append(.init(service: worker.service))
        }
        let metricsPortValue = try metricsPort ?? Int(Env.value(nil, "PIZZERIA_METRICS_PORT", default: "9101"))
            .orThrow(ValidationError("PIZZERIA_METRICS_PORT must be a number"))
        if metricsPortValue > 0 {
            services.append(.init(service: MetricsEndpoint.standaloneApplication(host: "127.0.0.1", port: metricsPortValue,
                                                                               registry: metrics, logger: logger)))
        }
        logger.info("work.starting", metadata: ["roles": "\(roles.map(\.rawValue))", "amqp.broker": "\(amqp)"])
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    private func handler(for role: WorkerRole, database: PizzeriaDatabase, menu: Menu,
                         settings: WorkerSettings) throws -> QueueWorker.Handler {
        switch role {
        case .kitchen, .delivery:
            let stage = StageHandler(role: role, database: database, menu: menu)
            return { batch in stage.handle(batch) }
        case .email:
            let from = Env.value(mailFrom, "PIZZERIA_MAIL_FROM", default: "orders@pizzeria.local")
            let domain = from.split(separator: "@").last.map(String.init) ?? "pizzeria.local"
            let email = EmailHandler(database: database, menu: menu,
                                     composer: EmailComposer(sender: Mailbox(name: "Pizzeria", address: from), menu: menu, domain: domain),
                                     transport: try emailTransport(settings: settings))
            return { batch in email.handle(batch) }
        }
    }

    private func emailTransport(settings: WorkerSettings) throws -> any EmailTransport {
        guard let url = Env.optional(smtpURL, "PIZZERIA_SMTP_URL") else { return MaildirTransport(directory: settings.maildir) }
        guard let configuration = SMTPConfiguration(url: url) else { throw ValidationError("PIZZERIA_SMTP_URL must look like smtp://host:port") }
        return SMTPTransport(configuration: configuration)
    }

    private func parseDelays() throws -> [Duration] {
        try RetryDelays.parse(Env.value(retryDelays, "PIZZERIA_RETRY_DELAYS", default: "1,5,30"))
    }
}

extension Optional {
    func orThrow(_ error: some Error) throws -> Wrapped {
        guard let self else { throw error }
        return self
    }
}
