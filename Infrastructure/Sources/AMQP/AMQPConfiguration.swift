import CRabbitMQ

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

    /// Parses `amqp://user:password@host:port/vhost` with librabbitmq's own `amqp_parse_url`, so the
    /// rules are the C client's: user, password and vhost are percent-decoded (`%2F` is `/`), missing
    /// parts take the AMQP defaults (guest, guest, port 5672), and an empty vhost means `/`.
    /// `amqps://` is refused: this client speaks plain TCP only.
    ///
    /// Not Foundation's `URLComponents`: it runs ICU's host-name (IDNA) code, which maps ICU's pages
    /// into every process's resident set for one parse at start-up (README, "Worker memory").
    public init(url text: String) throws(AMQPError) {
        let usage = "expected amqp://user:password@host:port/vhost, got \(text.prefix(200))"
        guard text.hasPrefix("amqp://") else {
            throw AMQPError(.connect, operation: "parse URL", message: usage)
        }
        // amqp_parse_url writes into its argument and points the parts into it.
        var buffer = Array(text.utf8CString)
        let parsed: (host: String, port: Int, user: String, password: String, vhost: String)? = buffer.withUnsafeMutableBufferPointer { bytes in
            var info = amqp_connection_info()
            amqp_default_connection_info(&info)
            guard amqp_parse_url(bytes.baseAddress, &info) == AMQP_STATUS_OK.rawValue else { return nil }
            return (String(cString: info.host), Int(info.port), String(cString: info.user),
                    String(cString: info.password), String(cString: info.vhost))
        }
        guard let parsed, !parsed.host.isEmpty, (1...65535).contains(parsed.port) else {
            throw AMQPError(.connect, operation: "parse URL", message: usage)
        }
        self.init(host: parsed.host, port: parsed.port, user: parsed.user, password: parsed.password,
                  vhost: parsed.vhost.isEmpty ? "/" : parsed.vhost)
    }

    /// The URL without the password, for logs.
    public var description: String { "amqp://\(user)@\(host):\(port)/\(vhost == "/" ? "%2F" : vhost)" }
}
