import AsyncHTTPClient
import Domain
import Foundation
import Infrastructure
import Logging
import NIOCore

/// A failure that stops a load run before it could measure anything.
public struct LoadError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Places orders over HTTP exactly as a browser does and times each one until Redis shows it
/// `delivered`: the instrument of `pizzeria load` and `ops/bench`.
///
/// The Redis subscription starts before the first POST. At most `concurrency` POSTs are in
/// flight, started no faster than `ratePerSecond`. Latencies run from the moment each POST is sent
/// to the first arrival of each status notice, matched by order id once the `201` tells it.
///
/// ```swift
/// let report = try await LoadGenerator(settings: settings, logger: logger).run { progress in bar.update(progress.delivered) }
/// ```
public struct LoadGenerator: Sendable {
    public let settings: LoadSettings
    private let logger: Logger

    public init(settings: LoadSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// One POST and what came of it.
    struct Placement: Sendable {
        var index: Int
        var sentAt: ContinuousClock.Instant
        var answeredAt: ContinuousClock.Instant
        /// The new order's id, when the answer was `201`.
        var orderId: String?
        var failure: LoadReport.FailedPost?
    }

    /// Runs the load; `progress` is called a few times a second.
    public func run(progress: (LoadProgress) -> Void) async throws -> LoadReport {
        let target = try PlacementClient.Target(baseURL: settings.baseURL)
        // For the menu only; the orders go through a ``PlacementClient``.
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        do {
            let report = try await run(client: client, target: target, progress: progress)
            try? await client.shutdown()
            return report
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private func run(client: HTTPClient, target: PlacementClient.Target, progress: (LoadProgress) -> Void) async throws -> LoadReport {
        let bodies = OrderBodies(menu: try await menu(client))
        guard !bodies.pizzas.isEmpty else { throw LoadError("GET \(settings.baseURL)/api/menu offers no pizza") }
        let watcher = NoticeWatcher(configuration: settings.redis, logger: logger)
        do {
            try await watcher.start()
        } catch {
            throw LoadError("cannot subscribe to Redis at \(settings.redis): \(error)")
        }
        logger.debug("load.started", metadata: ["load.orders": "\(settings.orders)", "load.concurrency": "\(settings.concurrency)"])
        // Every body is made before the first POST, so that making them is not part of what is measured
        // (on a shared machine the load generator's CPU is taken from the pipeline's).
        let requestBodies = (0..<settings.orders).map { bodies.body(index: $0) }
        let (origin, started) = (ContinuousClock.now, Date())
        let sampler = MachineSampler(origin: origin)
        sampler.start()
        let placements: [Placement]
        do {
            placements = try await place(bodies: requestBodies, target: target, watcher: watcher, progress: progress)
        } catch {
            _ = sampler.stop()
            throw error
        }
        await waitForDeliveries(placements, watcher: watcher, progress: progress)
        let samples = sampler.stop()
        await watcher.stop()
        return try report(placements, watcher: watcher, origin: origin, started: started, samples: samples)
    }

    private func menu(_ client: HTTPClient) async throws -> OrderBodies.MenuBody {
        let url = "\(settings.baseURL)/api/menu"
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            guard response.status.code == 200 else { throw LoadError("GET \(url) answered \(response.status.code)") }
            return try JSONDecoder().decode(OrderBodies.MenuBody.self, from: Data(body.readableBytesView))
        } catch let error as LoadError {
            throw error
        } catch {
            throw LoadError("GET \(url) failed: \(error)")
        }
    }

    /// Places every order, at most `concurrency` at a time and, with a rate, each no earlier than its
    /// slot (``PlacementClient``); the result is in the order of `bodies`.
    private func place(bodies: [Data], target: PlacementClient.Target, watcher: NoticeWatcher,
                       progress: (LoadProgress) -> Void) async throws -> [Placement] {
        let client = PlacementClient(target: target, bodies: bodies,
                                     ratePerSecond: settings.ratePerSecond, concurrency: settings.concurrency,
                                     timeout: settings.timeout) { id in watcher.watch(id) }
        let placements = client.run()
        while client.answered < bodies.count {
            progress(LoadProgress(orders: settings.orders, answered: client.answered, delivered: watcher.deliveredCount))
            try? await Task.sleep(for: .milliseconds(100))
        }
        return try await placements.get()
    }

    /// Waits until Redis showed every placed order delivered, or the last one's time is up.
    private func waitForDeliveries(_ placements: [Placement], watcher: NoticeWatcher,
                                   progress: (LoadProgress) -> Void) async {
        let created = placements.count(where: { $0.orderId != nil })
        let deadline = (placements.map(\.sentAt).max() ?? .now) + settings.timeout
        while true {
            let delivered = watcher.deliveredCount
            progress(LoadProgress(orders: settings.orders, answered: placements.count, delivered: delivered))
            if delivered >= created || ContinuousClock.now >= deadline || watcher.failure != nil { return }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    private func report(_ placements: [Placement], watcher: NoticeWatcher, origin: ContinuousClock.Instant, started: Date,
                        samples: [MachineSample]) throws -> LoadReport {
        let createdOrders = placements.filter { $0.orderId != nil }.sorted { $0.index < $1.index }
        let traces = watcher.traces(of: createdOrders.compactMap(\.orderId))
        var latencies: (created: [Double], placed: [Double], accepted: [Double], delivered: [Double]) = ([], [], [], [])
        var acceptedParts: (toKitchen: [Double], inKitchen: [Double]) = ([], [])
        var undelivered: [String] = []
        var repeated: [LoadReport.RepeatedStatuses] = []
        var lastDelivered: ContinuousClock.Instant?
        var timeline = LoadTimeline(started: started, samples: samples)
        var ways: [StealAttribution.Order] = []
        for placement in createdOrders {
            guard let id = placement.orderId else { continue }
            let sent = (placement.sentAt - origin).seconds
            let trace = traces[id] ?? NoticeTrace()
            func since(_ status: OrderStatus) -> Double? { trace.firstSeen[status].map { ($0 - placement.sentAt).milliseconds } }
            var line = LoadTimeline.OrderLine(order: placement.index, id: id, sent: sent,
                                              createdMs: (placement.answeredAt - placement.sentAt).milliseconds,
                                              placedMs: since(.placed), acceptedMs: since(.accepted), deliveredMs: since(.delivered))
            // Wall-clock stamps against the run's start: `started` was read with `origin`.
            func stamped(_ status: OrderStatus) -> Double? { trace.stampedAt[status].map { ($0.timeIntervalSince(started) - sent) * 1000 } }
            line.placedStampMs = stamped(.placed)
            line.acceptedStampMs = stamped(.accepted)
            latencies.created.append(line.createdMs)
            if let placed = line.placedMs { latencies.placed.append(placed) }
            if let placed = line.placedMs, let stamp = line.acceptedStampMs, let accepted = line.acceptedMs {
                acceptedParts.toKitchen.append(stamp - placed)
                acceptedParts.inKitchen.append(accepted - stamp)
            }
            if let accepted = line.acceptedMs {
                latencies.accepted.append(accepted)
                ways.append(.init(sent: sent, acceptedMs: accepted))
            }
            if let delivered = trace.firstSeen[.delivered], let deliveredMs = line.deliveredMs, delivered - placement.sentAt <= settings.timeout {
                latencies.delivered.append(deliveredMs)
                lastDelivered = max(lastDelivered ?? delivered, delivered)
            } else {
                undelivered.append(id)
                line.deliveredMs = nil
            }
            if settings.timelinePath != nil { timeline.orders.append(line) }
            if !trace.repeated.isEmpty {
                let statuses = trace.repeated.sorted { ($0.stage ?? 99) < ($1.stage ?? 99) }.map(\.rawValue)
                repeated.append(.init(orderId: id, statuses: statuses))
            }
        }
        let firstSent = placements.map(\.sentAt).min()
        let endToEnd = both(firstSent, lastDelivered).map { ($1 - $0).seconds } ?? 0
        let lastCreated = createdOrders.map(\.answeredAt).max()
        let placement = both(firstSent, lastCreated).map { ($1 - $0).seconds } ?? 0
        let report = LoadReport(
            orders: settings.orders, concurrency: settings.concurrency, rate: settings.ratePerSecond,
            timeoutSeconds: settings.timeout.seconds, created: createdOrders.count, delivered: latencies.delivered.count,
            endToEndSeconds: endToEnd, endToEndOrdersPerSecond: endToEnd > 0 ? Double(latencies.delivered.count) / endToEnd : 0,
            placementSeconds: placement, placementOrdersPerSecond: placement > 0 ? Double(createdOrders.count) / placement : 0,
            latencyMs: .init(created: LatencySummary(of: latencies.created), placed: LatencySummary(of: latencies.placed), accepted: LatencySummary(of: latencies.accepted),
                             placedToKitchen: LatencySummary(of: acceptedParts.toKitchen), kitchenToAccepted: LatencySummary(of: acceptedParts.inKitchen),
                             delivered: LatencySummary(of: latencies.delivered)),
            failedPosts: placements.compactMap(\.failure).sorted { $0.index < $1.index },
            undelivered: undelivered, repeated: repeated, noticesLost: watcher.failure.map { "\($0)" }, cpuSeconds: ProcessCPU.seconds(),
            host: StealAttribution(orders: ways, samples: samples))
        if let path = settings.timelinePath {
            do {
                try timeline.write(to: path)
            } catch {
                throw LoadError("cannot write the timeline to \(path): \(error)")
            }
        }
        return report
    }
}

/// Both values, when both are there.
private func both<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
