import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Infrastructure
import Logging
import Prometheus

/// The web front: builds the router and the Hummingbird application (tests build the very same one).
public enum WebFront {
    /// The routes. `relay` is rung after each committed order.
    public static func buildRouter(database: PizzeriaDatabase, menu: Menu, settings: WebFrontSettings,
                                   relay: LoopControl?, hub: NoticeHub, metrics: PrometheusCollectorRegistry?) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        if let metrics { MetricsEndpoint.add(to: router, registry: metrics) }
        let api = OrderAPI(database: database, menu: menu, settings: settings, relay: relay)
        router.get("/health") { _, _ in JSONResponse.make(.ok, ["status": "ok"]) }
        router.get("/ready") { _, _ -> Response in
            do {
                _ = try database.outboxBacklog()
                return JSONResponse.make(.ok, ["status": "ready"])
            } catch {
                return JSONResponse.make(.serviceUnavailable, ["code": "not_ready", "message": "The database is not available."])
            }
        }
        router.get("/api/menu", use: api.menu)
        router.post("/api/orders", use: api.place)
        router.get("/api/orders/{id}", use: api.order)
        let live = LiveEvents(database: database, hub: hub)
        router.get("/api/orders/{id}/events") { request, context -> Response in
            live.orderEvents(try api.authorizedOrder(request, context: context), request: request)
        }
        router.get("/") { _, _ in HTMLPage.response(Pages.home(menu: menu)) }
        router.get("/track/{id}") { _, context -> Response in
            guard let id = context.parameters.get("id"), OrderID.isValid(id) else { throw APIError.notFound() }
            return HTMLPage.response(Pages.tracking(orderId: id))
        }
        return router
    }

    /// The application, listening on the configured address.
    public static func buildApplication(database: PizzeriaDatabase, menu: Menu, settings: WebFrontSettings, relay: LoopControl?,
                                       hub: NoticeHub, metrics: PrometheusCollectorRegistry?, logger: Logger) -> some ApplicationProtocol {
        let router = buildRouter(database: database, menu: menu, settings: settings, relay: relay, hub: hub, metrics: metrics)
        return Application(router: router, configuration: .init(address: .hostname(settings.host, port: settings.port),
                                                                serverName: "pizzeria"),
                           logger: logger)
    }
}
