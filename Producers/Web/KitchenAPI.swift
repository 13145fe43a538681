import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Infrastructure

/// How the kitchen display behaves.
public struct KitchenSettings: Sendable {
    /// How long a bump can be recalled before it is applied and announced.
    public var recallWindow: Duration
    public var amberAfterSeconds: Int
    public var redAfterSeconds: Int
    /// Which mode the kitchen worker runs in (shown on the display).
    public var mode: KitchenMode

    public init(recallWindow: Duration = .seconds(8), amberAfterSeconds: Int = 600, redAfterSeconds: Int = 900, mode: KitchenMode = .timed) {
        self.recallWindow = recallWindow
        self.amberAfterSeconds = amberAfterSeconds
        self.redAfterSeconds = redAfterSeconds
        self.mode = mode
    }
}

/// The kitchen display's API (staff only): tickets, bump, recall.
struct KitchenAPI: Sendable {
    let database: PizzeriaDatabase
    let menu: Menu
    let settings: KitchenSettings
    let auth: StaffAuth

    struct TicketBody: Encodable {
        struct Item: Encodable {
            var name: String
            var size: String
            var quantity: Int
        }
        var orderId: String
        var number: String
        var status: String
        var customerName: String
        var notes: String?
        var items: [Item]
        var placedAt: String
        var statusAt: String
        var canRecall: Bool
    }

    struct TicketsBody: Encodable {
        var tickets: [TicketBody]
        var averageTicketSeconds: Double?
        var amberAfterSeconds: Int
        var redAfterSeconds: Int
        var mode: String
    }

    func ticketBody(_ ticket: KitchenTicket) -> TicketBody {
        TicketBody(orderId: ticket.orderId, number: OrderNumber.label(ticket.orderId), status: (ticket.pendingBump ?? ticket.status).rawValue,
                   customerName: ticket.customerName, notes: ticket.notes,
                   items: ticket.lines.map { .init(name: menu.pizza(id: $0.pizzaId)?.name ?? $0.pizzaId, size: $0.size.rawValue, quantity: $0.quantity) },
                   placedAt: Timestamp.format(ticket.placedAt), statusAt: Timestamp.format(ticket.statusAt),
                   canRecall: ticket.pendingBump != nil)
    }

    /// `GET /api/kitchen/tickets`
    func tickets(_ request: Request, context: some RequestContext) async throws -> Response {
        try auth.require(request)
        let database = self.database
        let (rows, average) = try await Offload.run {
            (try database.kitchenTickets(), try database.averageTicketSeconds(since: Date().addingTimeInterval(-4 * 3600)))
        }
        let tickets = rows.map(ticketBody)
        return JSONResponse.make(.ok, TicketsBody(tickets: tickets, averageTicketSeconds: average, amberAfterSeconds: settings.amberAfterSeconds,
                                           redAfterSeconds: settings.redAfterSeconds, mode: settings.mode.rawValue))
    }

    /// `POST /api/kitchen/tickets/{id}/bump`
    func bump(_ request: Request, context: some RequestContext) async throws -> Response {
        try auth.require(request)
        let id = try orderID(context)
        let database = self.database
        let window = settings.recallWindow
        do {
            _ = try await Offload.run { try database.bump(orderId: id, recallWindow: window) }
        } catch let error as KitchenActionError {
            throw Self.apiError(error)
        }
        context.logger.info("kitchen.bumped", metadata: ["order.id": "\(id)"])
        return try await ticketResponse(id)
    }

    /// `POST /api/kitchen/tickets/{id}/recall`
    func recall(_ request: Request, context: some RequestContext) async throws -> Response {
        try auth.require(request)
        let id = try orderID(context)
        let database = self.database
        do {
            try await Offload.run { try database.recall(orderId: id) }
        } catch let error as KitchenActionError {
            throw Self.apiError(error)
        }
        context.logger.info("kitchen.recalled", metadata: ["order.id": "\(id)"])
        return try await ticketResponse(id)
    }

    private func ticketResponse(_ id: String) async throws -> Response {
        let database = self.database
        guard let ticket = try await Offload.run({ try database.kitchenTickets() }).first(where: { $0.orderId == id }) else {
            return JSONResponse.make(.ok, ["orderId": id, "status": "handed_over"])
        }
        return JSONResponse.make(.ok, ticketBody(ticket))
    }

    private func orderID(_ context: some RequestContext) throws -> String {
        guard let id = context.parameters.get("id"), OrderID.isValid(id) else { throw APIError.notFound() }
        return id
    }

    static func apiError(_ error: KitchenActionError) -> APIError {
        switch error {
        case .unknownOrder: APIError.notFound()
        case .cannotBump: APIError(.conflict, code: "cannot_bump", message: error.description)
        case .bumpPending: APIError(.conflict, code: "bump_pending", message: error.description)
        case .nothingToRecall: APIError(.conflict, code: "nothing_to_recall", message: error.description)
        }
    }
}
