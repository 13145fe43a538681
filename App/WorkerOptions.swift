import ArgumentParser
import Domain
import Foundation
import Infrastructure
import Logging
import ServiceLifecycle
import Workers

/// The queue workers' options, shared by `pizzeria work` and by `pizzeria serve --workers`.
struct WorkerOptions: ParsableArguments {
    @Option(help: "Unacked messages per consumer, every role [env PIZZERIA_PREFETCH] (default 50; the email worker 250, or PIZZERIA_EMAIL_PREFETCH)")
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

    @Option(help: "Maildir the email worker writes to [env PIZZERIA_MAILDIR] (default .run/mail)")
    var maildir: String?

    @Option(name: .customLong("smtp-url"), help: "Send email to this SMTP server (smtp://host:port) instead of the maildir [env PIZZERIA_SMTP_URL]")
    var smtpURL: String?

    @Option(name: .customLong("mail-from"), help: "Sender address [env PIZZERIA_MAIL_FROM] (default orders@pizzeria.local)")
    var mailFrom: String?

    @Option(name: .customLong("retry-delays"), help: "Seconds before each retry, comma-separated [env PIZZERIA_RETRY_DELAYS] (default 1,5,30)")
    var retryDelays: String?

    @Option(name: .customLong("amqp-queue-type"), help: "Type of new work queues: classic or quorum [env PIZZERIA_AMQP_QUEUE_TYPE] (default quorum; existing queues keep theirs)")
    var queueType: String?

    /// The roles a `work` argument or a `--workers` list names: `all`, one role, or several separated by commas.
    static func roles(_ text: String) throws -> [WorkerRole] {
        if text == "all" { return WorkerRole.allCases }
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let roles = names.compactMap(WorkerRole.init(rawValue:))
        guard !roles.isEmpty, roles.count == names.count else {
            throw ValidationError("workers must be kitchen, delivery, email, a comma-separated list of them, or all, not \(text)")
        }
        return WorkerRole.allCases.filter(roles.contains)
    }

    /// The topology the workers (and the relay of their process) declare: the retry delays set here.
    func topology() throws -> Topology {
        Topology(retryDelays: try RetryDelays.parse(Env.value(retryDelays, "PIZZERIA_RETRY_DELAYS", default: "1,5,30")),
                 workQueueType: try Self.queueType(Env.value(queueType, "PIZZERIA_AMQP_QUEUE_TYPE", default: "quorum")))
    }

    /// A work-queue type by name: `classic` or `quorum`.
    static func queueType(_ text: String) throws -> WorkQueueType {
        guard let type = WorkQueueType(rawValue: text) else {
            throw ValidationError("the work queue type must be classic or quorum, not \(text.prefix(40))")
        }
        return type
    }

    /// A prefetch read from the environment variable `name`: 1-65535 (0 would tell the broker "no limit").
    private static func prefetch(_ text: String, _ name: String) throws -> UInt16 {
        guard let value = UInt16(text), value >= 1 else { throw ValidationError("\(name) must be 1-65535") }
        return value
    }

    /// One queue worker per role, on `database`, as services for a `ServiceGroup`.
    func services(roles: [WorkerRole], database: PizzeriaDatabase, menu: Menu, amqp: AMQPConfiguration, topology: Topology,
                  kitchenMode: KitchenMode, logger: Logger) throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let timings = StageTimings(prep: try Env.seconds(prep, "PIZZERIA_PREP_SECONDS", default: 1),
                                   bake: try Env.seconds(bake, "PIZZERIA_BAKE_SECONDS", default: 2),
                                   dispatch: try Env.seconds(dispatch, "PIZZERIA_DISPATCH_SECONDS", default: 1),
                                   drive: try Env.seconds(drive, "PIZZERIA_DRIVE_SECONDS", default: 2))
        let sharedPrefetch = try prefetch ?? Env.optional(nil, "PIZZERIA_PREFETCH").map { try Self.prefetch($0, "PIZZERIA_PREFETCH") }
        // 0 would mean "no limit" to the broker: every queued message at once, in one process.
        guard sharedPrefetch ?? 1 >= 1 else { throw ValidationError("the prefetch must be 1-65535") }
        var settings = WorkerSettings(amqp: amqp, topology: topology, prefetch: sharedPrefetch ?? 50,
                                      reactions: ReactionTable(timings: timings, kitchenMode: kitchenMode),
                                      maildir: Env.value(maildir, "PIZZERIA_MAILDIR", default: ".run/mail"))
        // The email worker's own prefetch: PIZZERIA_EMAIL_PREFETCH, else a prefetch set for every
        // role, else WorkerSettings' default for it.
        if let text = Env.optional(nil, "PIZZERIA_EMAIL_PREFETCH") {
            settings.rolePrefetch[.email] = try Self.prefetch(text, "PIZZERIA_EMAIL_PREFETCH")
        } else if sharedPrefetch != nil {
            settings.rolePrefetch[.email] = nil
        }
        settings.batchSize = try batch ?? Int(Env.value(nil, "PIZZERIA_BATCH", default: "100")).orThrow(ValidationError("PIZZERIA_BATCH must be a number"))
        guard settings.batchSize >= 1 else { throw ValidationError("the batch size must be at least 1") }
        // PIZZERIA_KITCHEN_GATHER_SECONDS, PIZZERIA_DELIVERY_GATHER_SECONDS, PIZZERIA_EMAIL_GATHER_SECONDS;
        // the defaults are WorkerSettings' own.
        for role in WorkerRole.allCases {
            let name = "PIZZERIA_\(role.rawValue.uppercased())_GATHER_SECONDS"
            settings.gatherWindows[role] = try Env.seconds(nil, name, default: settings.gatherWindows[role]?.seconds ?? 0)
        }
        return try roles.map { role in
            let worker = QueueWorker(role: role, settings: settings, logger: logger,
                                     handler: try handler(for: role, database: database, menu: menu, settings: settings))
            return .init(service: worker.service)
        }
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
                                     transport: try emailTransport(settings: settings),
                                     yieldInterval: try emailYieldInterval())
            return { batch in email.handle(batch) }
        }
    }

    /// PIZZERIA_EMAIL_YIELD_SECONDS: work between two yields of the email worker's core in a batch
    /// (0: never yield); the default is EmailHandler's own.
    private func emailYieldInterval() throws -> Duration? {
        let interval = try Env.seconds(nil, "PIZZERIA_EMAIL_YIELD_SECONDS", default: EmailHandler.defaultYieldInterval.seconds)
        return interval == .zero ? nil : interval
    }

    private func emailTransport(settings: WorkerSettings) throws -> any EmailTransport {
        guard let url = Env.optional(smtpURL, "PIZZERIA_SMTP_URL") else { return MaildirTransport(directory: settings.maildir) }
        guard let configuration = SMTPConfiguration(url: url) else { throw ValidationError("PIZZERIA_SMTP_URL must look like smtp://host:port") }
        return SMTPTransport(configuration: configuration)
    }
}

extension Optional {
    func orThrow(_ error: some Error) throws -> Wrapped {
        guard let self else { throw error }
        return self
    }
}
