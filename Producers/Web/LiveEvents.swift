import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Infrastructure
import NIOCore

/// Server-Sent Events for one order: first what the client missed (from SQLite, after its
/// `Last-Event-ID`), then live notices from the hub, in `seq` order, each once. Heartbeats keep the
/// connection open and double as a check of SQLite, so a notice Redis lost still arrives.
struct LiveEvents: Sendable {
    let database: PizzeriaDatabase
    let hub: NoticeHub

    /// `GET /api/orders/{id}/events`
    func orderEvents(_ record: OrderRecord, request: Request) -> Response {
        let lastSeen = Self.lastEventID(request)
        let stream = hub.subscribe(.order(record.id))  // subscribe first, then read: no gap
        let database = self.database
        let orderId = record.id
        let body = ResponseBody { writer in
            var sent = lastSeen
            var finished = false
            func catchUp(_ writer: inout any ResponseBodyWriter) async throws {
                let after = sent
                for step in try await Offload.run({ try database.history(orderId: orderId, afterSeq: after) }) {
                    try await writer.write(Self.event(StatusNotice(orderId: orderId, seq: step.seq, status: step.status, at: step.at, eventId: nil)))
                    sent = step.seq
                    if step.status.isFinal { finished = true }
                }
            }
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            try await catchUp(&writer)
            if !finished {
                for await item in stream {
                    switch item {
                    case .notice(let notice):
                        if notice.seq == sent + 1 {
                            try await writer.write(Self.event(notice))
                            sent = notice.seq
                            finished = notice.status.isFinal
                        } else if notice.seq > sent + 1 {
                            try await catchUp(&writer)  // Redis skipped one: SQLite has it
                        }
                    case .heartbeat:
                        try await writer.write(ByteBuffer(string: ": ping\n\n"))
                        try await catchUp(&writer)
                    }
                    if finished { break }
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: Self.headers, body: body)
    }

    /// `GET /api/kitchen/events`: every status change, for kitchen displays.
    func kitchenEvents() -> Response {
        let stream = hub.subscribe(.kitchen)
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            for await item in stream {
                switch item {
                case .notice(let notice): try await writer.write(Self.event(notice, name: "ticket"))
                case .heartbeat: try await writer.write(ByteBuffer(string: ": ping\n\n"))
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: Self.headers, body: body)
    }

    static let headers: HTTPFields = [
        .contentType: "text/event-stream; charset=utf-8",
        .cacheControl: "no-store",
        HTTPField.Name("X-Accel-Buffering")!: "no",
    ]

    static func event(_ notice: StatusNotice, name: String = "status") -> ByteBuffer {
        var publicNotice = notice
        publicNotice.eventId = nil
        return ByteBuffer(string: "id: \(notice.seq)\nevent: \(name)\ndata: \(NoticeCoding.encode(publicNotice))\n\n")
    }

    /// The client's last `seq`, from the `Last-Event-ID` header (EventSource reconnects) or `?lastEventId=`.
    static func lastEventID(_ request: Request) -> Int {
        let raw = request.headers[HTTPField.Name("Last-Event-ID")!] ?? request.uri.queryParameters.get("lastEventId")
        return raw.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.map { max(0, $0) } ?? 0
    }
}
