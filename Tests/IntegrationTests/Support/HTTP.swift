import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A small HTTP client for tests (AsyncHTTPClient's shared client, loopback only).
enum HTTP {
    static func get(_ url: String, headers: [(String, String)] = []) async throws -> (Int, Data) {
        try await send(url, method: .GET, body: nil, headers: headers)
    }

    static func post(_ url: String, body: Data, headers: [(String, String)] = [("content-type", "application/json")]) async throws -> (Int, Data) {
        try await send(url, method: .POST, body: body, headers: headers)
    }

    static func send(_ url: String, method: HTTPMethod, body: Data?, headers: [(String, String)]) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 10 * 1024 * 1024)
        return (Int(response.status.code), Data(buffer.readableBytesView))
    }

    /// Parses a JSON object body.
    static func json(_ data: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }
}

/// Order requests as a browser would send them.
enum OrderRequests {
    static func body(name: String = "Ada Lovelace", email: String = "ada@example.com",
                     items: [[String: Any]] = [["pizzaId": "margherita", "size": "medium", "quantity": 1]]) -> Data {
        let object: [String: Any] = [
            "customer": ["name": name, "email": email, "phone": "+44 20 7946 0000", "address": "1 Main Street, London"],
            "items": items,
        ]
        return try! JSONSerialization.data(withJSONObject: object)
    }

    /// Places an order and returns its id and tracking token.
    static func place(_ baseURL: String, name: String = "Ada Lovelace") async throws -> (id: String, token: String) {
        let (status, data) = try await HTTP.post("\(baseURL)/api/orders", body: body(name: name))
        let json = HTTP.json(data)
        guard status == 201, let id = json["id"] as? String, let token = json["trackingToken"] as? String else {
            throw TestSetupError("POST /api/orders answered \(status): \(String(decoding: data, as: UTF8.self))")
        }
        return (id, token)
    }

    /// Places `count` orders at once ("Customer 0", "Customer 1", …); results in completion order.
    static func placeConcurrently(_ baseURL: String, count: Int) async throws -> [(id: String, token: String)] {
        try await withThrowingTaskGroup(of: (id: String, token: String).self) { group in
            for index in 0..<count {
                group.addTask { try await place(baseURL, name: "Customer \(index)") }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }
}

/// A request whose response headers matter (redirects, cookies, security headers).
struct HTTPRequestBuilder {
    var url: String
    var method: HTTPMethod = .GET
    var headers: [(String, String)] = []
    var body: Data?

    struct Result {
        var status: Int
        var headers: HTTPHeaders
        var body: String
        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    static func form(_ url: String, fields: [String: String]) -> HTTPRequestBuilder {
        let encoded = fields.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        return HTTPRequestBuilder(url: url, method: .POST, headers: [("content-type", "application/x-www-form-urlencoded")],
                                  body: Data(encoded.utf8))
    }

    /// A client that does not follow redirects, so tests see the 303 and its headers (lives for the test process).
    static let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                   configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

    func send() async throws -> Result {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await Self.client.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 10 * 1024 * 1024)
        return Result(status: Int(response.status.code), headers: response.headers, body: String(buffer: buffer))
    }
}
