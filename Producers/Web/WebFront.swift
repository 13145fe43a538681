import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Infrastructure
import Logging
import Prometheus

/// Everything the web front needs, built once by `pizzeria serve` (and by tests).
public struct WebFrontContext: Sendable {
    public var database: PizzeriaDatabase
    public var menu: Menu
    public var settings: WebFrontSettings
    public var kitchen: KitchenSettings
    public var hub: NoticeHub
    public var deadLetters: DeadLetterOperator
    public var metrics: PrometheusCollectorRegistry?
    /// Writes placed orders in batches; its `service` must run.
    public var committer: PlacementCommitter

    public init(database: PizzeriaDatabase, menu: Menu, settings: WebFrontSettings, kitchen: KitchenSettings,
                hub: NoticeHub, deadLetters: DeadLetterOperator, metrics: PrometheusCollectorRegistry?, committer: PlacementCommitter) {
        self.database = database
        self.menu = menu
        self.settings = settings
        self.kitchen = kitchen
        self.hub = hub
        self.deadLetters = deadLetters
        self.metrics = metrics
        self.committer = committer
    }
}

/// The web front: builds the router and the Hummingbird application (tests build the very same one).
public enum WebFront {
    public static func buildRouter(_ web: WebFrontContext) throws -> Router<BasicRequestContext> {
        let site = try StaticSite()
        let auth = StaffAuth(token: web.settings.staffToken, publicURL: web.settings.publicURL)
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        router.add(middleware: HideHTMLFilesMiddleware())
        router.add(middleware: FileMiddleware(site.root.path, searchForIndexHtml: false))
        if let metrics = web.metrics { MetricsEndpoint.add(to: router, registry: metrics) }

        let database = web.database
        router.get("/health") { _, _ in JSONResponse.make(.ok, ["status": "ok"]) }
        router.get("/ready") { _, _ -> Response in
            do {
                try database.checkDurability()
            } catch {
                return JSONResponse.make(.serviceUnavailable, ["code": "not_durable", "message": "Commits can no longer be made durable (\(error)); restart the process."])
            }
            do {
                _ = try await Offload.run { try database.outboxBacklog() }
                return JSONResponse.make(.ok, ["status": "ready"])
            } catch {
                return JSONResponse.make(.serviceUnavailable, ["code": "not_ready", "message": "The database is not available."])
            }
        }

        // Customer API and pages.
        let api = OrderAPI(database: database, menu: web.menu, settings: web.settings, committer: web.committer)
        let live = LiveEvents(database: database, hub: web.hub)
        router.get("/api/menu", use: api.menu)
        router.post("/api/orders", use: api.place)
        router.get("/api/orders/{id}", use: api.order)
        router.get("/api/orders/{id}/events") { request, context -> Response in
            live.orderEvents(try await api.authorizedOrder(request, context: context), request: request)
        }
        let menu = web.menu
        router.get("/") { _, _ in site.home(menu: menu) }
        router.get("/track/{id}") { _, context -> Response in
            guard let id = context.parameters.get("id"), OrderID.isValid(id) else { throw APIError.notFound() }
            return HTMLPage.response(site.page("track"))
        }

        // Staff: login, kitchen display, operator console.
        router.get("/staff/login") { _, _ in site.login() }
        router.post("/staff/login") { request, _ -> Response in
            var request = request
            let form = try await request.collectBody(upTo: 4096)
            let fields = FormFields.parse(String(buffer: form))
            let next = StaffAuth.safeNext(fields["next"])
            guard auth.accepts(fields["token"] ?? "") else {
                let target = "/staff/login?error=1&next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                return Response(status: .seeOther, headers: [.location: target])
            }
            return Response(status: .seeOther, headers: [.location: next, .setCookie: auth.sessionCookie()])
        }
        router.post("/staff/logout") { _, _ in
            Response(status: .seeOther, headers: [.location: "/staff/login", .setCookie: StaffAuth.clearedCookie])
        }
        for (path, page) in [("/kitchen", "kitchen"), ("/console", "console")] {
            router.get(RouterPath(path)) { request, _ -> Response in
                guard auth.isStaff(request) else { return site.staffRequired(next: path) }
                return HTMLPage.response(site.page(page))
            }
        }
        let kitchen = KitchenAPI(database: database, menu: web.menu, settings: web.kitchen, auth: auth)
        router.get("/api/kitchen/tickets", use: kitchen.tickets)
        router.post("/api/kitchen/tickets/{id}/bump", use: kitchen.bump)
        router.post("/api/kitchen/tickets/{id}/recall", use: kitchen.recall)
        router.get("/api/kitchen/events") { request, _ -> Response in
            try auth.require(request)
            return live.kitchenEvents()
        }
        let deadLetters = DeadLetterAPI(deadLetters: web.deadLetters, auth: auth)
        router.get("/api/dead-letters", use: deadLetters.list)
        router.get("/api/dead-letters/{id}", use: deadLetters.show)
        router.post("/api/dead-letters/replay") { request, context in
            try await deadLetters.act(.replay(perSecond: 200), request, context: context)
        }
        router.post("/api/dead-letters/purge") { request, context in try await deadLetters.act(.purge, request, context: context) }
        return router
    }

    /// The application, listening on the configured address.
    public static func buildApplication(_ web: WebFrontContext, logger: Logger) throws -> some ApplicationProtocol {
        Application(router: try buildRouter(web),
                    configuration: .init(address: .hostname(web.settings.host, port: web.settings.port), serverName: "pizzeria"),
                    logger: logger)
    }
}

/// `application/x-www-form-urlencoded` fields.
enum FormFields {
    static func parse(_ body: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if let key = parts.first { out[key] = parts.count > 1 ? parts[1] : "" }
        }
        return out
    }
}
