import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error the API answers with: a status and a JSON body `{"code","message"}` whose `code` is stable.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?

    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: String] = ["code": code, "message": message]
        if let field { body["field"] = field }
        return JSONResponse.make(status, body)
    }

    public static func notFound() -> APIError { APIError(.notFound, code: "not_found", message: "No such order.") }
    public static let unauthorized = APIError(.unauthorized, code: "unauthorized", message: "Staff credentials are required.")
}

/// JSON responses.
enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ value: some Encodable, headers extra: HTTPFields = [:]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return make(status, body: ByteBuffer(bytes: data), headers: extra)
    }

    /// A response whose JSON body is written already (by hand, for a hot path).
    static func make(_ status: HTTPResponse.Status, json: String, headers extra: HTTPFields = [:]) -> Response {
        make(status, body: ByteBuffer(string: json), headers: extra)
    }

    private static func make(_ status: HTTPResponse.Status, body: ByteBuffer, headers extra: HTTPFields) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}

/// Turns every error into a JSON body with a stable `code`: the API never answers with an empty
/// or HTML error page, and never leaks internal details (those go to the log).
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch is NIOTooManyBytesError {
            return try APIError(.contentTooLarge, code: "payload_too_large", message: "The request body is too large.")
                .response(from: request, context: context)
        } catch let error as HTTPResponseError {
            let code: String
            switch error.status.code {
            case 404: code = "not_found"
            case 405: code = "method_not_allowed"
            case 413: code = "payload_too_large"
            case 400..<500: code = "bad_request"
            default: code = "internal_error"
            }
            return JSONResponse.make(error.status, ["code": code, "message": error.status.reasonPhrase])
        } catch {
            context.logger.error("http.internal_error", metadata: ["error": "\(error)", "http.path": "\(request.uri.path)"])
            return JSONResponse.make(.internalServerError, ["code": "internal_error", "message": "Something went wrong on our side."])
        }
    }
}
