import AsyncHTTPClient
import Foundation
import NIOCore

/// One Server-Sent Event as a browser's EventSource would see it.
struct SSEEvent: Equatable {
    var id: String?
    var event: String?
    var data: String
}

/// Reads an event stream until `stop` says enough (then drops the connection) or the server ends it.
enum SSEClient {
    static func read(_ url: String, headers: [(String, String)] = [], timeout: Duration = .seconds(30),
                     stop: @escaping @Sendable ([SSEEvent]) -> Bool = { _ in false }) async throws -> (status: Int, events: [SSEEvent]) {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(Int64(timeout.components.seconds)))
        var events: [SSEEvent] = []
        var pending = ""
        var current = SSEEvent(id: nil, event: nil, data: "")
        var hasData = false
        reading: for try await buffer in response.body {
            pending += String(buffer: buffer)
            while let newline = pending.firstIndex(of: "\n") {
                let line = String(pending[..<newline])
                pending = String(pending[pending.index(after: newline)...])
                if line.isEmpty {
                    if hasData { events.append(current) }
                    current = SSEEvent(id: nil, event: nil, data: "")
                    hasData = false
                    if stop(events) { break reading }
                } else if line.hasPrefix(":") {
                    continue
                } else if line.hasPrefix("id: ") {
                    current.id = String(line.dropFirst(4))
                } else if line.hasPrefix("event: ") {
                    current.event = String(line.dropFirst(7))
                } else if line.hasPrefix("data: ") {
                    current.data += String(line.dropFirst(6))
                    hasData = true
                }
            }
        }
        return (Int(response.status.code), events)
    }
}
