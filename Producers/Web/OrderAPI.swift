import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Infrastructure
import Logging

/// The JSON API: menu, placing orders, reading an order with its tracking token.
struct OrderAPI: Sendable {
    let database: PizzeriaDatabase
    let menu: Menu
    let settings: WebFrontSettings
    /// Writes orders in batches (group commit) and rings the outbox relay after each.
    let committer: PlacementCommitter

    /// `GET /api/menu`
    func menu(_ request: Request, context: some RequestContext) async throws -> Response {
        JSONResponse.make(.ok, MenuBody(menu: menu))
    }

    /// `POST /api/orders`
    func place(_ request: Request, context: some RequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: settings.maxBodyBytes)
        let data = Data(buffer: body)
        let idempotencyKey = try Self.idempotencyKey(request)
        let input: PlaceOrderRequest
        let order: NewOrder
        do {
            input = try PlaceOrderRequest.decode(data)
            order = try OrderValidator(menu: menu, limits: settings.limits).validate(input)
        } catch {
            let status: HTTPResponse.Status = error.code == "invalid_json" ? .badRequest : .unprocessableContent
            throw APIError(status, code: error.code, message: error.message, field: error.field)
        }
        let result = try await committer.place(.init(order: order, idempotencyKey: idempotencyKey, requestHash: Self.fingerprint(input)))
        switch result {
        case .created(let receipt):
            PipelineMetrics.ordersPlaced()
            context.logger.info("order.placed", metadata: ["order.id": "\(receipt.id)", "order.total_cents": "\(receipt.totalCents)"])
            return JSONResponse.make(.created, json: receipt.json, headers: [.location: "/api/orders/\(receipt.id)"])
        case .replayed(let receipt):
            return JSONResponse.make(.created, json: receipt.json, headers: [HTTPField.Name("Idempotent-Replayed")!: "true"])
        case .keyConflict:
            throw APIError(.conflict, code: "idempotency_key_reused",
                           message: "This Idempotency-Key was already used with a different order.")
        }
    }

    /// `GET /api/orders/{id}` with `?token=` or `X-Tracking-Token`.
    func order(_ request: Request, context: some RequestContext) async throws -> Response {
        let record = try await authorizedOrder(request, context: context)
        return JSONResponse.make(.ok, OrderBody(record))
    }

    /// The order named in the path, if the request carries its tracking token. Any mismatch is a
    /// plain 404, so a wrong token does not even tell that the order exists.
    func authorizedOrder(_ request: Request, context: some RequestContext) async throws -> OrderRecord {
        guard let id = context.parameters.get("id"), OrderID.isValid(id),
              let token = request.headers[HTTPField.Name("X-Tracking-Token")!] ?? request.uri.queryParameters.get("token")
        else { throw APIError.notFound() }
        let database = self.database
        guard let record = try await Offload.run({ try database.order(id: id) }), let hash = record.trackingTokenHash,
              TrackingToken.matches(token, hash: hash)
        else { throw APIError.notFound() }
        return record
    }

    /// A digest of the request's meaning (canonical JSON), so that a retry with other whitespace or
    /// key order still counts as the same request.
    static func fingerprint(_ input: PlaceOrderRequest) -> String {
        Digest.sha256Hex(Data(input.canonicalJSON))
    }

    static func idempotencyKey(_ request: Request) throws -> String? {
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!] else { return nil }
        guard (1...200).contains(key.utf8.count), key.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
            throw APIError(.badRequest, code: "invalid_idempotency_key",
                           message: "Idempotency-Key must be 1 to 200 visible ASCII characters.", field: "Idempotency-Key")
        }
        return key
    }
}

/// `GET /api/menu` body.
struct MenuBody: Encodable {
    struct PizzaBody: Encodable {
        struct SizeBody: Encodable {
            var size: String
            var priceCents: Int
        }
        var id: String
        var name: String
        var description: String
        var sizes: [SizeBody]
        var imageUrl: String
    }
    var pizzas: [PizzaBody]

    init(menu: Menu) {
        pizzas = menu.pizzas.map { pizza in
            PizzaBody(id: pizza.id, name: pizza.name, description: pizza.description,
                      sizes: pizza.sizes.map { .init(size: $0.rawValue, priceCents: pizza.prices[$0] ?? 0) },
                      imageUrl: "/images/\(pizza.imageName)")
        }
    }
}

/// `GET /api/orders/{id}` body.
struct OrderBody: Encodable {
    struct Step: Encodable {
        var seq: Int
        var status: String
        var at: String
    }
    struct Item: Encodable {
        var pizzaId: String
        var size: String
        var quantity: Int
        var unitPriceCents: Int
    }
    var id: String
    var status: String
    var seq: Int
    var totalCents: Int
    var items: [Item]
    var customerName: String
    var history: [Step]

    init(_ record: OrderRecord) {
        id = record.id
        status = record.status.rawValue
        seq = record.seq
        totalCents = record.totalCents
        items = record.lines.map { Item(pizzaId: $0.pizzaId, size: $0.size.rawValue, quantity: $0.quantity, unitPriceCents: $0.unitPriceCents) }
        customerName = record.customer.name
        history = record.history.map { Step(seq: $0.seq, status: $0.status.rawValue, at: Timestamp.format($0.at)) }
    }
}
