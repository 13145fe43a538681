import Foundation

/// Where and how to reach the broker, parsed from an `amqp://user:password@host:port/vhost` URL.
public struct AMQPConfiguration: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var vhost: String
    /// Heartbeat interval in seconds (0 turns heartbeats off). The consumers poll their socket at
    /// least every few hundred milliseconds, and an idle publisher calls
    /// ``ConfirmingPublisher/keepAlive()``, so librabbitmq gets the chance to send them.
    public var heartbeatSeconds: Int = 10
    /// How long to wait for TCP connect and for a broker reply.
    public var timeout: Duration = .seconds(5)

    public init(host: String = "127.0.0.1", port: Int = 5672, user: String = "guest", password: String = "guest", vhost: String = "/") {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.vhost = vhost
    }

    /// Parses `amqp://user:password@host:port/vhost`; the vhost is percent-decoded (`%2F` is `/`),
    /// and an empty path means `/`.
    public init(url text: String) throws(AMQPError) {
        guard let components = URLComponents(string: text), components.scheme == "amqp", let host = components.host, !host.isEmpty else {
            throw AMQPError(.connect, operation: "parse URL", message: "expected amqp://user:password@host:port/vhost, got \(text.prefix(200))")
        }
        self.init(host: host, port: components.port ?? 5672,
                  user: components.percentEncodedUser?.removingPercentEncoding ?? "guest",
                  password: components.percentEncodedPassword?.removingPercentEncoding ?? "guest")
        let path = components.percentEncodedPath
        let vhost = path.hasPrefix("/") ? String(path.dropFirst()) : path
        self.vhost = vhost.isEmpty ? "/" : (vhost.removingPercentEncoding ?? vhost)
    }

    /// The URL without the password, for logs.
    public var description: String { "amqp://\(user)@\(host):\(port)/\(vhost == "/" ? "%2F" : vhost)" }
}
