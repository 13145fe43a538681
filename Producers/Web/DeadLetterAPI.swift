import Foundation
import HTTPTypes
import Hummingbird
import Infrastructure
import NIOCore
import NIOPosix

/// The operator console's API (staff only): the same dead-letter operations as the CLI. The broker
/// calls block, so they run on NIO's thread pool, never on the event loops or the cooperative pool.
struct DeadLetterAPI: Sendable {
    let deadLetters: DeadLetterOperator
    let auth: StaffAuth

    private func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await Offload.run(work)
    }

    /// `GET /api/dead-letters?queue=&reason=`
    func list(_ request: Request, context: some RequestContext) async throws -> Response {
        try auth.require(request)
        let queue = request.uri.queryParameters.get("queue").flatMap { $0.isEmpty ? nil : $0 }
        let reason = request.uri.queryParameters.get("reason").flatMap { $0.isEmpty ? nil : $0 }
        let operatorTool = deadLetters
        let letters = try await blocking { try operatorTool.list() }.filter { letter in
            (queue == nil || letter.sourceQueue == queue || letter.deadQueue == queue)
                && (reason == nil || letter.reason.localizedCaseInsensitiveContains(reason!))
        }
        let body: [String: Any] = [
            "messages": letters.map { DeadLetterJSON.summary($0) },
            "groups": DeadLetterGroups.make(letters).map { ["queue": $0.queue, "reason": $0.reason, "count": $0.count] },
        ]
        return Self.json(body)
    }

    /// `GET /api/dead-letters/{id}`
    func show(_ request: Request, context: some RequestContext) async throws -> Response {
        try auth.require(request)
        let id = context.parameters.get("id") ?? ""
        let operatorTool = deadLetters
        guard let letter = try await blocking({ try operatorTool.list() }).first(where: { $0.id == id }) else {
            throw APIError(.notFound, code: "not_found", message: "No such dead letter (already replayed or purged?).")
        }
        return Self.json(DeadLetterJSON.detail(letter))
    }

    /// `POST /api/dead-letters/replay` and `/purge` with `{"ids":[...]}`.
    func act(_ action: DeadLetterOperator.Action, _ request: Request, context: some RequestContext) async throws -> Response {
        try auth.require(request)
        var request = request
        let body = try await request.collectBody(upTo: 256 * 1024)
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
              let ids = object["ids"] as? [String], ids.count <= 10_000 else {
            throw APIError(.badRequest, code: "invalid_field", message: "Send {\"ids\": [...]} with at most 10000 ids.", field: "ids")
        }
        let operatorTool = deadLetters
        let report = try await blocking { try operatorTool.perform(action, ids: ids) }
        let key = if case .purge = action { "purged" } else { "replayed" }
        context.logger.notice("dead_letters.\(key)", metadata: ["count": "\(report.done.count)", "missing": "\(report.missing.count)"])
        return Self.json([key: report.done.count, "missing": report.missing])
    }

    static func json(_ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
